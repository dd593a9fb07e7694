import { describe, expect, it } from 'vitest';
import { SELU_ALPHA, SELU_LAMBDA, SELU_LAMBDA_ALPHA, selu } from '../../src/activations/selu.js';
import type { KernelContext } from '../../src/activations/types.js';
import { hostileInputs, numericalDerivative, ulpDistance } from '../support/numeric.js';

const context: KernelContext = {
  mode: 'eval',
  count: 0,
  uniform: () => {
    throw new Error('a deterministic activation must not draw random numbers');
  },
};
const kernel = selu.kernel(selu.paramsSchema.parse({}), context);
const f = (x: number): number => kernel.value(x, 0);
const df = (x: number): number => kernel.derivative(x, 0);

/**
 * x, selu(x), selu′(x) with the paper's decimal α and λ taken as exact:
 * mpmath with mp.dps = 30, rounded to the nearest float64.
 */
const reference: readonly (readonly [number, number, number])[] = [
  [-800, -1.7580993408473768, 0],
  [-745, -1.7580993408473768, 5e-324],
  [-50, -1.7580993408473768, 3.390933836364842e-22],
  [-1, -1.1113307378125628, 0.6467686030348141],
  [-1e-300, -1.758099340847377e-300, 1.7580993408473768],
  [1e-300, 1.0507009873554804e-300, 1.0507009873554805],
  [1, 1.0507009873554805, 1.0507009873554805],
  [1e300, 1.0507009873554805e300, 1.0507009873554805],
];

describe('selu', () => {
  it('matches mpmath to within 4 ulp in value and derivative, tails and tiny inputs included', () => {
    for (const [x, value, derivative] of reference) {
      expect(ulpDistance(f(x), value), `selu(${x})`).toBeLessThanOrEqual(4);
      expect(ulpDistance(df(x), derivative), `selu′(${x})`).toBeLessThanOrEqual(4);
    }
  });

  it('uses the paper’s constants, with λα rounded once from the exact product', () => {
    expect(SELU_ALPHA).toBe(1.6732632423543772);
    expect(SELU_LAMBDA).toBe(1.0507009873554805);
    // mpmath, mp.dps = 50: λα = 1.75809934084737685994…, nearest float64 1.7580993408473768.
    expect(SELU_LAMBDA_ALPHA).toBe(1.7580993408473768);
    expect(selu.maxDerivative).toBe(SELU_LAMBDA_ALPHA);
    expect(selu.range.min).toBe(-SELU_LAMBDA_ALPHA);
  });

  it('returns λα as its derivative at x = 0, as PyTorch does, and lists that kink', () => {
    expect(df(0)).toBe(SELU_LAMBDA_ALPHA);
    expect(df(-0)).toBe(SELU_LAMBDA_ALPHA);
    expect(df(Number.MIN_VALUE)).toBe(SELU_LAMBDA);
    expect(f(0)).toBe(0);
    expect(selu.kinks.map((kink) => kink.x)).toEqual([0]);
  });

  it('matches a numerical derivative to 1e−7 relative away from the corner', () => {
    for (const x of [-12, -3, -0.5, 0.25, 4, 1e6]) {
      const numerical = numericalDerivative(f, x);
      expect(Math.abs(df(x) - numerical), `selu′(${x})`).toBeLessThanOrEqual(1e-7 * Math.abs(df(x)));
    }
  });

  it('never returns NaN for a hostile input, and Infinity only for λ·MAX_VALUE, which truly overflows', () => {
    for (const x of hostileInputs) {
      const value = f(x);
      // λ > 1, so λ·MAX_VALUE exceeds the float64 range: Infinity is the true value's rounding there and only there.
      if (x === Number.MAX_VALUE) expect(value).toBe(Infinity);
      else expect(Number.isFinite(value), `selu(${x})`).toBe(true);
      expect(Number.isFinite(df(x)), `selu′(${x})`).toBe(true);
    }
  });

  it('has no parameters and rejects unknown ones', () => {
    expect(selu.paramsSchema.safeParse({}).data).toEqual({});
    expect(selu.paramsSchema.safeParse({ alpha: 1.67 }).success).toBe(false);
  });
});
