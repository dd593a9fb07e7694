/**
 * Float64 reductions and log-scale bookkeeping shared by the simulators.
 *
 * Gradients are carried as (stored array, binary exponent s): the true value is
 * stored · 2^s. Scaling by a power of two is exact in binary floating point
 * (while the result stays normal), so rescaling never changes a digit of the
 * reported figures; log10 ‖g‖ = log10 ‖stored‖ + s·log10 2 stays exact where
 * ‖g‖ itself is far below the smallest float.
 */

export type FloatArray = Float32Array | Float64Array;

export const LOG10_2 = Math.log10(2);

/** Largest |exponent| applied in one multiplication: 2^±1000 are normal float64 numbers. */
const EXPONENT_CHUNK = 1000;

/** x·2^exponent without intermediate overflow or underflow (Infinity / 0 only when the result itself is). */
export function scaleByPowerOfTwo(x: number, exponent: number): number {
  let result = x;
  let remaining = exponent;
  while (remaining > EXPONENT_CHUNK && Number.isFinite(result) && result !== 0) {
    result *= 2 ** EXPONENT_CHUNK;
    remaining -= EXPONENT_CHUNK;
  }
  while (remaining < -EXPONENT_CHUNK && result !== 0) {
    result *= 2 ** -EXPONENT_CHUNK;
    remaining += EXPONENT_CHUNK;
  }
  return result * 2 ** remaining;
}

/** log10(stored · 2^exponent); −Infinity for a zero norm. */
export function log10Scaled(stored: number, exponent: number): number {
  return stored === 0 ? -Infinity : Math.log10(stored) + exponent * LOG10_2;
}

/** ⌊log2 x⌋ for a positive finite x (used to pick the power of two that brings x near 1). */
export function binaryExponent(x: number): number {
  const exponent = Math.floor(Math.log2(x));
  // Math.log2 may round across an integer for x just below a power of two.
  return 2 ** exponent > x ? exponent - 1 : exponent;
}

/** Multiplies the first `length` elements by 2^exponent in place (exact while results stay normal). */
export function scaleInPlace(values: FloatArray, length: number, exponent: number): void {
  const factor = 2 ** exponent;
  for (let i = 0; i < length; i += 1) values[i] = (values[i] as number) * factor;
}

/**
 * Euclidean (Frobenius) norm of the first `length` elements, accumulated in
 * float64. A sum of squares that overflows (float64 input beyond ~1e154) is
 * redone on values scaled by their largest magnitude; Infinity or NaN only when
 * an element is.
 */
export function euclideanNorm(values: FloatArray, length: number): number {
  let sumOfSquares = 0;
  for (let i = 0; i < length; i += 1) {
    const value = values[i] as number;
    sumOfSquares += value * value;
  }
  if (Number.isFinite(sumOfSquares)) return Math.sqrt(sumOfSquares);
  let largest = 0;
  for (let i = 0; i < length; i += 1) largest = Math.max(largest, Math.abs(values[i] as number));
  if (!Number.isFinite(largest)) return largest;
  let scaled = 0;
  for (let i = 0; i < length; i += 1) {
    const value = (values[i] as number) / largest;
    scaled += value * value;
  }
  return largest * Math.sqrt(scaled);
}

/** Largest |x| among the first `length` elements (NaN if any is NaN). */
export function maxAbs(values: FloatArray, length: number): number {
  let largest = 0;
  for (let i = 0; i < length; i += 1) {
    const magnitude = Math.abs(values[i] as number);
    if (!(magnitude <= largest)) largest = magnitude;
  }
  return largest;
}

/**
 * Mean and population standard deviation from sums about a shift K
 * (Σ(x−K), Σ(x−K)² over `count` values): K near the data (its first value)
 * avoids the cancellation of Σx² − (Σx)²/n when |mean| ≫ std.
 */
export function shiftedMoments(shift: number, shiftedSum: number, shiftedSumOfSquares: number, count: number): { mean: number; std: number } {
  const meanOffset = shiftedSum / count;
  const variance = Math.max(0, shiftedSumOfSquares / count - meanOffset * meanOffset);
  return { mean: shift + meanOffset, std: Math.sqrt(variance) };
}

/** Spread of one figure across independent trials. */
export interface Spread {
  /** Population standard deviation across trials; null when a trial's value is infinite (a log10 of 0). */
  std: number | null;
  /** null for −Infinity (some trial's norm was exactly 0). */
  min: number | null;
  max: number | null;
}

/** Mean across trials, or null when it is not finite (a log10 of an exactly-zero norm in some trial). */
export function finiteMean(values: readonly number[]): number | null {
  let sum = 0;
  for (const value of values) sum += value;
  const mean = sum / values.length;
  return Number.isFinite(mean) ? mean : null;
}

export function spreadOf(values: readonly number[]): Spread {
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  for (const value of values) {
    min = Math.min(min, value);
    max = Math.max(max, value);
    sum += value;
  }
  const mean = sum / values.length;
  let sumOfSquares = 0;
  for (const value of values) sumOfSquares += (value - mean) ** 2;
  const std = Math.sqrt(sumOfSquares / values.length);
  return { std: finiteOrNull(std), min: finiteOrNull(min), max: finiteOrNull(max) };
}

export function finiteOrNull(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}
