import { z } from 'zod';
import { defineActivation, noParamGradients, type ScalarKernel } from './types.js';

export const rrelu = defineActivation({
  id: 'rrelu',
  name: 'Randomized leaky ReLU',
  aliases: [],
  description:
    'A leaky ReLU whose negative slope is drawn at random, uniformly from [lower, upper], for every element in training, and fixed at the midpoint (lower + upper)/2 in evaluation. The random slope acts as a regulariser, much like noise injection; in the original study it reduced overfitting on small datasets.',
  formula:
    '\\begin{cases} x & x \\ge 0 \\\\ r\\,x & x < 0 \\end{cases}, \\quad r \\sim U(l, u) \\text{ (train)}, \\ r = \\tfrac{l + u}{2} \\text{ (eval)}',
  derivativeFormula: '\\begin{cases} 1 & x > 0 \\\\ r & x \\le 0 \\end{cases}',
  paramsSchema: z
    .strictObject({
      lower: z.number().min(0).default(1 / 8).describe('Lower bound l of the uniform slope distribution; 0 ≤ lower ≤ upper.'),
      upper: z.number().min(0).default(1 / 3).describe('Upper bound u of the uniform slope distribution; upper ≥ lower.'),
    })
    .refine((params) => params.lower <= params.upper, {
      message: 'lower must not exceed upper',
      path: ['upper'],
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
      convention:
        "PyTorch's autograd returns the negative slope at x = 0 (the slope-1 branch is x > 0, strict): (lower + upper)/2 = 11/48 in eval mode, the element's drawn slope in train mode.",
    },
  ],
  introduced: {
    year: 2015,
    authors: 'Bing Xu, Naiyan Wang, Tianqi Chen, Mu Li',
    reference: 'Empirical Evaluation of Rectified Activations in Convolutional Network (arXiv:1505.00853, 2015)',
  },
  // The eval-mode kernel's corner; the mean-field integrals use that kernel (slope (lower + upper)/2),
  // never the train mode's per-element slopes.
  breakpoints: () => [0],
  kernel: ({ lower, upper }, context): ScalarKernel => {
    if (context.mode === 'eval') {
      const slope = (lower + upper) / 2;
      return {
        value: (x) => (x >= 0 ? x : slope * x),
        derivative: (x) => (x > 0 ? 1 : slope),
        paramGradients: noParamGradients,
      };
    }
    // One draw per element whatever the sign of its input, so the slopes depend
    // only on the seed and the batch size, never on the data. The min() keeps
    // every slope ≤ upper whatever the rounding of lower + (upper − lower)·u.
    const slopes = new Float64Array(context.count);
    for (let i = 0; i < slopes.length; i += 1) {
      slopes[i] = Math.min(upper, lower + (upper - lower) * context.uniform());
    }
    const slopeAt = (index: number): number => {
      const slope = slopes[index];
      if (slope === undefined) {
        throw new RangeError(`rrelu kernel: index ${index} is outside the batch of ${slopes.length} elements`);
      }
      return slope;
    };
    return {
      value: (x, index) => (x >= 0 ? x : slopeAt(index) * x),
      derivative: (x, index) => (x > 0 ? 1 : slopeAt(index)),
      paramGradients: noParamGradients,
    };
  },
});
