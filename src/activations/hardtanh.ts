import { z } from 'zod';
import { defineActivation, noParamGradients } from './types.js';

export const hardtanh = defineActivation({
  id: 'hardtanh',
  name: 'Hard tanh',
  aliases: [],
  description:
    'x clipped to [minVal, maxVal] (by default [−1, 1]): a piecewise-linear stand-in for tanh that needs no exponential. Inside the interval the gradient is exactly 1, so it does not shrink; outside it is exactly 0, so saturated units learn nothing until their input comes back.',
  formula: '\\min(\\max(x, a), b), \\quad a = \\text{minVal},\\ b = \\text{maxVal}',
  derivativeFormula: '\\begin{cases} 1 & a < x < b \\\\ 0 & \\text{otherwise} \\end{cases}',
  paramsSchema: z
    .strictObject({
      minVal: z.number().default(-1).describe('Lower clipping bound; any finite number below maxVal.'),
      maxVal: z.number().default(1).describe('Upper clipping bound; any finite number above minVal.'),
    })
    .refine((params) => params.minVal < params.maxVal, {
      message: 'maxVal must be greater than minVal',
      path: ['maxVal'],
    }),
  range: { min: -1, max: 1, notation: '[-1, 1]' },
  properties: {
    monotonic: true,
    smooth: false,
    zeroCentered: true,
    saturatesNegative: true,
    saturatesPositive: true,
  },
  maxDerivative: 1,
  kinks: [
    { x: -1, convention: "PyTorch's autograd returns 0 at x = minVal (the slope-1 branch is minVal < x < maxVal, strict)." },
    { x: 1, convention: "PyTorch's autograd returns 0 at x = maxVal (the slope-1 branch is minVal < x < maxVal, strict)." },
  ],
  introduced: {
    year: 2004,
    authors: 'Ronan Collobert',
    reference: 'Large Scale Machine Learning (PhD thesis, Université Paris VI, 2004); the HardTanh module of Torch',
  },
  breakpoints: ({ minVal, maxVal }) => [minVal, maxVal],
  kernel: ({ minVal, maxVal }) => ({
    value: (x) => (x <= minVal ? minVal : x >= maxVal ? maxVal : x),
    derivative: (x) => (x > minVal && x < maxVal ? 1 : 0),
    paramGradients: noParamGradients,
  }),
});
