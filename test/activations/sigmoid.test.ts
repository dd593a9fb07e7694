import { describe, expect, it } from 'vitest';
import { sigmoid } from '../../src/activations/sigmoid.js';
import type { KernelContext } from '../../src/activations/types.js';
import { hostileInputs, numericalDerivative, ulpDistance } from '../support/numeric.js';

const context: KernelContext = {
  mode: 'eval',
  count: 0,
  uniform: () => {
    throw new Error('a deterministic activation must not draw random numbers');
  },
};
const kernel = sigmoid.kernel(sigmoid.paramsSchema.parse({}), context);
const f = (x: number): number => kernel.value(x, 0);
const df = (x: number): number => kernel.derivative(x, 0);

/** x, σ(x), σ′(x): mpmath with mp.dps = 30, rounded to the nearest float64. */
const reference: readonly (readonly [number, number, number])[] = [
  [-745, 5e-324, 5e-324],
  [-709.5, 7.38014831401258e-309, 7.38014831401258e-309],
  [-700, 9.85967654375977e-305, 9.85967654375977e-305],
  [-50, 1.9287498479639178e-22, 1.9287498479639178e-22],
  [-20, 2.0611536181902037e-9, 2.061153613941849e-9],
  [-1, 0.2689414213699951, 0.19661193324148185],
  [-1e-300, 0.5, 0.25],
  [0, 0.5, 0.25],
  [1e-8, 0.5000000025, 0.25],
  [0.5, 0.6224593312018546, 0.2350037122015945],
  [3, 0.9525741268224333, 0.04517665973091213],
  [20, 0.9999999979388464, 2.061153613941849e-9],
  [36, 0.9999999999999998, 2.319522830243568e-16],
  [40, 1, 4.248354255291589e-18],
  [710, 1, 4.47628622567513e-309],
];

describe('sigmoid', () => {
  it('matches mpmath to within 4 ulp in value and derivative, tails and tiny inputs included', () => {
    for (const [x, value, derivative] of reference) {
      expect(ulpDistance(f(x), value), `σ(${x})`).toBeLessThanOrEqual(4);
      expect(ulpDistance(df(x), derivative), `σ′(${x})`).toBeLessThanOrEqual(4);
    }
  });

  it('returns 1/4 as its derivative at 0, its maximum', () => {
    expect(df(0)).toBe(0.25);
    expect(df(-0)).toBe(0.25);
    expect(sigmoid.maxDerivative).toBe(0.25);
    for (let x = -10; x <= 10; x += 0.01) expect(df(x)).toBeLessThanOrEqual(0.25);
  });

  it('matches a numerical derivative to 1e−7 relative', () => {
    for (const x of [-15, -6, -2.5, -1, -0.3, 0.2, 1, 2.5, 6, 15]) {
      const numerical = numericalDerivative(f, x);
      expect(Math.abs(df(x) - numerical), `σ′(${x})`).toBeLessThanOrEqual(1e-7 * Math.abs(df(x)));
    }
  });

  it('stays within its range (0, 1) and is symmetric: σ(−x) = 1 − σ(x)', () => {
    for (const x of [-30, -5, -0.5, 0, 0.5, 5, 30]) {
      expect(f(x)).toBeGreaterThan(0);
      expect(Math.abs(f(-x) - (1 - f(x)))).toBeLessThanOrEqual(2 ** -51);
    }
    expect(sigmoid.range).toMatchObject({ min: 0, max: 1 });
  });

  it('never returns NaN or Infinity for a hostile input', () => {
    for (const x of hostileInputs) {
      expect(Number.isFinite(f(x)), `σ(${x})`).toBe(true);
      expect(Number.isFinite(df(x)), `σ′(${x})`).toBe(true);
    }
    expect(f(Number.MAX_VALUE)).toBe(1);
    expect(f(-Number.MAX_VALUE)).toBe(0);
    expect(df(Number.MAX_VALUE)).toBe(0);
  });

  it('is also known as logistic and has no parameters', () => {
    expect(sigmoid.aliases).toContain('logistic');
    expect(sigmoid.paramsSchema.safeParse({}).data).toEqual({});
    expect(sigmoid.paramsSchema.safeParse({ beta: 2 }).success).toBe(false);
    expect(Object.keys(kernel.paramGradients)).toEqual([]);
  });
});
