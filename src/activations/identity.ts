import { z } from 'zod';
import { defineActivation, noParamGradients } from './types.js';

export const identity = defineActivation({
  id: 'identity',
  name: 'Identity (linear)',
  aliases: ['linear'],
  description:
    'f(x) = x, the activation of a layer with no nonlinearity; the usual choice for a regression output. Its derivative is exactly 1 everywhere, so gradients neither vanish nor explode through it, but a stack of linear layers collapses into a single linear map and can represent nothing more.',
  formula: 'x',
  derivativeFormula: '1',
  paramsSchema: z.strictObject({}),
  range: { min: null, max: null, notation: '(-\\infty, \\infty)' },
  properties: {
    monotonic: true,
    smooth: true,
    zeroCentered: true,
    saturatesNegative: false,
    saturatesPositive: false,
  },
  maxDerivative: 1,
  kinks: [],
  introduced: {
    year: 1960,
    authors: 'Bernard Widrow, Marcian E. Hoff',
    reference:
      'Adaptive Switching Circuits (IRE WESCON Convention Record, 1960): the ADALINE trained its linear output with the least-mean-squares rule',
  },
  kernel: () => ({
    value: (x) => x,
    derivative: () => 1,
    paramGradients: noParamGradients,
  }),
});
