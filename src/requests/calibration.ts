import type { ActivationId } from '../activations/registry.js';

/**
 * The cost model's rates, measured by `npm run bench:cost` on the reference
 * machine (see the README's Performance section for the machine and the table
 * of real against estimated). Each rate is fitted from requests that do mostly
 * that kind of work; re-run the bench and paste its suggested block here when
 * the code or the machine changes.
 */
export const calibration = {
  /** Worker round trip, planning and the smallest answer over HTTP. */
  fixedSeconds: 0.004,
  /** float32 products on the native engine, one thread. */
  engineFlopsPerSecond: 40e9,
  /** float64 products in plain JavaScript loops. */
  scalarFlopsPerSecond: 0.8e9,
  /** Householder QR (src/linalg/householder-qr.ts) and the SVD of the Jacobian spectrum. */
  decompositionFlopsPerSecond: 1.5e9,
  /** Activation kernels, statistics, draws (a Gaussian draw counts 5) and quadrature nodes. */
  elementOpsPerSecond: 100e6,
  /** One layer of one trial, one time step, one grid cell. */
  secondsPerPass: 20e-6,
  /** Memory one pass keeps (its figures as objects: a layer, a step, a histogram). */
  bytesPerPass: 400,
  /** Compiling and laying out a Vega-Lite chart. */
  chartSeconds: 0.03,
  secondsPerChartMark: 6e-6,
  /** resvg rasterisation. */
  secondsPerPixel: 40e-9,
  /** JSON.stringify and the copy back to the event loop. */
  secondsPerAnswerByte: 8e-9,
} as const;

/**
 * What one value or derivative of an activation kernel costs, relative to
 * relu's (1): measured with 300 000 points per kernel on the reference
 * machine (erf makes gelu the dearest). Kernels not listed cost about as much
 * as relu (within 1.15×).
 */
const kernelCosts: Partial<Record<ActivationId, number>> = {
  gelu: 4,
  silu: 2,
  swish: 2,
  softplus: 2,
  mish: 1.8,
  tanhshrink: 1.7,
  logsigmoid: 1.7,
  tanh: 1.6,
  sigmoid: 1.5,
  celu: 1.4,
  selu: 1.3,
  elu: 1.2,
  softsign: 1.2,
};

/** One evaluated output of a request (a kernel call and a push onto a plain array) costs 2.5 element ops at relu's price. */
const ELEMENT_OPS_PER_OUTPUT = 2.5;

/** A kernel's cost relative to relu's. */
export function relativeKernelCost(id: string): number {
  return kernelCosts[id as ActivationId] ?? 1;
}

/** Element ops (at `elementOpsPerSecond`) of one value, derivative or parameter gradient of the activation in an evaluation request. */
export function kernelCost(id: string): number {
  return ELEMENT_OPS_PER_OUTPUT * relativeKernelCost(id);
}
