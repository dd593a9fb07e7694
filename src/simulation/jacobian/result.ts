import type { Precision } from '../arithmetic.js';
import { histogramRange, type JacobianSpectrum, type ScaledSpectrum, spectrumFigures, zeroBelowTolerance } from './spectrum.js';
import type { JacobianPlan, JacobianSpec } from './spec.js';

/** What the Jacobian spectrum reports, and how the accumulated spectra become it. */

/** Singular values are listed only up to this count (min(n₀, n_L)); beyond, `singularValues` is null. */
export const MAX_LISTED_SINGULAR_VALUES = 1024;

export interface JacobianResult {
  inputSize: number;
  outputSize: number;
  /** The spectrum of J = ∂a^L/∂a⁰. */
  spectrum: JacobianSpectrum;
  /**
   * everyLayer: the spectra of ∂a^l/∂a⁰ for l = 1 … L (the last is `spectrum`),
   * without singular value lists; all histograms of the result then share one
   * range, so they stack into a depth × σ chart. null otherwise.
   */
  layers: JacobianSpectrum[] | null;
  /** Per layer l = 1 … L, at no extra cost (no SVD). */
  depthProfile: DepthFigures[];
  seed: number;
  precision: Precision;
}

export interface DepthFigures {
  depth: number;
  /** q^l = ‖z^l‖² / n_l: the measured length map, to set beside mean-field theory's q^l and q*. */
  preactivationMeanSquare: number;
  /** log10 of the mean σ² of ∂a^l/∂a⁰, ‖·‖_F² / min(n₀, n_l): mean-field theory's l·log10 χ₁. null for J = 0. */
  log10MeanSquaredSingularValue: number | null;
}

/**
 * The result from the spectra of the wanted (partial) Jacobians and the depth
 * profile: ranks, one histogram range for all of them, and the figures of each.
 */
export function jacobianResult(spec: JacobianSpec, plan: JacobianPlan, spectra: ScaledSpectrum[], depthProfile: DepthFigures[]): JacobianResult {
  const ranks = spectra.map((spectrum) => zeroBelowTolerance(spectrum, plan.precision));
  const range = histogramRange(spectra, plan.histogram);
  const depth = spec.layers.length;
  const figures = spectra.map((spectrum, index) =>
    spectrumFigures(
      spectrum,
      ranks[index] as number,
      plan.histogram,
      range,
      spectrum.depth === depth && spectrum.values.length <= MAX_LISTED_SINGULAR_VALUES,
    ),
  );
  return {
    inputSize: spec.inputSize,
    outputSize: plan.widths[depth] as number,
    spectrum: figures[figures.length - 1] as JacobianSpectrum,
    layers: spec.everyLayer === true ? figures : null,
    depthProfile,
    seed: spec.seed,
    precision: plan.precision,
  };
}
