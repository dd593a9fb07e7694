import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { hardswish } from '../../src/activations/hardswish.js';
import type { KernelContext } from '../../src/activations/types.js';
import { hostileInputs, numericalDerivative, ulpDistance } from '../support/numeric.js';

const context: KernelContext = {
  mode: 'eval',
  count: 0,
  uniform: () => {
    throw new Error('a deterministic activation must not draw random numbers');
  },
};
const kernel = hardswish.kernel(hardswish.paramsSchema.parse({}), context);
const f = (x: number): number => kernel.value(x, 0);
const df = (x: number): number => kernel.derivative(x, 0);

/** The exact value of a float64 (its binary expansion is finite), as a Decimal. */
const Exact = Decimal.clone({ precision: 60 });
const exact = (x: number): Decimal => {
  const magnitude = new Exact(`0b${Math.abs(x).toString(2)}`);
  return x < 0 ? magnitude.neg() : magnitude;
};
/** x(x + 3)/6 and (2x + 3)/6 evaluated exactly, then rounded once to float64. */
const valueReference = (x: number): number => exact(x).times(exact(x).plus(3)).div(6).toNumber();
const derivativeReference = (x: number): number => exact(x).times(2).plus(3).div(6).toNumber();

describe('hardswish', () => {
  it('is 0 up to −3, x from 3 on, and x(x + 3)/6 in between', () => {
    expect(f(-10)).toBe(0);
    expect(f(-3)).toBe(0);
    expect(f(-1.5)).toBe(-0.375);
    expect(f(0)).toBe(0);
    expect(f(1)).toBe(2 / 3);
    expect(f(3)).toBe(3);
    expect(f(10)).toBe(10);
    expect(f(1e300)).toBe(1e300);
    expect(f(-1e300)).toBe(0);
  });

  it('matches a numerical derivative away from the corners', () => {
    for (const x of [-100, -4, -2.9, -1.5, -0.4, 0, 1, 2.9, 4, 100]) {
      expect(Math.abs(df(x) - numericalDerivative(f, x))).toBeLessThan(1e-9);
    }
  });

  it('returns 0 as its derivative at −3 and 1 at 3, as PyTorch does since fixing the 2.6 values −0.5 and 1.5', () => {
    expect(df(-3)).toBe(0);
    expect(df(3)).toBe(1);
    // Inside the interval the one-sided slopes at the corners are −1/2 and 3/2: f' jumps at both.
    expect(Math.abs(df(-3 + 2 ** -51) + 0.5)).toBeLessThan(1e-15);
    expect(Math.abs(df(3 - 2 ** -51) - 1.5)).toBeLessThan(1e-15);
  });

  it('keeps its relative accuracy just above −3 and near its minimum at −1.5', () => {
    for (let k = 5; k <= 51; k += 1) {
      const nearCorner = -3 + 2 ** -k;
      expect(ulpDistance(f(nearCorner), valueReference(nearCorner)), `hardswish(−3 + 2^−${k})`).toBeLessThanOrEqual(2);
      const nearMinimum = -1.5 + 2 ** -k;
      expect(ulpDistance(df(nearMinimum), derivativeReference(nearMinimum)), `hardswish'(−1.5 + 2^−${k})`).toBeLessThanOrEqual(1);
    }
    // x/3 + 1/2 cancels near −1.5 and is off by millions of ulps: this test would catch it.
    const x = -1.5 + 2 ** -40;
    expect(ulpDistance(x / 3 + 1 / 2, derivativeReference(x))).toBeGreaterThan(1e6);
  });

  it('is within 2 ulps of the exact value for tiny inputs', () => {
    for (const magnitude of [1e-300, 1e-100, 1e-20, 1e-8, 1e-3]) {
      for (const x of [magnitude, -magnitude]) {
        expect(ulpDistance(f(x), valueReference(x)), `hardswish(${x})`).toBeLessThanOrEqual(2);
        expect(ulpDistance(df(x), derivativeReference(x)), `hardswish'(${x})`).toBeLessThanOrEqual(1);
      }
    }
  });

  it('gives a finite value and derivative, never NaN, for every hostile input', () => {
    for (const x of hostileInputs) {
      expect(Number.isFinite(f(x)), `hardswish(${x})`).toBe(true);
      expect(Number.isFinite(df(x)), `hardswish'(${x})`).toBe(true);
    }
  });

  it('takes no parameters and rejects unknown ones', () => {
    expect(hardswish.paramsSchema.safeParse({})).toEqual({ success: true, data: {} });
    const result = hardswish.paramsSchema.safeParse({ beta: 1 });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.code).toBe('unrecognized_keys');
  });

  it('describes its range, maximal slope and corners in agreement with the kernel', () => {
    const grid = Array.from({ length: 2001 }, (_, i) => -10 + i / 100);
    expect(hardswish.range).toMatchObject({ min: -0.375, max: null });
    expect(Math.min(...grid.map(f))).toBe(-0.375);
    // sup |f'| = 3/2 is approached as x → 3 from below but not attained.
    const steepest = Math.max(...grid.map((x) => Math.abs(df(x))));
    expect(steepest).toBeLessThan(1.5);
    expect(steepest).toBeGreaterThan(1.49);
    expect(hardswish.maxDerivative).toBe(1.5);
    expect(hardswish.kinks.map((kink) => kink.x)).toEqual([-3, 3]);
    // It dips below 0 between −3 and 0, so it is not monotonic.
    expect(f(-2)).toBeGreaterThan(f(-1.5));
    expect(hardswish.properties.monotonic).toBe(false);
  });
});
