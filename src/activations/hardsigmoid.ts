import { z } from 'zod';
import { defineActivation, noParamGradients } from './types.js';

export const hardsigmoid = defineActivation({
  id: 'hardsigmoid',
  name: 'Hard sigmoid',
  aliases: [],
  description:
    'A piecewise-linear stand-in for the sigmoid: 0 below −3, 1 above 3 and the straight line (x + 3)/6 in between, so it needs no exponential. It is cheap on mobile hardware, but like the sigmoid it passes no gradient once saturated, and the gradient is exactly 0 outside (−3, 3).',
  formula: '\\begin{cases} 0 & x \\le -3 \\\\ \\frac{x + 3}{6} & -3 < x < 3 \\\\ 1 & x \\ge 3 \\end{cases}',
  derivativeFormula: '\\begin{cases} \\frac{1}{6} & -3 < x < 3 \\\\ 0 & \\text{otherwise} \\end{cases}',
  paramsSchema: z.strictObject({}),
  range: { min: 0, max: 1, notation: '[0, 1]' },
  properties: {
    monotonic: true,
    smooth: false,
    zeroCentered: false,
    saturatesNegative: true,
    saturatesPositive: true,
  },
  maxDerivative: 1 / 6,
  kinks: [
    { x: -3, convention: "PyTorch's autograd returns 0 at x = −3 (the slope-1/6 branch is −3 < x < 3, strict)." },
    { x: 3, convention: "PyTorch's autograd returns 0 at x = 3 (the slope-1/6 branch is −3 < x < 3, strict)." },
  ],
  introduced: {
    year: 2019,
    authors: 'Andrew Howard, Mark Sandler, Grace Chu, Liang-Chieh Chen, Bo Chen, Mingxing Tan, Weijun Wang, Yukun Zhu, Ruoming Pang, Vijay Vasudevan, Quoc V. Le, Hartwig Adam',
    reference: 'Searching for MobileNetV3 (ICCV 2019): the form relu6(x + 3)/6 that PyTorch uses',
  },
  breakpoints: () => [-3, 3],
  kernel: () => ({
    // (x + 3)/6 rather than x/6 + 1/2: near −3 the sum x + 3 is exact (Sterbenz),
    // while x/6 + 1/2 cancels and loses the relative accuracy of the small result.
    value: (x) => (x <= -3 ? 0 : x >= 3 ? 1 : (x + 3) / 6),
    derivative: (x) => (x > -3 && x < 3 ? 1 / 6 : 0),
    paramGradients: noParamGradients,
  }),
});
