import type { ResolvedActivation } from '../activations/resolve.js';

/**
 * The theory's reading of two facts each activation record states about
 * itself (see `ActivationRecord` in src/activations/types.ts): where φ stops
 * being analytic (`breakpoints`) and the x-scale on which it varies
 * (`featureScale`). test/theory/breakpoints.test.ts checks both against the
 * kernels.
 */

/** The activation's breakpoints, ascending and distinct (empty for an analytic φ). */
export function breakpointsOf(activation: ResolvedActivation): number[] {
  const breakpoints = activation.record.breakpoints?.(activation.params) ?? [];
  return [...new Set(breakpoints)].sort((a, b) => a - b);
}

/** The activation's feature scale; 1 when the record states none, or none finite and positive (swish with β = 0, x/2). */
export function featureScaleOf(activation: ResolvedActivation): number {
  const scale = activation.record.featureScale?.(activation.params) ?? 1;
  return Number.isFinite(scale) && scale > 0 ? scale : 1;
}
