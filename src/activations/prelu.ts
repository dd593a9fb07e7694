import { z } from 'zod';
import { defineActivation } from './types.js';

export const prelu = defineActivation({
  id: 'prelu',
  name: 'Parametric ReLU',
  aliases: [],
  description:
    'A leaky ReLU whose negative slope a is a parameter the network learns by gradient descent, like a weight (PyTorch starts it at 0.25). Its gradient with respect to a is x for negative inputs and 0 otherwise, so each layer can choose how leaky to be at almost no extra cost.',
  formula: '\\begin{cases} x & x \\ge 0 \\\\ a\\,x & x < 0 \\end{cases}',
  derivativeFormula:
    '\\frac{\\partial f}{\\partial x} = \\begin{cases} 1 & x > 0 \\\\ a & x \\le 0 \\end{cases}, \\quad \\frac{\\partial f}{\\partial a} = \\begin{cases} 0 & x > 0 \\\\ x & x \\le 0 \\end{cases}',
  paramsSchema: z.strictObject({
    alpha: z
      .number()
      .default(0.25)
      .describe('Learnable slope a for negative inputs; any finite number (PyTorch initialises it to 0.25).')
      .meta({ learnable: true }),
  }),
  range: { min: null, max: null, notation: '(-\\infty, \\infty)' },
  properties: {
    monotonic: true,
    smooth: false,
    zeroCentered: false,
    saturatesNegative: false,
    saturatesPositive: false,
  },
  maxDerivative: 1,
  kinks: [
    { x: 0, convention: "PyTorch's autograd returns alpha at x = 0 (the slope-1 branch is x > 0, strict)." },
  ],
  introduced: {
    year: 2015,
    authors: 'Kaiming He, Xiangyu Zhang, Shaoqing Ren, Jian Sun',
    reference:
      'Delving Deep into Rectifiers: Surpassing Human-Level Performance on ImageNet Classification (ICCV 2015, Microsoft Research; also introduced He initialisation)',
  },
  breakpoints: () => [0],
  negativeSlope: ({ alpha }) => alpha,
  kernel: ({ alpha }) => ({
    value: (x) => (x >= 0 ? x : alpha * x),
    derivative: (x) => (x > 0 ? 1 : alpha),
    paramGradients: { alpha: (x) => (x > 0 ? 0 : x) },
  }),
});
