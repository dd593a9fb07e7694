import { describe, expect, it } from 'vitest';
import { relu } from '../../src/activations/relu.js';
import type { KernelContext } from '../../src/activations/types.js';
import { hostileInputs, numericalDerivative } from '../support/numeric.js';

const context: KernelContext = {
  mode: 'eval',
  count: 0,
  uniform: () => {
    throw new Error('a deterministic activation must not draw random numbers');
  },
};
const kernel = relu.kernel(relu.paramsSchema.parse({}), context);
const f = (x: number): number => kernel.value(x, 0);
const df = (x: number): number => kernel.derivative(x, 0);

describe('relu', () => {
  it('passes positive inputs unchanged and maps the rest to 0', () => {
    expect(f(3)).toBe(3);
    expect(f(0.5)).toBe(0.5);
    expect(f(0)).toBe(0);
    expect(f(-0)).toBe(0);
    expect(f(-2)).toBe(0);
    expect(f(-1e300)).toBe(0);
    expect(f(1e300)).toBe(1e300);
  });

  it('matches a numerical derivative away from the corner', () => {
    for (const x of [-50, -2, -0.3, 0.4, 1, 7, 1e5]) {
      expect(Math.abs(df(x) - numericalDerivative(f, x))).toBeLessThan(1e-9);
    }
  });

  it('returns 0 as its derivative at x = 0, as PyTorch does', () => {
    expect(df(0)).toBe(0);
    expect(df(-0)).toBe(0);
    expect(df(Number.MIN_VALUE)).toBe(1);
    expect(df(-Number.MIN_VALUE)).toBe(0);
  });

  it('returns tiny positive inputs exactly, subnormals included', () => {
    for (const x of [Number.MIN_VALUE, 1e-310, 1e-300, 1e-100, 1e-20, 1e-8, 1e-3]) {
      expect(f(x)).toBe(x);
      expect(f(-x)).toBe(0);
    }
  });

  it('gives a finite value and derivative, never NaN, for every hostile input', () => {
    for (const x of hostileInputs) {
      expect(Number.isFinite(f(x)), `relu(${x})`).toBe(true);
      expect(Number.isFinite(df(x)), `relu'(${x})`).toBe(true);
    }
  });

  it('takes no parameters and rejects unknown ones', () => {
    expect(relu.paramsSchema.safeParse({})).toEqual({ success: true, data: {} });
    const result = relu.paramsSchema.safeParse({ negativeSlope: 0.1 });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.code).toBe('unrecognized_keys');
  });

  it('describes its range, maximal slope and corner in agreement with the kernel', () => {
    const grid = Array.from({ length: 2001 }, (_, i) => -10 + i / 100);
    expect(relu.range).toMatchObject({ min: 0, max: null });
    expect(Math.min(...grid.map(f))).toBe(0);
    expect(relu.maxDerivative).toBe(Math.max(...grid.map((x) => Math.abs(df(x)))));
    expect(relu.kinks.map((kink) => kink.x)).toEqual([0]);
    expect(relu.kinks[0]?.convention).toMatch(/returns 0/);
    expect(kernel.paramGradients).toEqual({});
  });
});
