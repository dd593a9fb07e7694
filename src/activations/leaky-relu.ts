import { z } from 'zod';
import { defineActivation, noParamGradients } from './types.js';

export const leakyRelu = defineActivation({
  id: 'leaky_relu',
  name: 'Leaky ReLU',
  aliases: [],
  description:
    'Like ReLU for x ≥ 0, but negative inputs are multiplied by a small fixed slope (0.01 by default) instead of being set to 0. The gradient for negative inputs is therefore small but never zero, so a unit pushed below 0 can still recover: it cannot "die".',
  formula: '\\begin{cases} x & x \\ge 0 \\\\ s\\,x & x < 0 \\end{cases}',
  derivativeFormula: '\\begin{cases} 1 & x > 0 \\\\ s & x \\le 0 \\end{cases}',
  paramsSchema: z.strictObject({
    negativeSlope: z
      .number()
      .default(0.01)
      .describe('Slope s for negative inputs; any finite number (PyTorch allows negative slopes and slopes above 1).'),
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
    {
      x: 0,
      convention: "PyTorch's autograd returns negativeSlope at x = 0 (the slope-1 branch is x > 0, strict).",
    },
  ],
  introduced: {
    year: 2013,
    authors: 'Andrew L. Maas, Awni Y. Hannun, Andrew Y. Ng',
    reference: 'Rectifier Nonlinearities Improve Neural Network Acoustic Models (ICML 2013 Workshop on Deep Learning for Audio, Speech and Language Processing)',
  },
  breakpoints: () => [0],
  negativeSlope: ({ negativeSlope }) => negativeSlope,
  kernel: ({ negativeSlope }) => ({
    value: (x) => (x >= 0 ? x : negativeSlope * x),
    derivative: (x) => (x > 0 ? 1 : negativeSlope),
    paramGradients: noParamGradients,
  }),
});
