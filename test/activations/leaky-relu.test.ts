import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { leakyRelu } from '../../src/activations/leaky-relu.js';
import type { KernelContext } from '../../src/activations/types.js';
import { hostileInputs, numericalDerivative, ulpDistance } from '../support/numeric.js';

const context: KernelContext = {
  mode: 'eval',
  count: 0,
  uniform: () => {
    throw new Error('a deterministic activation must not draw random numbers');
  },
};
const kernelFor = (params: object) => leakyRelu.kernel(leakyRelu.paramsSchema.parse(params), context);
const kernel = kernelFor({});
const f = (x: number): number => kernel.value(x, 0);
const df = (x: number): number => kernel.derivative(x, 0);

/** The exact value of a float64 (its binary expansion is finite), as a Decimal. */
const Exact = Decimal.clone({ precision: 60 });
const exact = (x: number): Decimal => {
  const magnitude = new Exact(`0b${Math.abs(x).toString(2)}`);
  return x < 0 ? magnitude.neg() : magnitude;
};

describe('leaky_relu', () => {
  it('passes non-negative inputs and scales negative ones by 0.01 by default', () => {
    expect(f(2)).toBe(2);
    expect(f(0)).toBe(0);
    expect(f(-1)).toBe(-0.01);
    expect(f(-300)).toBe(-3);
    expect(kernelFor({ negativeSlope: 0.5 }).value(-4, 0)).toBe(-2);
  });

  it('matches a numerical derivative away from the corner', () => {
    for (const negativeSlope of [0.01, 0.2, -0.5, 3]) {
      const custom = kernelFor({ negativeSlope });
      for (const x of [-1e4, -2, -0.3, 0.4, 5, 1e6]) {
        const numerical = numericalDerivative((t) => custom.value(t, 0), x);
        expect(Math.abs(custom.derivative(x, 0) - numerical)).toBeLessThan(1e-9);
      }
    }
  });

  it('returns negativeSlope as its derivative at x = 0, as PyTorch does', () => {
    expect(df(0)).toBe(0.01);
    expect(df(-0)).toBe(0.01);
    expect(kernelFor({ negativeSlope: 0.3 }).derivative(0, 0)).toBe(0.3);
    expect(kernelFor({ negativeSlope: -2 }).derivative(0, 0)).toBe(-2);
    expect(df(Number.MIN_VALUE)).toBe(1);
  });

  it('is correctly rounded (within 1 ulp of the exact product) for tiny inputs', () => {
    for (const negativeSlope of [0.01, 0.2, 7]) {
      const custom = kernelFor({ negativeSlope });
      for (const magnitude of [1e-300, 3.7e-200, 1e-100, 1e-20, 1e-8, 1e-3]) {
        const x = -magnitude;
        const reference = exact(negativeSlope).times(exact(x)).toNumber();
        expect(ulpDistance(custom.value(x, 0), reference), `${negativeSlope}·${x}`).toBeLessThanOrEqual(1);
        expect(custom.value(magnitude, 0)).toBe(magnitude);
      }
    }
  });

  it('gives a finite value and derivative, never NaN, for every hostile input at the default slope', () => {
    for (const x of hostileInputs) {
      expect(Number.isFinite(f(x)), `leaky_relu(${x})`).toBe(true);
      expect(Number.isFinite(df(x)), `leaky_relu'(${x})`).toBe(true);
    }
  });

  it('overflows to ±Infinity, never NaN, only where the true value exceeds the float64 range', () => {
    // negativeSlope·x = 1e10·(−1e300) = −1e310 is beyond Number.MAX_VALUE: Infinity is the honest answer.
    const steep = kernelFor({ negativeSlope: 1e10 });
    for (const x of hostileInputs) {
      const value = steep.value(x, 0);
      expect(Number.isNaN(value), `leaky_relu(${x})`).toBe(false);
      const trueValueOverflows = x < 0 && exact(x).times(1e10).abs().gt(exact(Number.MAX_VALUE));
      expect(Number.isFinite(value), `leaky_relu(${x})`).toBe(!trueValueOverflows);
    }
    expect(steep.value(-1e300, 0)).toBe(-Infinity);
    expect(kernelFor({ negativeSlope: -1e10 }).value(-1e300, 0)).toBe(Infinity);
  });

  it('fills in negativeSlope = 0.01 by default and accepts any finite slope', () => {
    expect(leakyRelu.paramsSchema.safeParse({})).toEqual({ success: true, data: { negativeSlope: 0.01 } });
    for (const negativeSlope of [0, -3, 2, 1e10]) {
      expect(leakyRelu.paramsSchema.safeParse({ negativeSlope })).toEqual({ success: true, data: { negativeSlope } });
    }
  });

  it('rejects non-finite slopes, non-numbers and unknown keys', () => {
    for (const params of [
      { negativeSlope: Infinity },
      { negativeSlope: Number.NaN },
      { negativeSlope: '0.1' },
      { negative_slope: 0.1 },
      { alpha: 0.2 },
    ]) {
      expect(leakyRelu.paramsSchema.safeParse(params).success, JSON.stringify(params)).toBe(false);
    }
  });

  it('describes its range, maximal slope and corner in agreement with the kernel', () => {
    const grid = Array.from({ length: 2001 }, (_, i) => -10 + i / 100);
    expect(leakyRelu.range).toMatchObject({ min: null, max: null });
    expect(leakyRelu.maxDerivative).toBe(Math.max(...grid.map((x) => Math.abs(df(x)))));
    expect(leakyRelu.kinks.map((kink) => kink.x)).toEqual([0]);
    expect(leakyRelu.properties).toMatchObject({ monotonic: true, saturatesNegative: false });
    expect(leakyRelu.paramsSchema.shape.negativeSlope.description).toMatch(/slope/i);
  });
});
