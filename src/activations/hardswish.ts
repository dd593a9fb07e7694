import { z } from 'zod';
import { defineActivation, noParamGradients } from './types.js';

export const hardswish = defineActivation({
  id: 'hardswish',
  name: 'Hard swish',
  aliases: [],
  description:
    'x times the hard sigmoid: 0 below −3, x above 3 and x(x + 3)/6 in between, a cheap piecewise-polynomial copy of swish/SiLU built without exponentials. Like swish it dips slightly below zero (to −3/8 at x = −1.5) and is not monotonic; its derivative jumps at −3 and at 3.',
  formula: '\\begin{cases} 0 & x \\le -3 \\\\ \\frac{x(x + 3)}{6} & -3 < x < 3 \\\\ x & x \\ge 3 \\end{cases}',
  derivativeFormula:
    '\\begin{cases} 0 & x \\le -3 \\\\ \\frac{2x + 3}{6} & -3 < x < 3 \\\\ 1 & x \\ge 3 \\end{cases}',
  paramsSchema: z.strictObject({}),
  range: { min: -3 / 8, max: null, notation: '[-\\tfrac{3}{8}, \\infty)' },
  properties: {
    monotonic: false,
    smooth: false,
    zeroCentered: false,
    saturatesNegative: true,
    saturatesPositive: false,
  },
  // sup of (2x + 3)/6 as x → 3 from below; not attained.
  maxDerivative: 1.5,
  kinks: [
    {
      x: -3,
      convention:
        "PyTorch's autograd returns 0 at x = −3, the value of the x ≤ −3 branch (PyTorch 2.6 returned −0.5 here, a bug since fixed).",
    },
    {
      x: 3,
      convention:
        "PyTorch's autograd returns 1 at x = 3, the value of the x ≥ 3 branch (PyTorch 2.6 returned 1.5 here, a bug since fixed).",
    },
  ],
  introduced: {
    year: 2019,
    authors: 'Andrew Howard, Mark Sandler, Grace Chu, Liang-Chieh Chen, Bo Chen, Mingxing Tan, Weijun Wang, Yukun Zhu, Ruoming Pang, Vijay Vasudevan, Quoc V. Le, Hartwig Adam',
    reference: 'Searching for MobileNetV3 (ICCV 2019)',
  },
  breakpoints: () => [-3, 3],
  kernel: () => ({
    // x + 3 and 2x + 3 are exact near their zeros (Sterbenz), so the small
    // results near x = −3 and x = −1.5 keep their relative accuracy.
    value: (x) => (x <= -3 ? 0 : x >= 3 ? x : (x * (x + 3)) / 6),
    derivative: (x) => (x <= -3 ? 0 : x >= 3 ? 1 : (2 * x + 3) / 6),
    paramGradients: noParamGradients,
  }),
});
