import { z } from 'zod';
import { defineActivation, noParamGradients } from './types.js';

export const elu = defineActivation({
  id: 'elu',
  name: 'Exponential linear unit (ELU)',
  aliases: [],
  description:
    'x for positive inputs and α(eˣ − 1) for negative ones: the identity where active, saturating smoothly to −α below. Negative outputs pull the mean activation towards zero, and the derivative is exactly 1 for x > 0, so active units do not shrink gradients (compare sigmoid\'s maximum of 1/4 and tanh\'s 1 only at the origin). With the default α = 1 the slopes match at 0 and ELU is continuously differentiable; for α ≠ 1 it has a corner there, where PyTorch returns α as the derivative.',
  formula: '\\begin{cases} x & x > 0 \\\\ \\alpha\\,(e^{x} - 1) & x \\le 0 \\end{cases}',
  derivativeFormula: '\\begin{cases} 1 & x > 0 \\\\ \\alpha\\,e^{x} & x \\le 0 \\end{cases}',
  paramsSchema: z.strictObject({
    alpha: z
      .number()
      .default(1)
      .describe('Scale α of the negative branch, which saturates at −α; any finite number (PyTorch allows it).'),
  }),
  range: { min: -1, max: null, notation: '(-1, \\infty)' },
  properties: {
    monotonic: true,
    smooth: true,
    zeroCentered: false,
    saturatesNegative: true,
    saturatesPositive: false,
  },
  maxDerivative: 1,
  // Differentiable at 0 for the default α = 1; for α ≠ 1 the kernel returns elu'(0) = α, as PyTorch.
  kinks: [],
  introduced: {
    year: 2015,
    authors: 'Djork-Arné Clevert, Thomas Unterthiner, Sepp Hochreiter',
    reference:
      'Fast and Accurate Deep Network Learning by Exponential Linear Units (ELUs) (arXiv 1511.07289, 2015; ICLR 2016)',
  },
  // φ″ jumps at 0 for every α (from α to 0), φ′ too unless α = 1.
  breakpoints: () => [0],
  kernel: ({ alpha }) => ({
    value: (x) => (x > 0 ? x : alpha * Math.expm1(x)),
    // x ≤ 0 includes the corner: elu'(0) = α·e⁰ = α, as PyTorch.
    derivative: (x) => (x > 0 ? 1 : alpha * Math.exp(x)),
    paramGradients: noParamGradients,
  }),
});
