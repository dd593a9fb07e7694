import { z } from 'zod';
import {
  productError,
  scaledNormalCdf,
  scaledNormalPdf,
  scaledSigmoid,
  sigmoid,
  sigmoidDerivative,
  sumError,
} from './numeric.js';
import type { ScalarKernel } from './types.js';
import { defineActivation, noParamGradients } from './types.js';

/** √(2/π) as hi + lo (mpmath, 50 digits). */
const SQRT_2_OVER_PI = 0.7978845608028654;
const SQRT_2_OVER_PI_LOW = -4.98465440455546e-17;
/** The tanh approximation's cubic coefficient 0.044715 as hi + lo (the decimal is not a float64). */
const CUBIC = 0.044715;
const CUBIC_LOW = 2.1960211427085595e-18;
/**
 * Beyond |x| = 30 the tanh form is exactly x (x > 0) or 0 (x < 0) in float64:
 * |2u| > 1970 there. Returning the limits also keeps x³ from overflowing.
 */
const TANH_FORM_LIMIT = 30;

/** An unevaluated sum hi + lo, reused across calls so no element allocates. */
interface DoubleDouble {
  high: number;
  low: number;
}

/**
 * z = 2u = 2√(2/π)(x + 0.044715x³) in double-double arithmetic. σ(z) loses
 * |z| times z's relative error in its tail (~1200 ulp near x = −21 with plain
 * doubles); carrying z as hi + lo and correcting σ to first order removes that.
 */
function tanhFormArgument(x: number, out: DoubleDouble): void {
  const square = x * x;
  const squareLow = productError(x, x, square);
  const cube = square * x;
  const cubeLow = productError(square, x, cube) + squareLow * x;
  const cubic = CUBIC * cube;
  const cubicLow = productError(CUBIC, cube, cubic) + CUBIC * cubeLow + CUBIC_LOW * cube;
  const inner = x + cubic;
  const innerLow = sumError(x, cubic, inner) + cubicLow;
  const u = SQRT_2_OVER_PI * inner;
  const uLow = productError(SQRT_2_OVER_PI, inner, u) + SQRT_2_OVER_PI * innerLow + SQRT_2_OVER_PI_LOW * inner;
  out.high = 2 * u;
  out.low = 2 * uLow;
}

/** Exact GELU: x·Φ(x) and Φ(x) + x·φ(x). */
const exactKernel: ScalarKernel = {
  value: (x) => scaledNormalCdf(x, x),
  // Near the derivative's zero at x ≈ −0.7518, Φ(x) and x·φ(x) cancel: that loss is inherent.
  derivative: (x) => scaledNormalCdf(1, x) + scaledNormalPdf(x, x),
  paramGradients: noParamGradients,
};

/** PyTorch's approximate = 'tanh': ½x(1 + tanh u) = x·σ(2u), no cancellation for negative x. */
function tanhFormKernel(): ScalarKernel {
  const argument: DoubleDouble = { high: 0, low: 0 };
  return {
    value: (x) => {
      if (Math.abs(x) > TANH_FORM_LIMIT) return x > 0 ? x : 0;
      tanhFormArgument(x, argument);
      return scaledSigmoid(x, argument.high, argument.low);
    },
    // d/dx x·σ(2u) = σ(2u)(1 + 2x·σ(−2u)·u'), u' = √(2/π)(1 + 3·0.044715x²); its zero near x ≈ −0.75 cancels, inherently.
    derivative: (x) => {
      if (Math.abs(x) > TANH_FORM_LIMIT) return x > 0 ? 1 : 0;
      tanhFormArgument(x, argument);
      const { high, low } = argument;
      const complement = sigmoid(-high) - low * sigmoidDerivative(high);
      const slope = SQRT_2_OVER_PI * (1 + 3 * CUBIC * x * x);
      return scaledSigmoid(1 + 2 * x * complement * slope, high, low);
    },
    paramGradients: noParamGradients,
  };
}

export const gelu = defineActivation({
  id: 'gelu',
  name: 'Gaussian error linear unit (GELU)',
  aliases: [],
  description:
    'x·Φ(x): the input weighted by the probability that a standard normal variable is below it, a smooth, non-monotonic ReLU look-alike with a dip to −0.1700 at x ≈ −0.7518 (used in BERT and the GPT models). Its derivative Φ(x) + x·φ(x) peaks at 1.1289 (x = √2) and tends to 1 for active units, so it does not shrink gradients the way sigmoid (at most 1/4) does. approximate = "tanh" selects the cheaper tanh formula of the original paper, as in PyTorch.',
  formula:
    '\\begin{cases} x\\,\\Phi(x) = \\frac{x}{2}\\bigl(1 + \\operatorname{erf}(x/\\sqrt{2})\\bigr) & \\text{none} \\\\ \\frac{x}{2}\\bigl(1 + \\tanh\\bigl(\\sqrt{2/\\pi}\\,(x + 0.044715\\,x^3)\\bigr)\\bigr) & \\text{tanh} \\end{cases}',
  derivativeFormula:
    '\\begin{cases} \\Phi(x) + x\\,\\varphi(x) & \\text{none} \\\\ \\tfrac12(1 + t) + \\tfrac12 x\\,(1 - t^2)\\sqrt{2/\\pi}\\,(1 + 3 \\cdot 0.044715\\,x^2), \\ t = \\tanh\\bigl(\\sqrt{2/\\pi}(x + 0.044715\\,x^3)\\bigr) & \\text{tanh} \\end{cases}',
  paramsSchema: z.strictObject({
    approximate: z
      .enum(['none', 'tanh'])
      .default('none')
      .describe('"none": the exact x·Φ(x) with erf; "tanh": the tanh approximation of Hendrycks & Gimpel, as in PyTorch.'),
  }),
  range: { min: -0.16997120747990366, max: null, notation: '[-0.16997\\ldots, \\infty)' },
  properties: {
    monotonic: false,
    smooth: true,
    zeroCentered: false,
    saturatesNegative: true,
    saturatesPositive: false,
  },
  // sup |gelu'| = Φ(√2) + √2·φ(√2), mpmath 50 digits.
  maxDerivative: 1.1289041451851547,
  kinks: [],
  introduced: {
    year: 2016,
    authors: 'Dan Hendrycks, Kevin Gimpel',
    reference: 'Gaussian Error Linear Units (GELUs) (arXiv 1606.08415, 2016)',
  },
  // Exact GELU is entire (2); the tanh form has tanh's poles (1).
  featureScale: ({ approximate }) => (approximate === 'tanh' ? 1 : 2),
  kernel: ({ approximate }) => (approximate === 'tanh' ? tanhFormKernel() : exactKernel),
});
