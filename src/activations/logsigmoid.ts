import { z } from 'zod';
import { sigmoid, softplus } from './numeric.js';
import { defineActivation, noParamGradients } from './types.js';

export const logsigmoid = defineActivation({
  id: 'logsigmoid',
  name: 'Log-sigmoid',
  aliases: [],
  description:
    'The logarithm of the logistic sigmoid, ln σ(x) = −softplus(−x): linear for very negative inputs and approaching 0 from below for positive ones. It is the log-likelihood term of logistic regression and binary cross-entropy, computed without ever forming σ(x), so it neither underflows to ln 0 nor loses digits. Its derivative σ(−x) lies in (0, 1) and only vanishes for large positive inputs.',
  formula: '\\ln \\sigma(x) = \\min(x, 0) - \\ln\\bigl(1 + e^{-|x|}\\bigr)',
  derivativeFormula: '\\sigma(-x) = 1 - \\sigma(x)',
  paramsSchema: z.strictObject({}),
  range: { min: null, max: 0, notation: '(-\\infty, 0)' },
  properties: {
    monotonic: true,
    smooth: true,
    zeroCentered: false,
    saturatesNegative: false,
    saturatesPositive: true,
  },
  maxDerivative: 1,
  kinks: [],
  introduced: {
    year: 1986,
    authors: 'David E. Rumelhart, Geoffrey E. Hinton, Ronald J. Williams',
    reference:
      'The log of the logistic sigmoid of logistic regression and early backpropagation networks (Nature, 1986); the log-likelihood form used by binary cross-entropy',
  },
  // Branch points of −ln(1 + e^{−x}) at ±iπ.
  featureScale: () => 2,
  kernel: () => ({
    // ln σ(x) = −ln(1 + e^{−x}) = −softplus(−x) = min(x, 0) − log1p(e^{−|x|}).
    value: (x) => -softplus(-x),
    derivative: (x) => sigmoid(-x),
    paramGradients: noParamGradients,
  }),
});
