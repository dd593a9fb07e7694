import { describe, expect, it } from 'vitest';
import { relu } from '../../src/activations/relu.js';
import { threshold } from '../../src/activations/threshold.js';
import type { KernelContext } from '../../src/activations/types.js';
import { hostileInputs, numericalDerivative } from '../support/numeric.js';

const context: KernelContext = {
  mode: 'eval',
  count: 0,
  uniform: () => {
    throw new Error('a deterministic activation must not draw random numbers');
  },
};
const kernelFor = (params: object) => threshold.kernel(threshold.paramsSchema.parse(params), context);
const kernel = kernelFor({});
const f = (x: number): number => kernel.value(x, 0);
const df = (x: number): number => kernel.derivative(x, 0);

describe('threshold', () => {
  it('is ReLU with its default threshold 0 and value 0', () => {
    const reluKernel = relu.kernel({}, context);
    for (const x of hostileInputs) {
      expect(f(x)).toBe(reluKernel.value(x, 0));
      expect(df(x)).toBe(reluKernel.derivative(x, 0));
    }
  });

  it('passes inputs above the threshold and replaces the others by the value', () => {
    const custom = kernelFor({ threshold: 1, value: -7 });
    expect(custom.value(1.5, 0)).toBe(1.5);
    expect(custom.value(1, 0)).toBe(-7);
    expect(custom.value(0.5, 0)).toBe(-7);
    expect(custom.value(-1e300, 0)).toBe(-7);
  });

  it('matches a numerical derivative away from the threshold', () => {
    const custom = kernelFor({ threshold: 1, value: -7 });
    for (const x of [-20, -1, 0.5, 1.2, 3, 1e6]) {
      expect(Math.abs(df(x) - numericalDerivative(f, x))).toBeLessThan(1e-9);
      const numerical = numericalDerivative((t) => custom.value(t, 0), x);
      expect(Math.abs(custom.derivative(x, 0) - numerical)).toBeLessThan(1e-9);
    }
  });

  it('returns 0 as its derivative at the threshold, as PyTorch does', () => {
    expect(df(0)).toBe(0);
    expect(df(-0)).toBe(0);
    const custom = kernelFor({ threshold: 1, value: -7 });
    expect(custom.derivative(1, 0)).toBe(0);
    expect(custom.derivative(1 + 2 ** -52, 0)).toBe(1);
  });

  it('returns tiny inputs above the threshold exactly', () => {
    for (const x of [Number.MIN_VALUE, 1e-310, 1e-300, 1e-100, 1e-20, 1e-8, 1e-3]) {
      expect(f(x)).toBe(x);
      expect(f(-x)).toBe(0);
    }
    const negativeThreshold = kernelFor({ threshold: -1, value: 0 });
    expect(negativeThreshold.value(-1e-300, 0)).toBe(-1e-300);
  });

  it('gives a finite value and derivative, never NaN, for every hostile input', () => {
    for (const params of [{}, { threshold: 1e300, value: -1e300 }, { threshold: -1e300, value: 1e300 }]) {
      const custom = kernelFor(params);
      for (const x of hostileInputs) {
        expect(Number.isFinite(custom.value(x, 0)), `threshold(${x})`).toBe(true);
        expect(Number.isFinite(custom.derivative(x, 0)), `threshold'(${x})`).toBe(true);
      }
    }
  });

  it('fills in threshold = 0 and value = 0 by default and accepts any finite numbers', () => {
    expect(threshold.paramsSchema.safeParse({})).toEqual({ success: true, data: { threshold: 0, value: 0 } });
    expect(threshold.paramsSchema.safeParse({ threshold: -2.5, value: 10 })).toEqual({
      success: true,
      data: { threshold: -2.5, value: 10 },
    });
  });

  it('rejects non-finite parameters, non-numbers and unknown keys', () => {
    for (const params of [{ threshold: Infinity }, { value: Number.NaN }, { value: null }, { lambda: 1 }]) {
      expect(threshold.paramsSchema.safeParse(params).success, JSON.stringify(params)).toBe(false);
    }
  });

  it('describes its range, maximal slope and corner in agreement with the kernel', () => {
    const grid = Array.from({ length: 2001 }, (_, i) => -10 + i / 100);
    expect(threshold.range).toMatchObject({ min: 0, max: null });
    expect(Math.min(...grid.map(f))).toBe(0);
    expect(threshold.maxDerivative).toBe(Math.max(...grid.map((x) => Math.abs(df(x)))));
    expect(threshold.kinks.map((kink) => kink.x)).toEqual([0]);
  });
});
