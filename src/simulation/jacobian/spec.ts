import type { Precision } from '../arithmetic.js';
import { NetworkShapeError } from '../errors.js';
import { checkNetworkSize, checkSeed, type FeedforwardLayerSpec, layerWidths } from '../network.js';
import { DEFAULT_HISTOGRAM_BINS, type HistogramOptions, type HistogramScale, MAX_HISTOGRAM_BINS } from './spectrum.js';

/**
 * What a Jacobian spectrum is asked for, and its validation: the layers'
 * checks are network.ts's, as for the feed-forward simulator, plus what only
 * the Jacobian refuses (batch norm) or takes (σ_b, one input, the histogram).
 */

/**
 * Default precision: float64 when accumulating J costs at most this many flops
 * (~1 s in JS loops: depth 10 × width 256 is 0.34e9), float32 above
 * (depth 20 × width 512 is 5.4e9).
 */
export const FLOAT64_DEFAULT_MAX_FLOPS = 1e9;

export interface JacobianLayerSpec extends FeedforwardLayerSpec {
  /**
   * σ_b ≥ 0: with `bias: true` and no `biases`, b^l ~ N(0, σ_b²) (default 0:
   * zero biases). Needs `bias: true`; not with explicit `biases`.
   */
  biasStd?: number;
}

/**
 * a⁰ ~ N(0, q⁰·I) with q⁰ = `variance`, or a given vector of inputSize numbers.
 * q⁰ is the mean square of the input, not of a preactivation: z¹ then has mean
 * square σ_w²·q⁰ + σ_b², so a network starts at mean-field theory's fixed point
 * q* with q⁰ = (q* − σ_b²)/σ_w².
 */
export type JacobianInputSpec = { variance: number } | { values: readonly number[] };

export interface JacobianHistogramSpec {
  /** Default DEFAULT_HISTOGRAM_BINS, at most MAX_HISTOGRAM_BINS. */
  bins?: number;
  /**
   * `log10` (default): bins of log10 σ — a deep network's spectrum spans decades
   * (Gaussian weights, ReLU), isometry shows as one narrow peak at 0, and the
   * scale is exact beyond float64. `linear`: bins of σ from 0.
   */
  scale?: HistogramScale;
  /** Fixed [low, high] in the scale's units (for comparing requests); default: the spectra's own range. */
  range?: readonly [number, number];
}

export interface JacobianSpec {
  inputSize: number;
  layers: readonly JacobianLayerSpec[];
  input: JacobianInputSpec;
  seed: number;
  /** Of the accumulation of J; see run.ts. Default: float64 up to FLOAT64_DEFAULT_MAX_FLOPS, else float32. */
  precision?: Precision;
  histogram?: JacobianHistogramSpec;
  /** Also the spectrum of every partial Jacobian ∂a^l/∂a⁰, l = 1 … L: one more SVD per layer. */
  everyLayer?: boolean;
}

export interface JacobianPlan {
  /** n₀ … n_L. */
  widths: readonly number[];
  precision: Precision;
  histogram: HistogramOptions;
}

/** Validates a Jacobian request; throws NetworkShapeError (shapes, batch norm, biasStd, input) or RangeError (seed, histogram). */
export function planJacobian(spec: JacobianSpec): JacobianPlan {
  spec.layers.forEach((layer, position) => {
    const index = position + 1;
    if (layer.batchNorm) {
      throw new NetworkShapeError(
        index,
        'batchNorm',
        'is not supported by the Jacobian spectrum: with batch normalisation a⁰ ↦ a^L depends on the whole batch, not on one input',
      );
    }
    // Layer norm does depend on one input only, but its Jacobian factor is not built here yet.
    if (layer.layerNorm === true) throw new NetworkShapeError(index, 'layerNorm', 'is not supported by the Jacobian spectrum yet (use the feed-forward simulation)');
    if (layer.residualNorm !== undefined) throw new NetworkShapeError(index, 'residual', `"${layer.residualNorm}" blocks are not supported by the Jacobian spectrum yet (use true, or the feed-forward simulation)`);
    if (layer.biasStd !== undefined) {
      if (!(Number.isFinite(layer.biasStd) && layer.biasStd >= 0)) {
        throw new NetworkShapeError(index, 'biasStd', `must be a finite number ≥ 0, got ${layer.biasStd}`);
      }
      if (!layer.bias) throw new NetworkShapeError(index, 'biasStd', 'is given but the layer has bias: false');
      if (layer.biases !== undefined) throw new NetworkShapeError(index, 'biasStd', 'cannot be given with explicit biases');
    }
  });
  const input = spec.input;
  if ('values' in input) {
    if (input.values.length !== spec.inputSize) {
      throw new NetworkShapeError(null, 'input.values', `must hold ${spec.inputSize} numbers (inputSize), got ${input.values.length}`);
    }
    if (!input.values.every((value) => Number.isFinite(value))) throw new NetworkShapeError(null, 'input.values', 'must hold finite numbers only');
  } else if (!(Number.isFinite(input.variance) && input.variance >= 0)) {
    throw new NetworkShapeError(null, 'input.variance', `must be a finite number ≥ 0, got ${input.variance}`);
  }
  // The simulator's checks of widths, residual shapes, explicit weights and biases, and the seed.
  checkNetworkSize(spec.inputSize, spec.layers);
  checkSeed(spec.seed);
  const widths = layerWidths(spec.inputSize, spec.layers);

  const bins = spec.histogram?.bins ?? DEFAULT_HISTOGRAM_BINS;
  if (!Number.isSafeInteger(bins) || bins < 1 || bins > MAX_HISTOGRAM_BINS) {
    throw new RangeError(`histogram.bins must be an integer in [1, ${MAX_HISTOGRAM_BINS}], got ${bins}`);
  }
  const range = spec.histogram?.range;
  if (range !== undefined && !(Number.isFinite(range[0]) && Number.isFinite(range[1]) && range[0] < range[1])) {
    throw new RangeError(`histogram.range must be two finite numbers, low < high, got [${range.join(', ')}]`);
  }
  const histogram: HistogramOptions = { bins, scale: spec.histogram?.scale ?? 'log10', ...(range === undefined ? {} : { range }) };
  const precision = spec.precision ?? (accumulationFlops(widths) <= FLOAT64_DEFAULT_MAX_FLOPS ? 'float64' : 'float32');
  return { widths, precision, histogram };
}

/** The products J ← J·W^l (none for layer 1: J¹ = W¹D¹) and the column scalings. */
export function accumulationFlops(widths: readonly number[]): number {
  const inputSize = widths[0] as number;
  let flops = 0;
  for (let l = 1; l < widths.length; l += 1) {
    const width = widths[l] as number;
    flops += (l === 1 ? 0 : 2 * inputSize * (widths[l - 1] as number) * width) + 2 * inputSize * width;
  }
  return flops;
}
