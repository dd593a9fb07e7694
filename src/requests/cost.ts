import { ProblemError } from '../problems.js';
import { calibration } from './calibration.js';

/**
 * The one cost model. Every request is planned into plain data, and the plan
 * into the `Work` it will do: arithmetic by where it runs (the float32 product
 * engine, plain-JavaScript loops, matrix decompositions, per-element kernels),
 * fixed overhead per pass (one layer of one trial, one time step, one grid
 * cell), the chart it draws, the memory it holds and the size of its answer.
 * The price is the estimated time on one core and the bytes; the rates come
 * from `npm run bench:cost` (src/requests/calibration.ts), which also prints
 * real against estimated for a spread of requests.
 */

export interface Work {
  /** float32 products on the native engine (onnxruntime / XNNPACK). */
  engineFlops: number;
  /** float64 products and other dense arithmetic in plain JavaScript loops. */
  scalarFlops: number;
  /** Householder QR and bidiagonalisation (orthogonal init, the SVD of the Jacobian spectrum). */
  decompositionFlops: number;
  /** Per-element work in JavaScript: activation kernels, statistics, random draws, quadrature nodes. */
  elementOps: number;
  /** Fixed overheads: layers × trials, time steps, grid cells, batches of a curve. */
  passes: number;
  /** Marks (points, bars, cells) of the chart, 0 without one. */
  chartMarks: number;
  /** Pixels rasterised for a PNG, 0 otherwise. */
  pixels: number;
  /** Largest memory held at once while running, in bytes. */
  workingBytes: number;
  /** Size of the answer (JSON text or picture), in bytes. */
  answerBytes: number;
}

export const noWork: Work = {
  engineFlops: 0,
  scalarFlops: 0,
  decompositionFlops: 0,
  elementOps: 0,
  passes: 0,
  chartMarks: 0,
  pixels: 0,
  workingBytes: 0,
  answerBytes: 0,
};

/** Adds works (sequential parts of one request). */
export function plus(...works: readonly Partial<Work>[]): Work {
  const total = { ...noWork };
  for (const work of works) {
    for (const key of Object.keys(total) as (keyof Work)[]) {
      if (key === 'workingBytes') total.workingBytes = Math.max(total.workingBytes, work.workingBytes ?? 0);
      else total[key] += work[key] ?? 0;
    }
  }
  return total;
}

export interface Price {
  /** Estimated time on one core of the calibration machine, in seconds. */
  seconds: number;
  /** Arithmetic of every kind, in floating-point operations (for the SIMULATION_MAX_GFLOP cap). */
  flops: number;
  /** Working memory, in bytes. */
  bytes: number;
  /** Size of the answer, in bytes. */
  answerBytes: number;
}

export function priceOf(work: Work): Price {
  const rates = calibration;
  const seconds =
    rates.fixedSeconds +
    work.engineFlops / rates.engineFlopsPerSecond +
    work.scalarFlops / rates.scalarFlopsPerSecond +
    work.decompositionFlops / rates.decompositionFlopsPerSecond +
    work.elementOps / rates.elementOpsPerSecond +
    work.passes * rates.secondsPerPass +
    (work.chartMarks > 0 ? rates.chartSeconds + work.chartMarks * rates.secondsPerChartMark : 0) +
    work.pixels * rates.secondsPerPixel +
    work.answerBytes * rates.secondsPerAnswerByte;
  return {
    seconds,
    flops: work.engineFlops + work.scalarFlops + work.decompositionFlops,
    // The answer exists twice at its peak (the JSON text and its bytes), and every pass keeps its figures as objects.
    bytes: work.workingBytes + 2 * work.answerBytes + work.passes * calibration.bytesPerPass,
    answerBytes: work.answerBytes,
  };
}

export interface CostLimits {
  /** Largest estimated time of one request, in seconds. */
  maxSeconds: number;
  /** Largest arithmetic of one request, in floating-point operations. */
  maxFlops: number;
  /** Largest working memory of one request, in bytes. */
  maxBytes: number;
  /** Largest answer, in bytes. */
  maxAnswerBytes: number;
}

const gflop = (flops: number): string => `${(flops / 1e9).toPrecision(3)} GFLOP`;
const mebibytes = (bytes: number): string => `${(bytes / 2 ** 20).toPrecision(3)} MiB`;
const seconds = (value: number): string => `${value.toPrecision(3)} s`;

/** Refuses with 422 a request whose price exceeds a limit, naming the estimate and the limit. */
export function refuseWhenTooCostly(price: Price, limits: CostLimits): void {
  const extensions = {
    estimate: { seconds: price.seconds, flops: price.flops, bytes: price.bytes, answerBytes: price.answerBytes },
    limit: { seconds: limits.maxSeconds, flops: limits.maxFlops, bytes: limits.maxBytes, answerBytes: limits.maxAnswerBytes },
  };
  const refuse = (detail: string): never => {
    throw new ProblemError('unprocessable', detail, extensions);
  };
  const smaller = 'Reduce depth, width, batch size, steps, trials, grid or chart size.';
  if (price.flops > limits.maxFlops) refuse(`The request would cost about ${gflop(price.flops)}; the limit is ${gflop(limits.maxFlops)}. ${smaller}`);
  if (price.seconds > limits.maxSeconds) {
    refuse(`The request would take about ${seconds(price.seconds)} of computing; the limit is ${seconds(limits.maxSeconds)}. ${smaller}`);
  }
  if (price.bytes > limits.maxBytes) refuse(`The request would need about ${mebibytes(price.bytes)} of memory; the limit is ${mebibytes(limits.maxBytes)}. ${smaller}`);
  if (price.answerBytes > limits.maxAnswerBytes) {
    refuse(`The answer would be about ${mebibytes(price.answerBytes)}; the limit is ${mebibytes(limits.maxAnswerBytes)}. Ask for fewer points, layers, steps or bins.`);
  }
}

/** Bytes of a JSON number as the service writes it (shortest round-trip form, a sign and an exponent at most). */
export const JSON_NUMBER_BYTES = 20;
