import { describe, expect, it } from 'vitest';
import { tanhshrink } from '../../src/activations/tanhshrink.js';
import type { KernelContext } from '../../src/activations/types.js';
import { hostileInputs, numericalDerivative, ulpDistance } from '../support/numeric.js';

const context: KernelContext = {
  mode: 'eval',
  count: 0,
  uniform: () => {
    throw new Error('a deterministic activation must not draw random numbers');
  },
};
const kernel = tanhshrink.kernel(tanhshrink.paramsSchema.parse({}), context);
const f = (x: number): number => kernel.value(x, 0);
const df = (x: number): number => kernel.derivative(x, 0);

/**
 * x, x − tanh x, tanh²x: mpmath, mp.dps = 30 (raised by 2·log10(1/|x|) digits
 * where x − tanh x cancels), rounded to the nearest float64.
 */
const reference: readonly (readonly [number, number, number])[] = [
  [1e-100, 3.3333333333333334e-301, 1e-200],
  [-1e-20, -3.333333333333333e-61, 1e-40],
  [1e-8, 3.3333333333333335e-25, 1e-16],
  [0.001, 3.33333200000054e-10, 9.999993333337113e-7],
  [-0.1, -0.00033200537504418296, 0.009933709152560222],
  [0.5, 0.03788284273999024, 0.2135522670340726],
  [1, 0.23840584404423512, 0.580025658385974],
  [1.999, 1.035043138900507, 0.9292128300607875],
  [-2, -1.035972419924183, 0.9293491751468356],
  [2.5, 1.5133857018485697, 0.9734077733168394],
  [10, 9.000000004122308, 0.9999999917553856],
  [-1e300, -1e300, 1],
];

describe('tanhshrink', () => {
  it('matches mpmath to within 4 ulp in value and derivative, including tiny inputs where x − tanh x cancels', () => {
    for (const [x, value, derivative] of reference) {
      expect(ulpDistance(f(x), value), `tanhshrink(${x})`).toBeLessThanOrEqual(4);
      expect(ulpDistance(df(x), derivative), `tanhshrink′(${x})`).toBeLessThanOrEqual(4);
    }
  });

  it('keeps relative accuracy on both sides of the switch from continued fraction to subtraction at |x| = 2', () => {
    // mpmath, mp.dps = 30: 2 − tanh 2 = 1.035972419924183; at the float64 just below 2 it is 1.0359724199241829.
    expect(ulpDistance(f(2), 1.035972419924183)).toBeLessThanOrEqual(2);
    expect(ulpDistance(f(2 - 2 ** -52), 1.0359724199241829)).toBeLessThanOrEqual(2);
  });

  it('behaves like x³/3 near 0, with derivative 0 at 0', () => {
    expect(f(0)).toBe(0);
    expect(df(0)).toBe(0);
    expect(ulpDistance(f(1e-50), 1e-150 / 3)).toBeLessThanOrEqual(2);
  });

  it('matches a numerical derivative to 1e−7 relative', () => {
    for (const x of [-6, -2, -0.7, 0.4, 1.5, 2.2, 5]) {
      const numerical = numericalDerivative(f, x);
      expect(Math.abs(df(x) - numerical), `tanhshrink′(${x})`).toBeLessThanOrEqual(1e-7 * Math.abs(df(x)));
    }
  });

  it('never returns NaN or Infinity for a hostile input', () => {
    for (const x of hostileInputs) {
      expect(Number.isFinite(f(x)), `tanhshrink(${x})`).toBe(true);
      expect(Number.isFinite(df(x)), `tanhshrink′(${x})`).toBe(true);
    }
  });

  it('has no parameters and rejects unknown ones', () => {
    expect(tanhshrink.paramsSchema.safeParse({}).data).toEqual({});
    expect(tanhshrink.paramsSchema.safeParse({ lambda: 0.5 }).success).toBe(false);
  });
});
