import { z } from 'zod';
import { defineActivation, noParamGradients } from './types.js';

export const softshrink = defineActivation({
  id: 'softshrink',
  name: 'Soft shrinkage',
  aliases: [],
  description:
    'Soft thresholding: inputs with |x| ≤ λ become 0 and every other input is moved λ closer to 0. It is the proximal operator of the L1 penalty, which is why it appears in sparse coding and wavelet denoising; it is continuous and monotonic, with a dead zone of zero gradient in [−λ, λ].',
  formula: '\\begin{cases} x - \\lambda & x > \\lambda \\\\ 0 & -\\lambda \\le x \\le \\lambda \\\\ x + \\lambda & x < -\\lambda \\end{cases}',
  derivativeFormula: '\\begin{cases} 1 & |x| > \\lambda \\\\ 0 & |x| \\le \\lambda \\end{cases}',
  paramsSchema: z.strictObject({
    lambda: z.number().min(0).default(0.5).describe('Half-width λ ≥ 0 of the dead zone [−λ, λ].'),
  }),
  range: { min: null, max: null, notation: '(-\\infty, \\infty)' },
  properties: {
    monotonic: true,
    smooth: false,
    zeroCentered: true,
    saturatesNegative: false,
    saturatesPositive: false,
  },
  maxDerivative: 1,
  kinks: [
    { x: -0.5, convention: "PyTorch's autograd returns 0 at x = −lambda (the dead zone −lambda ≤ x ≤ lambda is closed)." },
    { x: 0.5, convention: "PyTorch's autograd returns 0 at x = lambda (the dead zone −lambda ≤ x ≤ lambda is closed)." },
  ],
  introduced: {
    year: 1995,
    authors: 'David L. Donoho',
    reference: 'De-noising by Soft-Thresholding (IEEE Transactions on Information Theory 41(3), 1995); the SoftShrink module of Torch',
  },
  breakpoints: ({ lambda }) => [-lambda, lambda],
  kernel: ({ lambda }) => ({
    value: (x) => (x > lambda ? x - lambda : x < -lambda ? x + lambda : 0),
    derivative: (x) => (x > lambda || x < -lambda ? 1 : 0),
    paramGradients: noParamGradients,
  }),
});
