/**
 * The cost model's rates, measured by `npm run bench:cost` on the reference
 * machine (see the README's Performance section for the machine and the table
 * of real against estimated). Each rate is fitted from requests that do mostly
 * that kind of work; re-run the bench and paste its suggested block here when
 * the code or the machine changes.
 */
export const calibration = {
  /** Worker round trip, planning and the smallest answer. */
  fixedSeconds: 0.002,
  /** float32 products on the native engine, one thread. */
  engineFlopsPerSecond: 40e9,
  /** float64 products in plain JavaScript loops. */
  scalarFlopsPerSecond: 1e9,
  /** Householder QR / bidiagonalisation (ml-matrix and the SVD loops). */
  decompositionFlopsPerSecond: 0.5e9,
  /** Activation kernels, statistics, draws and quadrature nodes. */
  elementOpsPerSecond: 100e6,
  /** One layer of one trial, one time step, one grid cell. */
  secondsPerPass: 20e-6,
  /** Compiling and laying out a Vega-Lite chart. */
  chartSeconds: 0.03,
  secondsPerChartMark: 20e-6,
  /** resvg rasterisation. */
  secondsPerPixel: 40e-9,
  /** JSON.stringify and the copy back to the event loop. */
  secondsPerAnswerByte: 8e-9,
} as const;
