import { describe, expect, it } from 'vitest';
import { silu } from '../../src/activations/silu.js';
import type { KernelContext } from '../../src/activations/types.js';
import { hostileInputs, numericalDerivative, ulpDistance } from '../support/numeric.js';

const context: KernelContext = {
  mode: 'eval',
  count: 0,
  uniform: () => {
    throw new Error('a deterministic activation must not draw random numbers');
  },
};
const kernel = silu.kernel(silu.paramsSchema.parse({}), context);
const f = (x: number): number => kernel.value(x, 0);
const df = (x: number): number => kernel.derivative(x, 0);

/** Where silu′ vanishes (the minimum of silu), mpmath. */
const DERIVATIVE_ZERO = -1.278464542761074;

/**
 * x, x·σ(x), σ(x)(1 + x(1 − σ(x))): mpmath with mp.dps = 30, rounded to the
 * nearest float64. The derivative is not compared at its zero (null).
 */
const reference: readonly (readonly [number, number, number | null])[] = [
  [-745, -2.105e-321, -2.1e-321],
  [-720, -1.46320617774547e-310, -1.46117394694305e-310],
  [-709, -8.62697552192007e-306, -8.614807714413836e-306],
  [-50, -9.643749239819589e-21, -9.450874255023197e-21],
  [DERIVATIVE_ZERO, -0.2784645427610738, null],
  [-1, -0.2689414213699951, 0.07232948812851327],
  [1e-300, 5e-301, 0.5],
  [-1e-8, -4.9999999750000005e-9, 0.499999995],
  [0.5, 0.3112296656009273, 0.7399611873026518],
  [2.3993572805154675, 2.1996786402577335, 1.099839320128867],
  [40, 40, 1.0000000000000002],
  [1e300, 1e300, 1],
];

describe('silu', () => {
  it('matches mpmath to within 4 ulp in value and derivative, tails and tiny inputs included', () => {
    for (const [x, value, derivative] of reference) {
      expect(ulpDistance(f(x), value), `silu(${x})`).toBeLessThanOrEqual(4);
      if (derivative !== null) expect(ulpDistance(df(x), derivative), `silu′(${x})`).toBeLessThanOrEqual(4);
    }
  });

  it('keeps full precision where σ(x) is subnormal but x·σ(x) is not (x ≈ −712)', () => {
    // mpmath, mp.dps = 30: silu(−712) = −4.313292185103229e−307.
    expect(ulpDistance(f(-712), -4.313292185103229e-307)).toBeLessThanOrEqual(4);
  });

  it('returns 1/2 as its derivative at 0 and never exceeds its stated maxDerivative', () => {
    expect(df(0)).toBe(0.5);
    let largest = 0;
    for (let x = -10; x <= 10; x += 0.001) largest = Math.max(largest, Math.abs(df(x)));
    expect(largest).toBeLessThanOrEqual(silu.maxDerivative as number);
    expect(largest).toBeGreaterThan((silu.maxDerivative as number) - 1e-6);
  });

  it('attains its stated minimum at x ≈ −1.2785', () => {
    expect(ulpDistance(f(DERIVATIVE_ZERO), silu.range.min as number)).toBeLessThanOrEqual(2);
    for (let x = -5; x <= 1; x += 0.01) expect(f(x)).toBeGreaterThanOrEqual(silu.range.min as number);
  });

  it('matches a numerical derivative to 1e−7 relative away from its zero', () => {
    for (const x of [-20, -6, -3, -0.6, 0.3, 1, 2.4, 6, 20]) {
      const numerical = numericalDerivative(f, x);
      expect(Math.abs(df(x) - numerical), `silu′(${x})`).toBeLessThanOrEqual(1e-7 * Math.abs(df(x)));
    }
  });

  it('loses relative accuracy only next to the derivative zero, where 1 + x(1 − σ(x)) cancels', () => {
    // Accepted and inherent: the bound is 4 ulp times the cancellation factor (1 + |xσ(−x)|)/|1 + xσ(−x)|.
    // x, silu′(x): mpmath, mp.dps = 30.
    const nearZero: [number, number][] = [
      [-1.2722890377044678, 0.001350694438188271],
      [-1.3, -0.004622854252336921],
    ];
    for (const [x, derivative] of nearZero) {
      const complement = 1 - 1 / (1 + Math.exp(-x));
      const cancellation = (1 + Math.abs(x * complement)) / Math.abs(1 + x * complement);
      expect(ulpDistance(df(x), derivative), `silu′(${x})`).toBeLessThanOrEqual(4 * cancellation);
    }
  });

  it('never returns NaN or Infinity for a hostile input', () => {
    for (const x of hostileInputs) {
      expect(Number.isFinite(f(x)), `silu(${x})`).toBe(true);
      expect(Number.isFinite(df(x)), `silu′(${x})`).toBe(true);
    }
    expect(Math.abs(f(-Number.MAX_VALUE))).toBe(0);
    expect(df(Number.MAX_VALUE)).toBe(1);
  });

  it('has no parameters and rejects unknown ones', () => {
    expect(silu.paramsSchema.safeParse({}).data).toEqual({});
    expect(silu.paramsSchema.safeParse({ beta: 1 }).success).toBe(false);
  });
});
