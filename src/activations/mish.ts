import { z } from 'zod';
import { scaledExp, sigmoid } from './numeric.js';
import { defineActivation, noParamGradients } from './types.js';

/** Below x = −708, e^x is subnormal: tanh(softplus(x)) = e^x and mish'(x) = e^x(1 + x) exactly in float64. */
const SUBNORMAL_EXP_BELOW = -708;

/**
 * tanh(softplus(x)) = ((1 + eˣ)² − 1)/((1 + eˣ)² + 1), rearranged so nothing cancels:
 * with n = eˣ (x ≤ 0), N = n(n + 2) and tanh = N/(N + 2);
 * with m = e^{−x} (x > 0), tanh = (1 + 2m)/(1 + 2m + 2m²).
 * Neither exponential can overflow.
 */
function tanhOfSoftplus(x: number): number {
  if (x <= 0) {
    const n = Math.exp(x);
    const numerator = n * (n + 2);
    return numerator / (numerator + 2);
  }
  const m = Math.exp(-x);
  const numerator = 1 + 2 * m;
  return numerator / (numerator + 2 * m * m);
}

/**
 * sech²(softplus(x)) = 1 − tanh²(softplus(x)) from the same forms, without the
 * subtraction: 4(N + 1)/(N + 2)² for x ≤ 0 and (2m(1 + m)/(1 + 2m + 2m²))² for x > 0.
 */
function sech2OfSoftplus(x: number): number {
  if (x <= 0) {
    const n = Math.exp(x);
    const numerator = n * (n + 2);
    const denominator = numerator + 2;
    return (4 * (numerator + 1)) / (denominator * denominator);
  }
  const m = Math.exp(-x);
  const ratio = (2 * m * (1 + m)) / (1 + 2 * m + 2 * m * m);
  return ratio * ratio;
}

/**
 * mish'(x) = tanh(sp) + x·σ(x)·sech²(sp), sp = softplus(x). x·σ(x) is finite for
 * every finite x and sech² underflows to 0 for large x, so no ∞·0 arises.
 * Near the zero at x ≈ −1.1924 the two terms cancel; that loss is inherent.
 * (A single-exponential form over the common denominator was tried: it is
 * ten times less accurate next to that zero.)
 */
function mishDerivative(x: number): number {
  return tanhOfSoftplus(x) + x * sigmoid(x) * sech2OfSoftplus(x);
}

export const mish = defineActivation({
  id: 'mish',
  name: 'Mish',
  aliases: [],
  description:
    'x·tanh(softplus(x)): a smooth, non-monotonic relative of SiLU with a dip to −0.3088 at x ≈ −1.1924, unbounded above and bounded below. Its derivative overshoots 1 only slightly (at most 1.0885 at x ≈ 1.49) and tends to 1 for large x, so active units keep their gradient, unlike sigmoid (at most 1/4) or saturated tanh.',
  formula: 'x \\tanh\\bigl(\\ln(1 + e^{x})\\bigr)',
  derivativeFormula:
    '\\tanh(\\operatorname{sp}(x)) + x\\,\\sigma(x)\\,\\operatorname{sech}^2(\\operatorname{sp}(x)), \\quad \\operatorname{sp}(x) = \\ln(1 + e^{x})',
  paramsSchema: z.strictObject({}),
  range: { min: -0.30884341301725043, max: null, notation: '[-0.30884\\ldots, \\infty)' },
  properties: {
    monotonic: false,
    smooth: true,
    zeroCentered: false,
    saturatesNegative: true,
    saturatesPositive: false,
  },
  // sup |mish'| at x = 1.4905711794…, mpmath 50 digits.
  maxDerivative: 1.088498161251728,
  kinks: [],
  introduced: {
    year: 2019,
    authors: 'Diganta Misra',
    reference: 'Mish: A Self Regularized Non-Monotonic Activation Function (arXiv 1908.08681, 2019; BMVC 2020)',
  },
  // Nearest singularities: tanh's poles, reached where softplus(x) = ±iπ/2, i.e. x = ln√2 ± 3πi/4 ≈ 0.35 ± 2.36i.
  featureScale: () => 1.5,
  kernel: () => ({
    value: (x) => (x < SUBNORMAL_EXP_BELOW ? scaledExp(x, x) : x * tanhOfSoftplus(x)),
    derivative: (x) => (x < SUBNORMAL_EXP_BELOW ? scaledExp(x, 1 + x) : mishDerivative(x)),
    paramGradients: noParamGradients,
  }),
});
