import { z } from 'zod';
import { defineActivation, noParamGradients } from './types.js';

export const relu = defineActivation({
  id: 'relu',
  name: 'Rectified linear unit',
  aliases: [],
  description:
    'max(0, x). Its derivative is exactly 1 for every active unit, so it does not shrink gradients the way sigmoid and tanh do; units stuck below 0 pass no gradient at all ("dying ReLU").',
  formula: '\\max(0, x)',
  derivativeFormula: '\\begin{cases} 1 & x > 0 \\\\ 0 & x \\le 0 \\end{cases}',
  paramsSchema: z.strictObject({}),
  range: { min: 0, max: null, notation: '[0, \\infty)' },
  properties: {
    monotonic: true,
    smooth: false,
    zeroCentered: false,
    saturatesNegative: true,
    saturatesPositive: false,
  },
  maxDerivative: 1,
  kinks: [{ x: 0, convention: "PyTorch's autograd returns 0 at x = 0 (the x > 0 branch is strict)." }],
  introduced: {
    year: 2010,
    authors: 'Vinod Nair, Geoffrey E. Hinton',
    reference: 'Rectified Linear Units Improve Restricted Boltzmann Machines (ICML 2010); popularised by AlexNet (2012)',
  },
  breakpoints: () => [0],
  kernel: () => ({
    value: (x) => (x > 0 ? x : 0),
    derivative: (x) => (x > 0 ? 1 : 0),
    paramGradients: noParamGradients,
  }),
});
