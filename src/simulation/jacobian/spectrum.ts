import { NetworkShapeError } from '../errors.js';
import type { Precision } from '../arithmetic.js';
import { finiteOrNull, LOG10_2, log10Scaled, scaleByPowerOfTwo } from '../statistics.js';

/**
 * From the singular values of one (partial) Jacobian to the figures reported:
 * moments of σ², extremes, condition number, numerical rank, histogram.
 *
 * Singular values arrive as stored values · 2^exponent (the Jacobian is
 * rescaled by powers of two while it is accumulated, see run.ts), so the
 * log10 figures and the log10 histogram stay exact where σ itself is beyond
 * float64 (a 1000-layer sigmoid network: mean σ² ≈ 10^−1288). Plain figures
 * are null beyond the float64 range and 0 where they underflow, as in the
 * feed-forward result.
 */

export type HistogramScale = 'log10' | 'linear';

/** Bins when the request names none: enough to show a spectrum's shape, few enough to chart per depth. */
export const DEFAULT_HISTOGRAM_BINS = 40;
export const MAX_HISTOGRAM_BINS = 1000;

/**
 * Narrowest automatic histogram range: 0.01 decade on the log10 scale. A
 * spectrum narrower than that (an orthogonal linear network: σ = 1 ± 1e−15) is
 * put in a range this wide, its middle at the centre of the middle bin, so that
 * rounding noise does not spread over the bins: an isometric spectrum shows as
 * one full bin.
 */
export const MIN_LOG10_HISTOGRAM_WIDTH = 0.01;

/**
 * Unit roundoff of the arithmetic J was accumulated in, for the rank tolerance.
 * Accumulated rounding grows with the number of products: against float64, a
 * float32 J has max |Δσ| ≈ 5e−8·σ_max at depth 10–20 × width 256–512 (tanh,
 * ReLU, Gaussian or orthogonal weights), and up to about l·2⁻²⁴·σ_max in
 * orthogonal linear networks, where nothing damps the errors (1.2e−6·σ_max at
 * depth 20 × width 128, 2.9e−6·σ_max at depth 100 × width 256).
 */
const UNIT_ROUNDOFF: Readonly<Record<Precision, number>> = { float64: 2 ** -53, float32: 2 ** -24 };

/**
 * Singular values at or below σ_max·(max(n₀, n_l)·2⁻⁵² + 4·l·u) are
 * indistinguishable from 0: the first term is the float64 SVD's backward error
 * (LAPACK's rank convention), the second the accumulation's, u its unit
 * roundoff (≥ 4× the worst float32 error measured).
 */
export function rankTolerance(spectrum: ScaledSpectrum, precision: Precision): number {
  const largest = spectrum.values[0] ?? 0;
  return largest * (Math.max(spectrum.rows, spectrum.columns) * 2 ** -52 + 4 * spectrum.depth * UNIT_ROUNDOFF[precision]);
}

/** One (partial) Jacobian's singular values: σᵢ = values[i]·2^exponent, descending. */
export interface ScaledSpectrum {
  /** l: the spectrum is that of ∂a^l/∂a⁰. */
  depth: number;
  rows: number;
  columns: number;
  values: Float64Array;
  exponent: number;
}

export interface SpectrumHistogram {
  scale: HistogramScale;
  /** bins + 1 ascending edges, in log10 σ on the log10 scale, in σ on the linear one; the last bin is closed. */
  edges: number[];
  counts: number[];
  /** Numerically zero singular values (see `numericalRank`): never in a bin, on either scale. */
  zeros: number;
  /** Nonzero singular values outside [edges[0], edges[bins]] (only with a fixed range). */
  below: number;
  above: number;
}

export interface JacobianSpectrum {
  /** l: the spectrum of the partial Jacobian ∂a^l/∂a⁰ (L for the whole network). */
  depth: number;
  /** min(n₀, n_l): the number of singular values. */
  count: number;
  /** Descending, numerical zeros as 0; null when count > MAX_LISTED_SINGULAR_VALUES and for per-layer spectra. */
  singularValues: number[] | null;
  /**
   * Moments of σ² over the `count` singular values (zeros included):
   * mean = ‖J‖_F² / count, the figure mean-field theory predicts as χ₁^l;
   * variance (population); relativeVariance = variance / mean², scale-free:
   * 0 for perfect isometry (all σ equal). log10Mean exact beyond float64.
   */
  squaredSingularValues: {
    mean: number | null;
    variance: number | null;
    relativeVariance: number | null;
    log10Mean: number | null;
  };
  maxSingularValue: number | null;
  minSingularValue: number | null;
  /** null for a zero singular value. */
  log10MaxSingularValue: number | null;
  log10MinSingularValue: number | null;
  /** σ_max / σ_min; null when J is numerically singular (σ_min counted as 0). */
  conditionNumber: number | null;
  /**
   * Singular values above the rank tolerance σ_max·(max(n₀, n_l)·2⁻⁵² + 4·l·u),
   * u = 2⁻⁵³ (float64) or 2⁻²⁴ (float32): the others are numerically 0 and
   * reported as 0.
   */
  numericalRank: number;
  histogram: SpectrumHistogram;
}

export interface HistogramOptions {
  bins: number;
  scale: HistogramScale;
  /** Fixed [low, high] in the scale's units; automatic when absent. */
  range?: readonly [number, number];
}

/** Sets singular values at or below the rank tolerance to exactly 0; returns the numerical rank. */
export function zeroBelowTolerance(spectrum: ScaledSpectrum, precision: Precision): number {
  const { values } = spectrum;
  const tolerance = rankTolerance(spectrum, precision);
  let rank = 0;
  for (let i = 0; i < values.length; i += 1) {
    if ((values[i] as number) > tolerance) rank += 1;
    else values[i] = 0;
  }
  return rank;
}

/** σ in the histogram's units (log10 σ, or σ), −Infinity / 0 for a zero. */
function coordinate(stored: number, exponent: number, scale: HistogramScale): number {
  return scale === 'log10' ? log10Scaled(stored, exponent) : scaleByPowerOfTwo(stored, exponent);
}

/**
 * The automatic range shared by the histograms of one result: from the
 * smallest nonzero σ to the largest over all spectra (linear: from 0), widened
 * to MIN_LOG10_HISTOGRAM_WIDTH (linear: 1% of the top) when narrower.
 */
export function histogramRange(spectra: readonly ScaledSpectrum[], options: HistogramOptions): [number, number] {
  if (options.range !== undefined) return [options.range[0], options.range[1]];
  let low = Infinity;
  let high = -Infinity;
  for (const spectrum of spectra) {
    for (const stored of spectrum.values) {
      if (stored === 0) continue;
      const value = coordinate(stored, spectrum.exponent, options.scale);
      low = Math.min(low, value);
      high = Math.max(high, value);
    }
  }
  if (options.scale === 'linear') {
    if (high === Infinity) throw new NetworkShapeError(null, 'histogram.scale', 'linear cannot hold these singular values (they exceed the float64 range): use log10');
    return high > 0 ? [0, high] : [0, 1];
  }
  if (high - low >= MIN_LOG10_HISTOGRAM_WIDTH) return [low, high];
  // Centred on the middle bin's centre, not on an edge, so that ±rounding noise stays in one bin.
  const middle = low === Infinity ? 0 : (low + high) / 2;
  const start = middle - ((Math.floor(options.bins / 2) + 0.5) * MIN_LOG10_HISTOGRAM_WIDTH) / options.bins;
  return [start, start + MIN_LOG10_HISTOGRAM_WIDTH];
}

function histogramOf(spectrum: ScaledSpectrum, scale: HistogramScale, bins: number, [low, high]: [number, number]): SpectrumHistogram {
  const counts = new Array<number>(bins).fill(0);
  let zeros = 0;
  let below = 0;
  let above = 0;
  const width = (high - low) / bins;
  for (const stored of spectrum.values) {
    if (stored === 0) {
      zeros += 1;
      continue;
    }
    const value = coordinate(stored, spectrum.exponent, scale);
    if (value < low) below += 1;
    else if (value > high) above += 1;
    else {
      const bin = Math.min(bins - 1, Math.floor((value - low) / width));
      counts[bin] = (counts[bin] as number) + 1;
    }
  }
  const edges = Array.from({ length: bins + 1 }, (_, i) => (i === bins ? high : low + i * width));
  return { scale, edges, counts, zeros, below, above };
}

/** The figures of one spectrum (after zeroBelowTolerance), its histogram over `range`. */
export function spectrumFigures(
  spectrum: ScaledSpectrum,
  numericalRank: number,
  options: HistogramOptions,
  range: [number, number],
  listValues: boolean,
): JacobianSpectrum {
  const { values, exponent } = spectrum;
  const count = values.length;
  let sumOfSquares = 0;
  for (const value of values) sumOfSquares += value * value;
  const meanSquare = sumOfSquares / count;
  let deviations = 0;
  for (const value of values) deviations += (value * value - meanSquare) ** 2;
  const variance = deviations / count;
  const largest = values[0] ?? 0;
  const smallest = values[count - 1] ?? 0;
  const plain = (stored: number, power: number): number | null => finiteOrNull(scaleByPowerOfTwo(stored, power * exponent));
  return {
    depth: spectrum.depth,
    count,
    singularValues: listValues ? Array.from(values, (value) => scaleByPowerOfTwo(value, exponent)) : null,
    squaredSingularValues: {
      mean: plain(meanSquare, 2),
      variance: plain(variance, 4),
      relativeVariance: meanSquare > 0 ? variance / (meanSquare * meanSquare) : null,
      log10Mean: meanSquare > 0 ? Math.log10(meanSquare) + 2 * exponent * LOG10_2 : null,
    },
    maxSingularValue: plain(largest, 1),
    minSingularValue: plain(smallest, 1),
    log10MaxSingularValue: finiteOrNull(log10Scaled(largest, exponent)),
    log10MinSingularValue: finiteOrNull(log10Scaled(smallest, exponent)),
    conditionNumber: smallest > 0 ? largest / smallest : null,
    numericalRank,
    histogram: histogramOf(spectrum, options.scale, options.bins, range),
  };
}
