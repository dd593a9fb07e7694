/**
 * The thresholds every simulator reports by: when a unit counts as saturated,
 * and the verdict on a gradient ratio (feed-forward: first layer against last;
 * recurrent: first step against last).
 */

/** |φ′(z)| below this counts a unit as saturated. */
export const SATURATION_DERIVATIVE = 0.01;

/**
 * Verdict thresholds on log10GradientRatio: below −1 (the first layer's weight
 * gradient more than 10× smaller than the last layer's) `vanishing`, above +1
 * `exploding`, in between `stable`.
 */
export const VANISHING_LOG10_RATIO = -1;
export const EXPLODING_LOG10_RATIO = 1;

export type Verdict = 'vanishing' | 'exploding' | 'stable';

/** The verdict for a log10 gradient ratio; NaN (no gradient reached either end) counts as vanishing. */
export function verdictFor(log10GradientRatio: number): Verdict {
  if (log10GradientRatio > EXPLODING_LOG10_RATIO) return 'exploding';
  if (log10GradientRatio >= VANISHING_LOG10_RATIO) return 'stable';
  return 'vanishing';
}
