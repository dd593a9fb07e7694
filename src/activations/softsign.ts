import { z } from 'zod';
import { defineActivation, noParamGradients } from './types.js';

export const softsign = defineActivation({
  id: 'softsign',
  name: 'Softsign',
  aliases: [],
  description:
    'x/(1 + |x|): shaped like tanh, with outputs in (−1, 1) and slope 1 at the origin, but it approaches ±1 polynomially instead of exponentially. Its derivative 1/(1 + |x|)² therefore decays like 1/x², so saturated units still pass some gradient, far more than tanh\'s e^{−2|x|}.',
  formula: '\\frac{x}{1 + |x|}',
  derivativeFormula: '\\frac{1}{(1 + |x|)^2}',
  paramsSchema: z.strictObject({}),
  range: { min: -1, max: 1, notation: '(-1, 1)' },
  properties: {
    monotonic: true,
    smooth: true,
    zeroCentered: true,
    saturatesNegative: true,
    saturatesPositive: true,
  },
  maxDerivative: 1,
  kinks: [],
  introduced: {
    year: 2009,
    authors: 'Joseph Turian, James Bergstra, Yoshua Bengio',
    reference: 'Quadratic Features and Deep Architectures for Chunking (NAACL HLT 2009)',
  },
  // x/(1 + |x|): φ″ jumps from 2 to −2 at 0.
  breakpoints: () => [0],
  kernel: () => ({
    value: (x) => x / (1 + Math.abs(x)),
    derivative: (x) => {
      // r² with r = 1/(1 + |x|): never forms (1 + |x|)², which overflows beyond |x| ≈ 1.3e154.
      const reciprocal = 1 / (1 + Math.abs(x));
      return reciprocal * reciprocal;
    },
    paramGradients: noParamGradients,
  }),
});
