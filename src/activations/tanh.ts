import { z } from 'zod';
import { sech2 } from './numeric.js';
import { defineActivation, noParamGradients } from './types.js';

/** Below 2^−28, tanh x = x in float64 (fdlibm's s_tanh.c, which V8's Math.tanh is). */
const TANH_TINY = 2 ** -28;
/** From |x| = 22 on, tanh x rounds to ±1 (fdlibm). */
const TANH_SATURATED = 22;

/*
 * sech²x from the expm1 that tanh x itself is made of (fdlibm: t = expm1(−2|x|), tanh = −t/(t + 2)
 * below |x| = 1; t = expm1(2|x|), tanh = 1 − 2/(t + 2) up to 22): sech² = 4(1 + t)/(t + 2)² in both,
 * a sum of positive terms, so nothing cancels where tanh x → ±1 (1 − tanh²x would be 0 beyond |x| ≈ 19).
 * Beyond 22 the expm1 would overflow its use: sech² = 4e/(1 + e)², e = e^{−2|x|}.
 */
function tanhDerivative(x: number): number {
  const magnitude = Math.abs(x);
  if (magnitude >= TANH_SATURATED) return sech2(x);
  const t = Math.expm1(magnitude < 1 ? -2 * magnitude : 2 * magnitude);
  const denominator = t + 2;
  return (4 * (1 + t)) / (denominator * denominator);
}

/** tanh (bit for bit fdlibm's, as Math.tanh) and tanhDerivative from one expm1 per element. */
function tanhValuesAndDerivatives(x: Float32Array | Float64Array, values: Float32Array | Float64Array, derivatives: Float32Array | Float64Array, count: number): void {
  for (let i = 0; i < count; i += 1) {
    const input = x[i] as number;
    const magnitude = Math.abs(input);
    if (magnitude < 1) {
      const t = Math.expm1(-2 * magnitude);
      const denominator = t + 2;
      values[i] = magnitude < TANH_TINY ? input : input < 0 ? t / denominator : -t / denominator;
      derivatives[i] = (4 * (1 + t)) / (denominator * denominator);
    } else if (magnitude < TANH_SATURATED) {
      const t = Math.expm1(2 * magnitude);
      const denominator = t + 2;
      const value = 1 - 2 / denominator;
      values[i] = input < 0 ? -value : value;
      derivatives[i] = (4 * (1 + t)) / (denominator * denominator);
    } else {
      // ±1, ±Infinity and NaN.
      values[i] = Math.tanh(input);
      derivatives[i] = sech2(input);
    }
  }
}

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
    derivative: tanhDerivative,
    paramGradients: noParamGradients,
    valuesAndDerivatives: tanhValuesAndDerivatives,
  }),
});
