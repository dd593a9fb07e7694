import { z } from 'zod';
import { sech2 } from './numeric.js';
import { defineActivation, noParamGradients } from './types.js';

export const tanh = defineActivation({
  id: 'tanh',
  name: 'Hyperbolic tangent',
  aliases: [],
  description:
    'A rescaled sigmoid, tanh x = 2σ(2x) − 1, with outputs in (−1, 1) centred on zero. Its derivative 1 − tanh²x reaches 1 at x = 0 (four times sigmoid\'s 1/4), so gradients pass unchanged near the origin, but it still decays like 4e^{−2|x|}: saturated tanh units make gradients vanish.',
  formula: '\\tanh x = \\frac{e^{x} - e^{-x}}{e^{x} + e^{-x}}',
  derivativeFormula: '1 - \\tanh^2 x = \\operatorname{sech}^2 x',
  paramsSchema: z.strictObject({}),
  range: { min: -1, max: 1, notation: '(-1, 1)' },
  properties: {
    monotonic: true,
    smooth: true,
    zeroCentered: true,
    saturatesNegative: true,
    saturatesPositive: true,
  },
  maxDerivative: 1,
  kinks: [],
  introduced: {
    year: 1998,
    authors: 'Yann LeCun, Léon Bottou, Genevieve B. Orr, Klaus-Robert Müller',
    reference:
      'Efficient BackProp (Neural Networks: Tricks of the Trade, 1998), recommended by LeCun since the early 1990s',
  },
  kernel: () => ({
    value: Math.tanh,
    // sech²x directly: 1 − tanh²x cancels to 0 once tanh x rounds to ±1 (|x| > 19).
    derivative: sech2,
    paramGradients: noParamGradients,
  }),
});
