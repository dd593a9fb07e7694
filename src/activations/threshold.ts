import { z } from 'zod';
import { defineActivation, noParamGradients } from './types.js';

export const threshold = defineActivation({
  id: 'threshold',
  name: 'Threshold',
  aliases: [],
  description:
    'Passes x when it exceeds the threshold and replaces it by a fixed value otherwise; with the defaults (threshold 0, value 0) it is exactly ReLU. The replaced inputs get zero gradient, and the function jumps at the threshold whenever value differs from threshold.',
  formula: '\\begin{cases} x & x > t \\\\ v & x \\le t \\end{cases}, \\quad t = \\text{threshold},\\ v = \\text{value}',
  derivativeFormula: '\\begin{cases} 1 & x > t \\\\ 0 & x \\le t \\end{cases}',
  paramsSchema: z.strictObject({
    threshold: z.number().default(0).describe('Threshold t: inputs x > t pass unchanged; any finite number.'),
    value: z.number().default(0).describe('Replacement v for inputs x ≤ t; any finite number.'),
  }),
  range: { min: 0, max: null, notation: '[0, \\infty)' },
  properties: {
    monotonic: true,
    smooth: false,
    zeroCentered: false,
    saturatesNegative: true,
    saturatesPositive: false,
  },
  maxDerivative: 1,
  kinks: [
    { x: 0, convention: "PyTorch's autograd returns 0 at x = threshold (the pass-through branch is x > threshold, strict)." },
  ],
  introduced: {
    year: 2011,
    authors: 'Ronan Collobert, Koray Kavukcuoglu, Clément Farabet',
    reference: 'Torch7: A Matlab-like Environment for Machine Learning (BigLearn, NIPS Workshop 2011): the nn.Threshold module, kept by PyTorch',
  },
  breakpoints: ({ threshold: cutoff }) => [cutoff],
  kernel: ({ threshold: cutoff, value: replacement }) => ({
    value: (x) => (x > cutoff ? x : replacement),
    derivative: (x) => (x > cutoff ? 1 : 0),
    paramGradients: noParamGradients,
  }),
});
