import { describe, expect, it } from 'vitest';
import { hardtanh } from '../../src/activations/hardtanh.js';
import type { KernelContext } from '../../src/activations/types.js';
import { hostileInputs, numericalDerivative } from '../support/numeric.js';

const context: KernelContext = {
  mode: 'eval',
  count: 0,
  uniform: () => {
    throw new Error('a deterministic activation must not draw random numbers');
  },
};
const kernelFor = (params: object) => hardtanh.kernel(hardtanh.paramsSchema.parse(params), context);
const kernel = kernelFor({});
const f = (x: number): number => kernel.value(x, 0);
const df = (x: number): number => kernel.derivative(x, 0);

describe('hardtanh', () => {
  it('clips its input to [−1, 1] by default', () => {
    expect(f(-5)).toBe(-1);
    expect(f(-1)).toBe(-1);
    expect(f(-0.25)).toBe(-0.25);
    expect(f(0.75)).toBe(0.75);
    expect(f(1)).toBe(1);
    expect(f(1e300)).toBe(1);
    expect(f(-1e300)).toBe(-1);
  });

  it('clips to the bounds it is given', () => {
    const custom = kernelFor({ minVal: -2, maxVal: 0.5 });
    expect(custom.value(-3, 0)).toBe(-2);
    expect(custom.value(-1.5, 0)).toBe(-1.5);
    expect(custom.value(0.7, 0)).toBe(0.5);
    expect(custom.derivative(-1.5, 0)).toBe(1);
    expect(custom.derivative(0.7, 0)).toBe(0);
  });

  it('matches a numerical derivative away from the corners', () => {
    for (const x of [-50, -1.5, -0.9, 0, 0.4, 0.99, 1.5, 1e4]) {
      expect(Math.abs(df(x) - numericalDerivative(f, x))).toBeLessThan(1e-9);
    }
  });

  it('returns 0 as its derivative at minVal and at maxVal, as PyTorch does', () => {
    expect(df(-1)).toBe(0);
    expect(df(1)).toBe(0);
    expect(df(-1 + 2 ** -52)).toBe(1);
    expect(df(1 - 2 ** -53)).toBe(1);
    const custom = kernelFor({ minVal: -2, maxVal: 0.5 });
    expect(custom.derivative(-2, 0)).toBe(0);
    expect(custom.derivative(0.5, 0)).toBe(0);
  });

  it('returns tiny inputs exactly, so it keeps full relative accuracy near 0', () => {
    for (const x of [Number.MIN_VALUE, 1e-310, 1e-300, 1e-100, 1e-20, 1e-8, 1e-3]) {
      expect(f(x)).toBe(x);
      expect(f(-x)).toBe(-x);
      expect(df(x)).toBe(1);
    }
  });

  it('gives a finite value and derivative, never NaN, for every hostile input', () => {
    for (const x of hostileInputs) {
      expect(Number.isFinite(f(x)), `hardtanh(${x})`).toBe(true);
      expect(Number.isFinite(df(x)), `hardtanh'(${x})`).toBe(true);
    }
  });

  it('fills in minVal = −1 and maxVal = 1 by default', () => {
    expect(hardtanh.paramsSchema.safeParse({})).toEqual({ success: true, data: { minVal: -1, maxVal: 1 } });
    expect(hardtanh.paramsSchema.safeParse({ maxVal: 3 })).toEqual({ success: true, data: { minVal: -1, maxVal: 3 } });
  });

  it('rejects minVal ≥ maxVal with an issue on maxVal', () => {
    for (const params of [{ minVal: 2, maxVal: 1 }, { minVal: 0.5, maxVal: 0.5 }, { minVal: 1 }]) {
      const result = hardtanh.paramsSchema.safeParse(params);
      expect(result.success, JSON.stringify(params)).toBe(false);
      expect(result.error?.issues[0]?.path).toEqual(['maxVal']);
    }
  });

  it('rejects non-finite bounds, non-numbers and unknown keys', () => {
    for (const params of [{ minVal: -Infinity }, { maxVal: Number.NaN }, { maxVal: '1' }, { max_val: 1 }]) {
      expect(hardtanh.paramsSchema.safeParse(params).success, JSON.stringify(params)).toBe(false);
    }
  });

  it('describes its range, maximal slope and corners in agreement with the kernel', () => {
    const grid = Array.from({ length: 2001 }, (_, i) => -10 + i / 100);
    expect(hardtanh.range).toMatchObject({ min: -1, max: 1 });
    expect(Math.min(...grid.map(f))).toBe(-1);
    expect(Math.max(...grid.map(f))).toBe(1);
    expect(hardtanh.maxDerivative).toBe(Math.max(...grid.map((x) => Math.abs(df(x)))));
    expect(hardtanh.kinks.map((kink) => kink.x)).toEqual([-1, 1]);
  });
});
