import { describe, expect, it } from 'vitest';
import { logsigmoid } from '../../src/activations/logsigmoid.js';
import type { KernelContext } from '../../src/activations/types.js';
import { hostileInputs, numericalDerivative, ulpDistance } from '../support/numeric.js';

const context: KernelContext = {
  mode: 'eval',
  count: 0,
  uniform: () => {
    throw new Error('a deterministic activation must not draw random numbers');
  },
};
const kernel = logsigmoid.kernel(logsigmoid.paramsSchema.parse({}), context);
const f = (x: number): number => kernel.value(x, 0);
const df = (x: number): number => kernel.derivative(x, 0);

/** x, ln σ(x), σ(−x): mpmath with mp.dps = 30, rounded to the nearest float64. */
const reference: readonly (readonly [number, number, number])[] = [
  [-1e300, -1e300, 1],
  [-800, -800, 1],
  [-30, -30.000000000000092, 0.9999999999999064],
  [-1, -1.3132616875182228, 0.7310585786300049],
  [0, -0.6931471805599453, 0.5],
  [1e-300, -0.6931471805599453, 0.5],
  [1, -0.3132616875182228, 0.2689414213699951],
  [30, -9.357622968839737e-14, 9.357622968839299e-14],
  [700, -9.85967654375977e-305, 9.85967654375977e-305],
  [745, -5e-324, 5e-324],
];

describe('logsigmoid', () => {
  it('matches mpmath to within 4 ulp in value and derivative, tails included', () => {
    for (const [x, value, derivative] of reference) {
      expect(ulpDistance(f(x), value), `logsigmoid(${x})`).toBeLessThanOrEqual(4);
      expect(ulpDistance(df(x), derivative), `logsigmoid′(${x})`).toBeLessThanOrEqual(4);
    }
  });

  it('returns −ln 2 at 0 with derivative 1/2', () => {
    expect(f(0)).toBe(-Math.LN2);
    expect(df(0)).toBe(0.5);
  });

  it('never forms ln σ(x): large positive x gives −e^{−x}, not ln(1) = 0', () => {
    expect(f(40)).toBeLessThan(0);
    expect(ulpDistance(f(40), -4.248354255291589e-18)).toBeLessThanOrEqual(2); // mpmath, mp.dps = 30
  });

  it('matches a numerical derivative to 1e−7 relative', () => {
    for (const x of [-20, -4, -1, -0.1, 0.3, 1, 4, 12]) {
      const numerical = numericalDerivative(f, x);
      expect(Math.abs(df(x) - numerical), `logsigmoid′(${x})`).toBeLessThanOrEqual(1e-7 * Math.abs(df(x)));
    }
  });

  it('never returns NaN or Infinity for a hostile input', () => {
    for (const x of hostileInputs) {
      expect(Number.isFinite(f(x)), `logsigmoid(${x})`).toBe(true);
      expect(Number.isFinite(df(x)), `logsigmoid′(${x})`).toBe(true);
    }
    expect(f(-Number.MAX_VALUE)).toBe(-Number.MAX_VALUE);
  });

  it('has no parameters and rejects unknown ones', () => {
    expect(logsigmoid.paramsSchema.safeParse({}).data).toEqual({});
    expect(logsigmoid.paramsSchema.safeParse({ beta: 1 }).success).toBe(false);
  });
});
