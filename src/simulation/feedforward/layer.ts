import type { ScalarKernel } from '../../activations/types.js';
import type { FloatArray } from '../statistics.js';
import { SATURATION_DERIVATIVE } from '../thresholds.js';

/**
 * The elementwise steps of one layer, forward and backward: φ and φ′ (in bulk
 * where the kernel can), their statistics, and batch normalisation with its gradient. The
 * caller owns the buffers (run.ts allocates them once per simulation).
 */

/** Batch-norm ε. */
export const BATCH_NORM_EPSILON = 1e-5;

interface ActivationPass {
  zShift: number;
  zSum: number;
  zSumOfSquares: number;
  aShift: number;
  aSum: number;
  aSumOfSquares: number;
  zeros: number;
  saturated: number;
}

/**
 * out = φ(x) (+ skip), derivative = φ′(x), with the shifted sums of x (when
 * wanted) and of out, the count of exact zeros of out and of
 * |φ′| < SATURATION_DERIVATIVE. Statistics are of the stored (rounded) values.
 * A kernel with `valuesAndDerivatives` fills out and derivative in bulk first
 * (the skip added after); the statistics follow in one pass over the stored arrays.
 */
export function activate<T extends FloatArray>(
  x: T,
  skip: T | null,
  out: T,
  derivative: T,
  count: number,
  kernel: ScalarKernel,
  wantPreactivationSums: boolean,
): ActivationPass {
  const bulk = kernel.valuesAndDerivatives;
  if (bulk !== undefined) {
    bulk(x, out, derivative, count);
    if (skip !== null) for (let i = 0; i < count; i += 1) out[i] = (skip[i] as number) + (out[i] as number);
  } else {
    const value = kernel.value;
    const slope = kernel.derivative;
    if (skip === null) {
      for (let i = 0; i < count; i += 1) {
        const input = x[i] as number;
        derivative[i] = slope(input, i);
        out[i] = value(input, i);
      }
    } else {
      for (let i = 0; i < count; i += 1) {
        const input = x[i] as number;
        derivative[i] = slope(input, i);
        out[i] = (skip[i] as number) + value(input, i);
      }
    }
  }
  return activationStatistics(x, out, derivative, count, wantPreactivationSums);
}

/** The sums `activate` returns, from the stored x, out and derivative. */
function activationStatistics(x: FloatArray, out: FloatArray, derivative: FloatArray, count: number, wantPreactivationSums: boolean): ActivationPass {
  const zShift = x[0] as number;
  const aShift = out[0] as number;
  let zSum = 0;
  let zSumOfSquares = 0;
  if (wantPreactivationSums) {
    for (let i = 0; i < count; i += 1) {
      const centred = (x[i] as number) - zShift;
      zSum += centred;
      zSumOfSquares += centred * centred;
    }
  }
  let aSum = 0;
  let aSumOfSquares = 0;
  let zeros = 0;
  let saturated = 0;
  for (let i = 0; i < count; i += 1) {
    if (Math.abs(derivative[i] as number) < SATURATION_DERIVATIVE) saturated += 1;
    const stored = out[i] as number;
    if (stored === 0) zeros += 1;
    const centred = stored - aShift;
    aSum += centred;
    aSumOfSquares += centred * centred;
  }
  return { zShift, zSum, zSumOfSquares, aShift, aSum, aSumOfSquares, zeros, saturated };
}

/**
 * ẑ = (z − μ_j)/√(σ²_j + ε) per unit j over the batch (biased variance); returns
 * the statistics of z over all elements (Chan et al.'s pairwise combination of the
 * per-unit moments).
 */
export function batchNormalize<T extends FloatArray>(
  z: T,
  normalized: T,
  inverseStd: Float64Array,
  batchSize: number,
  width: number,
  sums: Float64Array,
  squares: Float64Array,
): { mean: number; std: number } {
  sums.fill(0, 0, width);
  squares.fill(0, 0, width);
  // Shifted by the first row: Σ(z − z₀ⱼ), Σ(z − z₀ⱼ)².
  for (let b = 0; b < batchSize; b += 1) {
    const row = b * width;
    for (let j = 0; j < width; j += 1) {
      const centred = (z[row + j] as number) - (z[j] as number);
      sums[j] = (sums[j] as number) + centred;
      squares[j] = (squares[j] as number) + centred * centred;
    }
  }
  let totalSum = 0;
  let totalM2 = 0;
  for (let j = 0; j < width; j += 1) {
    const offset = (sums[j] as number) / batchSize;
    const variance = Math.max(0, (squares[j] as number) / batchSize - offset * offset);
    const mean = (z[j] as number) + offset;
    inverseStd[j] = 1 / Math.sqrt(variance + BATCH_NORM_EPSILON);
    sums[j] = mean;
    totalSum += mean;
    totalM2 += variance * batchSize;
  }
  const overallMean = totalSum / width;
  for (let j = 0; j < width; j += 1) totalM2 += batchSize * ((sums[j] as number) - overallMean) ** 2;
  for (let b = 0; b < batchSize; b += 1) {
    const row = b * width;
    for (let j = 0; j < width; j += 1) {
      normalized[row + j] = ((z[row + j] as number) - (sums[j] as number)) * (inverseStd[j] as number);
    }
  }
  return { mean: overallMean, std: Math.sqrt(totalM2 / (batchSize * width)) };
}

/**
 * δ_z = (1/σ̂_j)·(g − mean_b g − ẑ·mean_b(g ẑ)) with g = ∂L/∂a ⊙ φ′(ẑ), per unit j:
 * the gradient through the batch mean and variance, into `delta`. Returns Σδ_z².
 * `sums` must hold zeros on entry; it is left holding mean_b g.
 */
export function batchNormBackward<T extends FloatArray>(
  gradient: T,
  derivative: T,
  normalized: T,
  inverseStd: Float64Array,
  batchSize: number,
  width: number,
  delta: T,
  sums: Float64Array,
  products: Float64Array,
): number {
  products.fill(0, 0, width);
  for (let b = 0; b < batchSize; b += 1) {
    const row = b * width;
    for (let j = 0; j < width; j += 1) {
      const g = (gradient[row + j] as number) * (derivative[row + j] as number);
      sums[j] = (sums[j] as number) + g;
      products[j] = (products[j] as number) + g * (normalized[row + j] as number);
      delta[row + j] = g;
    }
  }
  for (let j = 0; j < width; j += 1) {
    sums[j] = (sums[j] as number) / batchSize;
    products[j] = (products[j] as number) / batchSize;
  }
  let squares = 0;
  for (let b = 0; b < batchSize; b += 1) {
    const row = b * width;
    for (let j = 0; j < width; j += 1) {
      const g = delta[row + j] as number;
      delta[row + j] = (inverseStd[j] as number) * (g - (sums[j] as number) - (normalized[row + j] as number) * (products[j] as number));
      const stored = delta[row + j] as number;
      squares += stored * stored;
    }
  }
  return squares;
}

/**
 * Layer normalisation: per row b, x̂ = (x − μ_b)/√(σ²_b + ε) over the row's
 * `width` units (biased variance, no affine), into `out` (which may be `x`);
 * 1/√(σ²_b + ε) into inverseStd[b]. Returns the mean and std of x over all
 * elements (the preactivation statistics).
 */
export function layerNormalize<T extends FloatArray>(x: T, out: T, inverseStd: Float64Array, rows: number, width: number): { mean: number; std: number } {
  let total = 0;
  let totalSquares = 0;
  for (let b = 0; b < rows; b += 1) {
    const row = b * width;
    let sum = 0;
    for (let j = 0; j < width; j += 1) sum += x[row + j] as number;
    const mean = sum / width;
    let squares = 0;
    for (let j = 0; j < width; j += 1) squares += ((x[row + j] as number) - mean) ** 2;
    const variance = squares / width;
    const scale = 1 / Math.sqrt(variance + BATCH_NORM_EPSILON);
    inverseStd[b] = scale;
    total += sum;
    totalSquares += squares + width * mean * mean;
    for (let j = 0; j < width; j += 1) out[row + j] = ((x[row + j] as number) - mean) * scale;
  }
  const count = rows * width;
  const mean = total / count;
  return { mean, std: Math.sqrt(Math.max(0, totalSquares / count - mean * mean)) };
}

/**
 * The gradient through layer normalisation, per row: dx = (1/σ_b)·(g − mean_j g −
 * x̂·mean_j(g x̂)), from g = ∂L/∂x̂ in `gradient` into `out` (which may be `gradient`).
 */
export function layerNormBackward<T extends FloatArray>(gradient: T, normalized: T, inverseStd: Float64Array, rows: number, width: number, out: T): void {
  for (let b = 0; b < rows; b += 1) {
    const row = b * width;
    let sum = 0;
    let product = 0;
    for (let j = 0; j < width; j += 1) {
      const g = gradient[row + j] as number;
      sum += g;
      product += g * (normalized[row + j] as number);
    }
    const meanGradient = sum / width;
    const meanProduct = product / width;
    const scale = inverseStd[b] as number;
    for (let j = 0; j < width; j += 1) {
      out[row + j] = scale * ((gradient[row + j] as number) - meanGradient - (normalized[row + j] as number) * meanProduct);
    }
  }
}
