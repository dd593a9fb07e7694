import { describe, expect, it } from 'vitest';
import { mish } from '../../src/activations/mish.js';
import type { KernelContext } from '../../src/activations/types.js';
import { hostileInputs, numericalDerivative, ulpDistance } from '../support/numeric.js';

const context: KernelContext = {
  mode: 'eval',
  count: 0,
  uniform: () => {
    throw new Error('a deterministic activation must not draw random numbers');
  },
};
const kernel = mish.kernel(mish.paramsSchema.parse({}), context);
const f = (x: number): number => kernel.value(x, 0);
const df = (x: number): number => kernel.derivative(x, 0);

/** Where mish′ vanishes (the minimum of mish), mpmath. */
const DERIVATIVE_ZERO = -1.1924312145154952;

/**
 * x, x·tanh(softplus(x)), tanh(sp) + x·σ(x)·sech²(sp): mpmath with mp.dps = 30,
 * rounded to the nearest float64. The derivative is not compared at its zero (null).
 */
const reference: readonly (readonly [number, number, number | null])[] = [
  [-745, -2.105e-321, -2.1e-321],
  [-720, -1.46320617774547e-310, -1.46117394694305e-310],
  [-712, -4.313292185103229e-307, -4.30723419046123e-307],
  [-40, -1.6993417021166355e-16, -1.6568581595637197e-16],
  [DERIVATIVE_ZERO, -0.30884341301725043, null],
  [-1, -0.3034014613741089, 0.05921675587739495],
  [-1e-300, -6e-301, 0.6],
  [1e-300, 6e-301, 0.6],
  [0.5, 0.37524521130489513, 0.8864243753577272],
  [1.4905711794854286, 1.3931150446477978, 1.088498161251728],
  [20, 20, 1.0000000000000002],
  [40, 40, 1],
];

describe('mish', () => {
  it('matches mpmath to within 4 ulp in value and to within 5 ulp in derivative, tails and tiny inputs included', () => {
    // The derivative adds two terms each good to ~3 ulp; the worst seen over 32 000 inputs was 4.9 ulp (x ≈ −28).
    for (const [x, value, derivative] of reference) {
      expect(ulpDistance(f(x), value), `mish(${x})`).toBeLessThanOrEqual(4);
      if (derivative !== null) expect(ulpDistance(df(x), derivative), `mish′(${x})`).toBeLessThanOrEqual(5);
    }
  });

  it('returns 3/5 as its derivative at 0 (tanh(ln 2) = 3/5) and never exceeds its stated maxDerivative', () => {
    expect(ulpDistance(df(0), 0.6)).toBeLessThanOrEqual(1);
    let largest = 0;
    for (let x = -10; x <= 10; x += 0.001) largest = Math.max(largest, Math.abs(df(x)));
    expect(largest).toBeLessThanOrEqual(mish.maxDerivative as number);
    expect(largest).toBeGreaterThan((mish.maxDerivative as number) - 1e-6);
  });

  it('attains its stated minimum at x ≈ −1.1924', () => {
    expect(ulpDistance(f(DERIVATIVE_ZERO), mish.range.min as number)).toBeLessThanOrEqual(2);
    for (let x = -5; x <= 1; x += 0.01) expect(f(x)).toBeGreaterThanOrEqual(mish.range.min as number);
  });

  it('matches a numerical derivative to 1e−7 relative away from its zero', () => {
    for (const x of [-20, -6, -3, -0.5, 0.3, 1.5, 4, 20]) {
      const numerical = numericalDerivative(f, x);
      expect(Math.abs(df(x) - numerical), `mish′(${x})`).toBeLessThanOrEqual(1e-7 * Math.abs(df(x)));
    }
  });

  it('loses relative accuracy only next to the derivative zero, where its two terms cancel', () => {
    // Accepted and inherent: the bound is 5 ulp times the cancellation factor (|t| + |s|)/|t + s|,
    // t = tanh(sp), s = x·σ(x)·sech²(sp). x, mish′(x): mpmath, mp.dps = 30.
    const nearZero: [number, number][] = [
      [-1.18, 0.0033502049677911353],
      [-1.2, -0.002008761393529047],
    ];
    for (const [x, derivative] of nearZero) {
      const t = Math.tanh(Math.log1p(Math.exp(x)));
      const s = (x / (1 + Math.exp(-x))) * (1 - t * t);
      const cancellation = (Math.abs(t) + Math.abs(s)) / Math.abs(t + s);
      expect(ulpDistance(df(x), derivative), `mish′(${x})`).toBeLessThanOrEqual(5 * cancellation);
    }
  });

  it('never returns NaN or Infinity for a hostile input', () => {
    for (const x of hostileInputs) {
      expect(Number.isFinite(f(x)), `mish(${x})`).toBe(true);
      expect(Number.isFinite(df(x)), `mish′(${x})`).toBe(true);
    }
    expect(f(Number.MAX_VALUE)).toBe(Number.MAX_VALUE);
    expect(df(Number.MAX_VALUE)).toBe(1);
  });

  it('has no parameters and rejects unknown ones', () => {
    expect(mish.paramsSchema.safeParse({}).data).toEqual({});
    expect(mish.paramsSchema.safeParse({ beta: 1 }).success).toBe(false);
  });
});
