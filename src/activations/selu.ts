import { z } from 'zod';
import { defineActivation, noParamGradients } from './types.js';

/** SELU's α = 1.6732632423543772848170429916717 (Klambauer et al. 2017), rounded to float64. */
export const SELU_ALPHA = 1.6732632423543772;
/** SELU's scale λ = 1.0507009873554804934193349852946 (Klambauer et al. 2017), rounded to float64. */
export const SELU_LAMBDA = 1.0507009873554805;
/**
 * λα rounded once from the exact product of the two decimals (mpmath, 50 digits:
 * 1.75809934084737685994…); the product of the two rounded constants would be
 * 1.7580993408473766, one ulp off.
 */
export const SELU_LAMBDA_ALPHA = 1.7580993408473768;

export const selu = defineActivation({
  id: 'selu',
  name: 'Scaled exponential linear unit (SELU)',
  aliases: [],
  description:
    'λ·ELU with α ≈ 1.6733 and λ ≈ 1.0507, constants chosen so that activations of a deep fully connected network with LeCun-normal weights converge to zero mean and unit variance (self-normalising). The derivative is λ ≈ 1.0507 for x > 0, slightly above 1, and up to λα ≈ 1.7581 just left of 0, which balances the shrinking on the saturating negative side so gradients neither vanish nor explode. It has a corner at 0, where PyTorch returns λα.',
  formula: '\\lambda \\begin{cases} x & x > 0 \\\\ \\alpha\\,(e^{x} - 1) & x \\le 0 \\end{cases}',
  derivativeFormula: '\\begin{cases} \\lambda & x > 0 \\\\ \\lambda\\alpha\\,e^{x} & x \\le 0 \\end{cases}',
  paramsSchema: z.strictObject({}),
  range: { min: -SELU_LAMBDA_ALPHA, max: null, notation: '(-\\lambda\\alpha, \\infty) \\approx (-1.7581, \\infty)' },
  properties: {
    monotonic: true,
    smooth: false,
    zeroCentered: true,
    saturatesNegative: true,
    saturatesPositive: false,
  },
  maxDerivative: SELU_LAMBDA_ALPHA,
  kinks: [
    {
      x: 0,
      convention:
        "Left slope λα ≈ 1.7581, right slope λ ≈ 1.0507; PyTorch's autograd takes the x ≤ 0 branch and returns λα.",
    },
  ],
  introduced: {
    year: 2017,
    authors: 'Günter Klambauer, Thomas Unterthiner, Andreas Mayr, Sepp Hochreiter',
    reference: 'Self-Normalizing Neural Networks (NeurIPS 2017)',
  },
  // φ′ jumps from λα to λ at 0 (φ″ too).
  breakpoints: () => [0],
  kernel: () => ({
    // λx overflows only where the true value does (x > MAX_VALUE/λ).
    value: (x) => (x > 0 ? SELU_LAMBDA * x : SELU_LAMBDA_ALPHA * Math.expm1(x)),
    derivative: (x) => (x > 0 ? SELU_LAMBDA : SELU_LAMBDA_ALPHA * Math.exp(x)),
    paramGradients: noParamGradients,
  }),
});
