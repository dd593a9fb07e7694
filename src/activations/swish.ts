import { z } from 'zod';
import { exponentArgumentError, scaledSigmoid, siluDerivative, squaredTimesSigmoidDerivative } from './numeric.js';
import { defineActivation } from './types.js';

export const swish = defineActivation({
  id: 'swish',
  name: 'Swish',
  aliases: [],
  description:
    'x·σ(βx) with a learnable β: β = 1 is SiLU, β → ∞ approaches ReLU and β = 0 gives the linear x/2. Found by an automated search over activation functions; like SiLU it is smooth and non-monotonic, and its derivative stays near 1 for active units (at most 1.0998 at β = 1), so it avoids the vanishing gradients of sigmoid (at most 1/4).',
  formula: 'x\\,\\sigma(\\beta x)',
  derivativeFormula:
    "\\sigma(\\beta x)\\,\\bigl(1 + \\beta x\\,(1 - \\sigma(\\beta x))\\bigr), \\quad \\frac{\\partial f}{\\partial \\beta} = x^2\\,\\sigma(\\beta x)\\,\\bigl(1 - \\sigma(\\beta x)\\bigr)",
  paramsSchema: z.strictObject({
    beta: z
      .number()
      .default(1)
      .describe('Slope β of the gate σ(βx); any finite number, learned with the weights. β = 1 is SiLU.')
      .meta({ learnable: true }),
  }),
  range: { min: -0.2784645427610738, max: null, notation: '[-0.27846\\ldots, \\infty)' },
  properties: {
    monotonic: false,
    smooth: true,
    zeroCentered: false,
    saturatesNegative: true,
    saturatesPositive: false,
  },
  // sup |f'| at β = 1, as for silu (mpmath 50 digits).
  maxDerivative: 1.099839320128867,
  kinks: [],
  introduced: {
    year: 2017,
    authors: 'Prajit Ramachandran, Barret Zoph, Quoc V. Le',
    reference: 'Searching for Activation Functions (arXiv 1710.05941, 2017)',
  },
  // x·σ(βx): σ's poles at βx = ±iπ. β = 0 (x/2) gives ∞, which the theory reads as 1.
  featureScale: ({ beta }) => 2 / Math.abs(beta),
  kernel: ({ beta }) => {
    // u = βx is rounded; its exact error feeds the first-order corrections in numeric.ts,
    // which keep σ(βx) relative-accurate in the tail where e^{βx} magnifies it |βx|-fold.
    const productLow = (x: number, u: number): number => exponentArgumentError(beta, x, u);
    return {
      value: (x) => {
        const u = beta * x;
        return scaledSigmoid(x, u, productLow(x, u));
      },
      derivative: (x) => {
        const u = beta * x;
        return siluDerivative(u, productLow(x, u));
      },
      paramGradients: {
        beta: (x) => {
          const u = beta * x;
          return squaredTimesSigmoidDerivative(x, u, productLow(x, u));
        },
      },
    };
  },
});
