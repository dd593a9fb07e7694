import type { Arithmetic, Precision } from '../arithmetic.js';
import { binaryExponent, euclideanNorm, type FloatArray, log10Scaled, scaleByPowerOfTwo, shiftedMoments } from '../statistics.js';

/**
 * What the recurrent cells (rnn.ts, lstm.ts, gru.ts) share: the
 * matrix arithmetic of one precision, the data, the probes the tests use,
 * and the power-of-two rescaling that keeps the backward signal in range.
 */

/** 2^e is a normal float64 for |e| ≤ 1022. */
const MAX_DIRECT_EXPONENT = 1022;

/**
 * Aᵀ (columns × rows) of A stored rows × columns. The backward pass multiplies
 * by W_hᵀ at every step; transposing once spares the engines that would copy it
 * per product.
 */
export function transposed<M extends FloatArray>(arithmetic: Arithmetic<M>, a: M, rows: number, columns: number): M {
  const out = arithmetic.allocate(rows * columns);
  for (let i = 0; i < rows; i += 1) {
    for (let j = 0; j < columns; j += 1) out[j * rows + i] = a[i * columns + j] as number;
  }
  return out;
}

/** The matrices every cell has, with its G gate blocks side by side (G = 1, 4, 3 for the RNN, LSTM, GRU). */
export interface CellMatrices<M extends FloatArray> {
  /** W_x = W_ihᵀ, inputSize × G·hiddenSize. */
  input: M;
  /** W_h = W_hhᵀ, hiddenSize × G·hiddenSize. */
  recurrent: M;
  /** W_hᵀ = W_hh, G·hiddenSize × hiddenSize, for the backward pass. */
  recurrentTransposed: M;
}

/** The sizes and the data (given or drawn) of one simulation. */
export interface RecurrentData<M extends FloatArray> {
  steps: number;
  batchSize: number;
  inputSize: number;
  hiddenSize: number;
  /** x_1 … x_T stacked: (steps·batchSize) × inputSize, x_t in rows (t − 1)·B … t·B − 1. */
  inputs: M;
  /** Y, batchSize × hiddenSize. */
  targets: Float64Array;
}

/**
 * A perturbation added to one state during the forward pass (the
 * finite-difference probe): `hidden` is added to h_t once it is computed,
 * `cell` (LSTM) to c_t before h_t = o ⊙ tanh(c_t) is formed from it.
 */
export interface StateInjection {
  t: number;
  state: 'hidden' | 'cell';
  /** batchSize × hiddenSize. */
  delta: ArrayLike<number>;
}

/**
 * Receives the backward signal at every step t = T … 1: the true gradients are
 * `hidden`·2^log2Scale (∂L/∂h_t) and `cell`·2^log2Scale (∂L/∂c_t, LSTM). The
 * arrays are reused; copy what you keep.
 */
export type GradientObserver = (t: number, gradient: { hidden: ArrayLike<number>; cell?: ArrayLike<number>; log2Scale: number }) => void;

/** Per-step gradient norms: index t − 1 holds step t. */
export interface GradientNorms {
  /** Exact log10 of the norm; −Infinity where the gradient is exactly zero. */
  log10: Float64Array;
  /** The plain norm: 0 where it underflows float64, Infinity where it overflows. */
  plain: Float64Array;
}

export function createGradientNorms(steps: number): GradientNorms {
  return { log10: new Float64Array(steps), plain: new Float64Array(steps) };
}

/** Records the norm of scaled·2^log2Scale at index. */
export function recordNorm(norms: GradientNorms, index: number, scaled: FloatArray, log2Scale: number): void {
  const norm = euclideanNorm(scaled, scaled.length);
  norms.log10[index] = log10Scaled(norm, log2Scale);
  norms.plain[index] = scaleByPowerOfTwo(norm, log2Scale);
}

/**
 * The k that brings a norm into [1, 2) by ·2^−k; 0 for a zero norm. Rescaling
 * by a power of two is exact, so the rescaled backward pass carries the same
 * significands an unscaled one would, wherever that one stays in range.
 */
export function rescaleExponent(norm: number): number {
  return norm > 0 && Number.isFinite(norm) ? binaryExponent(norm) : 0;
}

/** target[k] ← source[k]·2^exponent (target may be source, or an array of the other precision). */
export function scaleInto(source: FloatArray, exponent: number, target: FloatArray): void {
  if (Math.abs(exponent) <= MAX_DIRECT_EXPONENT) {
    const factor = 2 ** exponent;
    for (let k = 0; k < source.length; k += 1) target[k] = (source[k] as number) * factor;
    return;
  }
  for (let k = 0; k < source.length; k += 1) target[k] = scaleByPowerOfTwo(source[k] as number, exponent);
}

export interface Moments {
  mean: number;
  std: number;
}

/** Mean and population standard deviation of all the values, in float64. */
export function moments(values: FloatArray): Moments {
  const shift = values[0] ?? 0;
  let sum = 0;
  let sumOfSquares = 0;
  for (let k = 0; k < values.length; k += 1) {
    const deviation = (values[k] as number) - shift;
    sum += deviation;
    sumOfSquares += deviation * deviation;
  }
  return shiftedMoments(shift, sum, sumOfSquares, values.length);
}

/** Thrown when the forward pass leaves the range of the working precision (an exploding hidden state). */
export class RecurrentOverflowError extends Error {
  override name = 'RecurrentOverflowError';
  constructor(
    readonly t: number,
    readonly precision: Precision,
  ) {
    super(`The hidden state overflows ${precision} at step ${t}: the forward pass explodes.`);
  }
}
