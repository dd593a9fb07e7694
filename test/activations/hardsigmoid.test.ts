import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { hardsigmoid } from '../../src/activations/hardsigmoid.js';
import type { KernelContext } from '../../src/activations/types.js';
import { hostileInputs, numericalDerivative, ulpDistance } from '../support/numeric.js';

const context: KernelContext = {
  mode: 'eval',
  count: 0,
  uniform: () => {
    throw new Error('a deterministic activation must not draw random numbers');
  },
};
const kernel = hardsigmoid.kernel(hardsigmoid.paramsSchema.parse({}), context);
const f = (x: number): number => kernel.value(x, 0);
const df = (x: number): number => kernel.derivative(x, 0);

/** The exact value of a float64 (its binary expansion is finite), as a Decimal. */
const Exact = Decimal.clone({ precision: 60 });
const exact = (x: number): Decimal => {
  const magnitude = new Exact(`0b${Math.abs(x).toString(2)}`);
  return x < 0 ? magnitude.neg() : magnitude;
};
/** (x + 3)/6 evaluated exactly, then rounded once to float64. */
const reference = (x: number): number => exact(x).plus(3).div(6).toNumber();

describe('hardsigmoid', () => {
  it('is 0 up to −3, 1 from 3 on, and (x + 3)/6 in between', () => {
    expect(f(-10)).toBe(0);
    expect(f(-3)).toBe(0);
    expect(f(-1.5)).toBe(0.25);
    expect(f(0)).toBe(0.5);
    expect(f(1.5)).toBe(0.75);
    expect(f(3)).toBe(1);
    expect(f(1e300)).toBe(1);
    expect(f(-1e300)).toBe(0);
  });

  it('matches a numerical derivative away from the corners', () => {
    for (const x of [-100, -4, -2.9, -1, 0, 1, 2.9, 4, 100]) {
      expect(Math.abs(df(x) - numericalDerivative(f, x))).toBeLessThan(1e-9);
    }
  });

  it('returns 0 as its derivative at −3 and at 3, as PyTorch does', () => {
    expect(df(-3)).toBe(0);
    expect(df(3)).toBe(0);
    expect(df(-3 + 2 ** -51)).toBe(1 / 6);
    expect(df(3 - 2 ** -51)).toBe(1 / 6);
  });

  it('keeps its relative accuracy just above −3, where x/6 + 1/2 would cancel', () => {
    for (let k = 5; k <= 51; k += 1) {
      const x = -3 + 2 ** -k;
      expect(ulpDistance(f(x), reference(x)), `hardsigmoid(−3 + 2^−${k})`).toBeLessThanOrEqual(1);
    }
    // The naive form is off by millions of ulps here: this test would catch it.
    const x = -3 + 2 ** -40;
    expect(ulpDistance(x / 6 + 1 / 2, reference(x))).toBeGreaterThan(1e6);
  });

  it('is within 1 ulp of the exact value for tiny inputs', () => {
    for (const magnitude of [Number.MIN_VALUE, 1e-300, 1e-100, 1e-20, 1e-8, 1e-3]) {
      for (const x of [magnitude, -magnitude]) {
        expect(ulpDistance(f(x), reference(x)), `hardsigmoid(${x})`).toBeLessThanOrEqual(1);
        expect(df(x)).toBe(1 / 6);
      }
    }
  });

  it('gives a finite value and derivative, never NaN, for every hostile input', () => {
    for (const x of hostileInputs) {
      expect(Number.isFinite(f(x)), `hardsigmoid(${x})`).toBe(true);
      expect(Number.isFinite(df(x)), `hardsigmoid'(${x})`).toBe(true);
    }
  });

  it('takes no parameters and rejects unknown ones', () => {
    expect(hardsigmoid.paramsSchema.safeParse({})).toEqual({ success: true, data: {} });
    const result = hardsigmoid.paramsSchema.safeParse({ slope: 0.2 });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.code).toBe('unrecognized_keys');
  });

  it('describes its range, maximal slope and corners in agreement with the kernel', () => {
    const grid = Array.from({ length: 2001 }, (_, i) => -10 + i / 100);
    expect(hardsigmoid.range).toMatchObject({ min: 0, max: 1 });
    expect(Math.min(...grid.map(f))).toBe(0);
    expect(Math.max(...grid.map(f))).toBe(1);
    expect(hardsigmoid.maxDerivative).toBe(Math.max(...grid.map((x) => Math.abs(df(x)))));
    expect(hardsigmoid.kinks.map((kink) => kink.x)).toEqual([-3, 3]);
  });
});
