import { describe, expect, it } from 'vitest';
import { softsign } from '../../src/activations/softsign.js';
import type { KernelContext } from '../../src/activations/types.js';
import { hostileInputs, numericalDerivative, ulpDistance } from '../support/numeric.js';

const context: KernelContext = {
  mode: 'eval',
  count: 0,
  uniform: () => {
    throw new Error('a deterministic activation must not draw random numbers');
  },
};
const kernel = softsign.kernel(softsign.paramsSchema.parse({}), context);
const f = (x: number): number => kernel.value(x, 0);
const df = (x: number): number => kernel.derivative(x, 0);

/** x, x/(1 + |x|), 1/(1 + |x|)²: mpmath with mp.dps = 30, rounded to the nearest float64. */
const reference: readonly (readonly [number, number, number])[] = [
  [-1e300, -1, 0],
  [-1e20, -1, 1e-40],
  [-3, -0.75, 0.0625],
  [-1e-300, -1e-300, 1],
  [0, 0, 1],
  [0.5, 0.3333333333333333, 0.4444444444444444],
  [7, 0.875, 0.015625],
  [1e10, 0.9999999999, 9.999999998e-21],
  [1e300, 1, 0],
];

describe('softsign', () => {
  it('matches mpmath to within 4 ulp in value and derivative, tails and tiny inputs included', () => {
    for (const [x, value, derivative] of reference) {
      expect(ulpDistance(f(x), value), `softsign(${x})`).toBeLessThanOrEqual(4);
      expect(ulpDistance(df(x), derivative), `softsign′(${x})`).toBeLessThanOrEqual(4);
    }
  });

  it('returns 1 as its derivative at 0, its maximum', () => {
    expect(df(0)).toBe(1);
    expect(softsign.maxDerivative).toBe(1);
  });

  it('decays like 1/x² rather than exponentially, so saturated units keep some gradient', () => {
    expect(df(100)).toBeGreaterThan(9e-5);
    expect(df(1e150)).toBeGreaterThan(0); // (1 + |x|)² would overflow here; r·r does not
  });

  it('matches a numerical derivative to 1e−7 relative away from the origin', () => {
    for (const x of [-50, -3, -0.5, 0.2, 1, 4, 100]) {
      const numerical = numericalDerivative(f, x);
      expect(Math.abs(df(x) - numerical), `softsign′(${x})`).toBeLessThanOrEqual(1e-7 * Math.abs(df(x)));
    }
  });

  it('never returns NaN or Infinity for a hostile input', () => {
    for (const x of hostileInputs) {
      expect(Number.isFinite(f(x)), `softsign(${x})`).toBe(true);
      expect(Number.isFinite(df(x)), `softsign′(${x})`).toBe(true);
    }
  });

  it('has no parameters and rejects unknown ones', () => {
    expect(softsign.paramsSchema.safeParse({}).data).toEqual({});
    expect(softsign.paramsSchema.safeParse({ scale: 2 }).success).toBe(false);
  });
});
