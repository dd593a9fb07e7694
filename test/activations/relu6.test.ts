import { describe, expect, it } from 'vitest';
import { relu6 } from '../../src/activations/relu6.js';
import type { KernelContext } from '../../src/activations/types.js';
import { hostileInputs, numericalDerivative } from '../support/numeric.js';

const context: KernelContext = {
  mode: 'eval',
  count: 0,
  uniform: () => {
    throw new Error('a deterministic activation must not draw random numbers');
  },
};
const kernel = relu6.kernel(relu6.paramsSchema.parse({}), context);
const f = (x: number): number => kernel.value(x, 0);
const df = (x: number): number => kernel.derivative(x, 0);

describe('relu6', () => {
  it('clips its input to [0, 6]', () => {
    expect(f(-3)).toBe(0);
    expect(f(0)).toBe(0);
    expect(f(2.5)).toBe(2.5);
    expect(f(6)).toBe(6);
    expect(f(6.000001)).toBe(6);
    expect(f(1e300)).toBe(6);
    expect(f(-1e300)).toBe(0);
  });

  it('matches a numerical derivative away from the corners', () => {
    for (const x of [-50, -1, -0.2, 0.3, 3, 5.5, 6.5, 100]) {
      expect(Math.abs(df(x) - numericalDerivative(f, x))).toBeLessThan(1e-9);
    }
  });

  it('returns 0 as its derivative at both corners, as PyTorch does', () => {
    expect(df(0)).toBe(0);
    expect(df(-0)).toBe(0);
    expect(df(6)).toBe(0);
    // Just inside the interval the slope is 1 on both sides.
    expect(df(Number.MIN_VALUE)).toBe(1);
    expect(df(6 - 2 ** -50)).toBe(1);
  });

  it('returns tiny positive inputs exactly, subnormals included', () => {
    for (const x of [Number.MIN_VALUE, 1e-310, 1e-300, 1e-100, 1e-20, 1e-8, 1e-3]) {
      expect(f(x)).toBe(x);
      expect(f(-x)).toBe(0);
    }
  });

  it('gives a finite value and derivative, never NaN, for every hostile input', () => {
    for (const x of hostileInputs) {
      expect(Number.isFinite(f(x)), `relu6(${x})`).toBe(true);
      expect(Number.isFinite(df(x)), `relu6'(${x})`).toBe(true);
    }
  });

  it('takes no parameters and rejects unknown ones', () => {
    expect(relu6.paramsSchema.safeParse({})).toEqual({ success: true, data: {} });
    const result = relu6.paramsSchema.safeParse({ maxVal: 6 });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.code).toBe('unrecognized_keys');
  });

  it('describes its range, maximal slope and corners in agreement with the kernel', () => {
    const grid = Array.from({ length: 2001 }, (_, i) => -10 + i / 100);
    expect(relu6.range).toMatchObject({ min: 0, max: 6 });
    expect(Math.min(...grid.map(f))).toBe(0);
    expect(Math.max(...grid.map(f))).toBe(6);
    expect(relu6.maxDerivative).toBe(Math.max(...grid.map((x) => Math.abs(df(x)))));
    expect(relu6.kinks.map((kink) => kink.x)).toEqual([0, 6]);
    expect(relu6.properties).toMatchObject({ saturatesNegative: true, saturatesPositive: true });
  });
});
