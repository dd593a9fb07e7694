import { z } from 'zod';
import { exponentQuotientError, scaledExp } from './numeric.js';
import { defineActivation, noParamGradients } from './types.js';

/** Above q = 700, expm1(q) = e^q in float64 and α·e^q is formed by scaledExp so it overflows only where the true value does. */
const EXP_OVERFLOW_GUARD = 700;

export const celu = defineActivation({
  id: 'celu',
  name: 'Continuously differentiable exponential linear unit (CELU)',
  aliases: [],
  description:
    'ELU reparametrised as x for x > 0 and α(e^{x/α} − 1) otherwise, so that the slope at 0⁻ is 1 for every α: CELU is continuously differentiable at 0 for any α, where ELU is only for α = 1 (with the default α = 1 the two coincide). Active units pass gradients unchanged (derivative 1), the negative side saturates to −α, and its derivative e^{x/α} lies in (0, 1] for α > 0, so it never explodes.',
  formula: '\\max(0, x) + \\min\\bigl(0, \\alpha\\,(e^{x/\\alpha} - 1)\\bigr)',
  derivativeFormula: '\\begin{cases} 1 & x > 0 \\\\ e^{x/\\alpha} & x \\le 0 \\end{cases}',
  paramsSchema: z.strictObject({
    alpha: z
      .number()
      .refine((alpha) => alpha !== 0, { message: 'alpha must not be 0' })
      .default(1)
      .describe('Scale α ≠ 0 of the negative branch, which saturates at −α; any finite nonzero number.'),
  }),
  range: { min: -1, max: null, notation: '(-1, \\infty)' },
  properties: {
    monotonic: true,
    smooth: true,
    zeroCentered: false,
    saturatesNegative: true,
    saturatesPositive: false,
  },
  maxDerivative: 1,
  kinks: [],
  introduced: {
    year: 2017,
    authors: 'Jonathan T. Barron',
    reference: 'Continuously Differentiable Exponential Linear Units (arXiv 1704.07483, 2017)',
  },
  // φ″ jumps at 0 for every α (from 1/α to 0); φ′ is continuous there.
  breakpoints: () => [0],
  // α stretches x on the negative side: e^{x/α}.
  featureScale: ({ alpha }) => Math.abs(alpha),
  kernel: ({ alpha }) => ({
    value: (x) => {
      if (x > 0) return x;
      const q = x / alpha;
      // e^q magnifies q's rounding |q|-fold: correct to first order, expm1(q + δ) ≈ expm1(q) + δ·e^q.
      const qLow = exponentQuotientError(x, alpha, q);
      if (q > EXP_OVERFLOW_GUARD) return scaledExp(q, alpha + alpha * qLow);
      return alpha * (Math.expm1(q) + qLow * Math.exp(q));
    },
    // x ≤ 0 includes 0: celu'(0) = e⁰ = 1, as PyTorch; scaledExp keeps a subnormal e^q's digits.
    derivative: (x) => {
      if (x > 0) return 1;
      const q = x / alpha;
      return scaledExp(q, 1 + exponentQuotientError(x, alpha, q));
    },
    paramGradients: noParamGradients,
  }),
});
