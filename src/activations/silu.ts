import { z } from 'zod';
import { scaledSigmoid, siluDerivative } from './numeric.js';
import { defineActivation, noParamGradients } from './types.js';

export const silu = defineActivation({
  id: 'silu',
  name: 'Sigmoid linear unit (SiLU)',
  aliases: [],
  description:
    'x·σ(x): the input gated by its own sigmoid, a smooth, non-monotonic ReLU look-alike with a shallow dip to −0.2785 at x ≈ −1.2785. Its derivative σ(x)(1 + x(1 − σ(x))) overshoots 1 slightly (up to 1.0998 at x ≈ 2.40) and tends to 1 for large x, so active units do not shrink gradients the way sigmoid (at most 1/4) does. It is swish with β = 1.',
  formula: 'x\\,\\sigma(x)',
  derivativeFormula: '\\sigma(x)\\,\\bigl(1 + x\\,(1 - \\sigma(x))\\bigr)',
  paramsSchema: z.strictObject({}),
  range: { min: -0.2784645427610738, max: null, notation: '[-0.27846\\ldots, \\infty)' },
  properties: {
    monotonic: false,
    smooth: true,
    zeroCentered: false,
    saturatesNegative: true,
    saturatesPositive: false,
  },
  // sup |silu'| at x = 2.3993572805…, mpmath 50 digits.
  maxDerivative: 1.099839320128867,
  kinks: [],
  introduced: {
    year: 2017,
    authors: 'Stefan Elfwing, Eiji Uchibe, Kenji Doya',
    reference:
      'Sigmoid-Weighted Linear Units for Neural Network Function Approximation in Reinforcement Learning (arXiv 2017; Neural Networks, 2018); also proposed by Hendrycks & Gimpel (2016) next to GELU',
  },
  // x·σ(x): σ's poles at ±iπ.
  featureScale: () => 2,
  kernel: () => ({
    // x·σ(x) with a normal result even where σ(x) = e^x is subnormal (x < −708).
    value: (x) => scaledSigmoid(x, x, 0),
    derivative: (x) => siluDerivative(x, 0),
    paramGradients: noParamGradients,
  }),
});
