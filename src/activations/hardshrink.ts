import { z } from 'zod';
import { defineActivation, noParamGradients } from './types.js';

export const hardshrink = defineActivation({
  id: 'hardshrink',
  name: 'Hard shrinkage',
  aliases: [],
  description:
    'Hard thresholding: inputs with |x| ≤ λ become 0 and every other input passes unchanged. Unlike soft shrinkage it does not bias the surviving values towards 0, but it jumps from 0 to ±λ at x = ±λ; it is still monotonic (non-decreasing), and its derivative is 0 in the dead zone and 1 outside it.',
  formula: '\\begin{cases} x & |x| > \\lambda \\\\ 0 & |x| \\le \\lambda \\end{cases}',
  derivativeFormula: '\\begin{cases} 1 & |x| > \\lambda \\\\ 0 & |x| \\le \\lambda \\end{cases}',
  paramsSchema: z.strictObject({
    lambda: z.number().min(0).default(0.5).describe('Half-width λ ≥ 0 of the dead zone [−λ, λ].'),
  }),
  range: { min: null, max: null, notation: '(-\\infty, -0.5) \\cup \\{0\\} \\cup (0.5, \\infty)' },
  properties: {
    monotonic: true,
    smooth: false,
    zeroCentered: true,
    saturatesNegative: false,
    saturatesPositive: false,
  },
  maxDerivative: 1,
  kinks: [
    {
      x: -0.5,
      convention: "f jumps at x = −lambda; PyTorch's autograd returns 0 there (the dead zone −lambda ≤ x ≤ lambda is closed).",
    },
    {
      x: 0.5,
      convention: "f jumps at x = lambda; PyTorch's autograd returns 0 there (the dead zone −lambda ≤ x ≤ lambda is closed).",
    },
  ],
  introduced: {
    year: 1994,
    authors: 'David L. Donoho, Iain M. Johnstone',
    reference: 'Ideal Spatial Adaptation by Wavelet Shrinkage (Biometrika 81(3), 1994); the HardShrink module of Torch',
  },
  breakpoints: ({ lambda }) => [-lambda, lambda],
  kernel: ({ lambda }) => ({
    value: (x) => (x > lambda || x < -lambda ? x : 0),
    derivative: (x) => (x > lambda || x < -lambda ? 1 : 0),
    paramGradients: noParamGradients,
  }),
});
