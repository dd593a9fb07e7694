import { z } from 'zod';
import { sigmoid as logisticSigmoid, sigmoidDerivative } from './numeric.js';
import { defineActivation, noParamGradients } from './types.js';

export const sigmoid = defineActivation({
  id: 'sigmoid',
  name: 'Logistic sigmoid',
  aliases: ['logistic'],
  description:
    'Squashes any input into (0, 1), which reads as a probability. Its derivative σ(x)(1 − σ(x)) is at most 1/4 (at x = 0) and decays like e^{−|x|}, so every sigmoid layer shrinks the backpropagated gradient by a factor of at least 4: the classic cause of vanishing gradients in deep sigmoid networks. Its outputs are not zero-centred either, which slows gradient descent on the next layer.',
  formula: '\\sigma(x) = \\frac{1}{1 + e^{-x}}',
  derivativeFormula: "\\sigma'(x) = \\sigma(x)\\,\\bigl(1 - \\sigma(x)\\bigr)",
  paramsSchema: z.strictObject({}),
  range: { min: 0, max: 1, notation: '(0, 1)' },
  properties: {
    monotonic: true,
    smooth: true,
    zeroCentered: false,
    saturatesNegative: true,
    saturatesPositive: true,
  },
  maxDerivative: 0.25,
  kinks: [],
  introduced: {
    year: 1986,
    authors: 'David E. Rumelhart, Geoffrey E. Hinton, Ronald J. Williams',
    reference:
      'Learning representations by back-propagating errors (Nature, 1986); the logistic function of logistic regression',
  },
  // Poles at ±iπ.
  featureScale: () => 2,
  kernel: () => ({
    value: logisticSigmoid,
    derivative: sigmoidDerivative,
    paramGradients: noParamGradients,
  }),
});
