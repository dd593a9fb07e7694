import { z } from 'zod';
import { defineActivation, noParamGradients } from './types.js';

export const relu6 = defineActivation({
  id: 'relu6',
  name: 'ReLU6',
  aliases: [],
  description:
    'A ReLU capped at 6: min(max(0, x), 6). The cap keeps activations in a small fixed range, which suits low-precision (fixed-point) arithmetic on mobile hardware; the price is that units above 6 pass no gradient, just like units below 0.',
  formula: '\\min(\\max(0, x), 6)',
  derivativeFormula: '\\begin{cases} 1 & 0 < x < 6 \\\\ 0 & \\text{otherwise} \\end{cases}',
  paramsSchema: z.strictObject({}),
  range: { min: 0, max: 6, notation: '[0, 6]' },
  properties: {
    monotonic: true,
    smooth: false,
    zeroCentered: false,
    saturatesNegative: true,
    saturatesPositive: true,
  },
  maxDerivative: 1,
  kinks: [
    { x: 0, convention: "PyTorch's autograd returns 0 at x = 0 (the 0 < x < 6 branch is strict)." },
    { x: 6, convention: "PyTorch's autograd returns 0 at x = 6 (the 0 < x < 6 branch is strict; TensorFlow.js returns 1 here)." },
  ],
  introduced: {
    year: 2010,
    authors: 'Alex Krizhevsky',
    reference:
      'Convolutional Deep Belief Networks on CIFAR-10 (unpublished manuscript, 2010); later the activation of MobileNet (2017)',
  },
  breakpoints: () => [0, 6],
  kernel: () => ({
    value: (x) => (x <= 0 ? 0 : x >= 6 ? 6 : x),
    derivative: (x) => (x > 0 && x < 6 ? 1 : 0),
    paramGradients: noParamGradients,
  }),
});
