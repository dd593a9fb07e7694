import { z } from 'zod';
import { exponentArgumentError, scaledExp, scaledSigmoid, sigmoid, softplus as softplusOfProduct } from './numeric.js';
import { defineActivation, noParamGradients } from './types.js';

/** Below u = −708, softplus(u) = log1p(e^u) = e^u exactly and e^u is subnormal. */
const SUBNORMAL_EXP_BELOW = -708;
/** Relative size (in units of 1/β) below which the jump at the threshold is no breakpoint. */
const NEGLIGIBLE_THRESHOLD_JUMP = 1e-8;

export const softplus = defineActivation({
  id: 'softplus',
  name: 'Softplus',
  aliases: [],
  description:
    'A smooth ReLU, (1/β)·ln(1 + e^{βx}): always positive, close to 0 for very negative inputs and to x for large ones. Its derivative is the sigmoid σ(βx), at most 1, so it neither explodes nor dies outright, but it still vanishes for very negative inputs. Like PyTorch it returns x itself once βx exceeds the threshold, where the true value is larger only by about e^{−threshold}/β (2e−9 at the defaults).',
  formula:
    '\\begin{cases} x & \\beta x > \\text{threshold} \\\\ \\frac{1}{\\beta}\\ln\\bigl(1 + e^{\\beta x}\\bigr) & \\text{otherwise} \\end{cases}',
  derivativeFormula:
    '\\begin{cases} 1 & \\beta x > \\text{threshold} \\\\ \\sigma(\\beta x) & \\text{otherwise} \\end{cases}',
  paramsSchema: z.strictObject({
    beta: z.number().gt(0).default(1).describe('Sharpness β > 0: larger β brings softplus closer to ReLU.'),
    threshold: z
      .number()
      .gt(0)
      .default(20)
      .describe('Above βx = threshold the function returns x and its derivative 1, as PyTorch does.'),
  }),
  range: { min: 0, max: null, notation: '(0, \\infty)' },
  properties: {
    monotonic: true,
    smooth: true,
    zeroCentered: false,
    saturatesNegative: true,
    saturatesPositive: false,
  },
  maxDerivative: 1,
  kinks: [],
  introduced: {
    year: 2001,
    authors: 'Charles Dugas, Yoshua Bengio, François Bélisle, Claude Nadeau, René Garcia',
    reference: 'Incorporating Second-Order Functional Knowledge for Better Option Pricing (NIPS 13, 2001)',
  },
  // PyTorch's switch to x above βx = t leaves a jump of ln(1 + e^{−t})/β ≈ e^{−t}/β: a breakpoint
  // only when that is not negligible (t < 18.4). At the default t = 20 it is 2e−9/β and moves the
  // integrals by < 1e−9 relative, while splitting there would double the kernel calls per integral.
  breakpoints: ({ beta, threshold }) => (Math.exp(-threshold) > NEGLIGIBLE_THRESHOLD_JUMP ? [threshold / beta] : []),
  // Branch points of ln(1 + e^{βx}) at βx = ±iπ.
  featureScale: ({ beta }) => 2 / beta,
  kernel: ({ beta, threshold }) => {
    const inverseBeta = 1 / beta;
    return {
      value: (x) => {
        const u = beta * x;
        if (u > threshold) return x;
        // βx is rounded; its exact error δ corrects softplus(u + δ) ≈ softplus(u) + δ·σ(u),
        // which matters in the tail where softplus(u) ≈ e^u amplifies δ |u|-fold.
        const uLow = exponentArgumentError(beta, x, u);
        if (u < SUBNORMAL_EXP_BELOW) return scaledExp(u, inverseBeta + inverseBeta * uLow);
        return (softplusOfProduct(u) + uLow * sigmoid(u)) / beta;
      },
      derivative: (x) => {
        const u = beta * x;
        if (u > threshold) return 1;
        return scaledSigmoid(1, u, exponentArgumentError(beta, x, u));
      },
      paramGradients: noParamGradients,
    };
  },
});
