import { describe, expect, it } from 'vitest';
import { hardshrink } from '../../src/activations/hardshrink.js';
import type { KernelContext } from '../../src/activations/types.js';
import { hostileInputs, numericalDerivative } from '../support/numeric.js';

const context: KernelContext = {
  mode: 'eval',
  count: 0,
  uniform: () => {
    throw new Error('a deterministic activation must not draw random numbers');
  },
};
const kernelFor = (params: object) => hardshrink.kernel(hardshrink.paramsSchema.parse(params), context);
const kernel = kernelFor({});
const f = (x: number): number => kernel.value(x, 0);
const df = (x: number): number => kernel.derivative(x, 0);

describe('hardshrink', () => {
  it('maps [−λ, λ] to 0 and passes every other input unchanged', () => {
    expect(f(2)).toBe(2);
    expect(f(-2)).toBe(-2);
    expect(f(0.75)).toBe(0.75);
    expect(f(0.5)).toBe(0);
    expect(f(-0.5)).toBe(0);
    expect(f(0.5 + 2 ** -53)).toBe(0.5 + 2 ** -53);
    expect(f(0.3)).toBe(0);
    expect(f(0)).toBe(0);
    expect(kernelFor({ lambda: 2 }).value(-1.9, 0)).toBe(0);
  });

  it('matches a numerical derivative away from the jumps', () => {
    for (const lambda of [0.5, 2]) {
      const custom = kernelFor({ lambda });
      for (const x of [-100, -2.5, -0.7, -0.3, 0, 0.3, 0.7, 2.5, 100]) {
        const numerical = numericalDerivative((t) => custom.value(t, 0), x);
        expect(Math.abs(custom.derivative(x, 0) - numerical), `λ = ${lambda}, x = ${x}`).toBeLessThan(1e-9);
      }
    }
  });

  it('returns 0 as its derivative at ±lambda, as PyTorch does', () => {
    expect(df(0.5)).toBe(0);
    expect(df(-0.5)).toBe(0);
    expect(df(0.5 + 2 ** -53)).toBe(1);
    expect(df(-0.5 - 2 ** -53)).toBe(1);
    const wide = kernelFor({ lambda: 2 });
    expect(wide.derivative(2, 0)).toBe(0);
    expect(wide.derivative(-2, 0)).toBe(0);
  });

  it('is the identity with derivative 0 only at x = 0 when lambda is 0', () => {
    const zero = kernelFor({ lambda: 0 });
    for (const x of [-3, -1e-300, Number.MIN_VALUE, 4]) {
      expect(zero.value(x, 0)).toBe(x);
      expect(zero.derivative(x, 0)).toBe(1);
    }
    expect(zero.derivative(0, 0)).toBe(0);
  });

  it('returns tiny inputs outside the dead zone exactly', () => {
    const tiny = kernelFor({ lambda: 1e-300 });
    for (const magnitude of [Number.MIN_VALUE, 1e-310, 1e-300]) {
      expect(f(magnitude)).toBe(0);
      expect(tiny.value(magnitude, 0)).toBe(0);
    }
    for (const magnitude of [2e-300, 1e-100, 1e-20, 1e-8, 1e-3]) {
      expect(tiny.value(magnitude, 0)).toBe(magnitude);
      expect(tiny.value(-magnitude, 0)).toBe(-magnitude);
    }
  });

  it('gives a finite value and derivative, never NaN, for every hostile input', () => {
    for (const lambda of [0.5, 0, Number.MAX_VALUE]) {
      const custom = kernelFor({ lambda });
      for (const x of hostileInputs) {
        expect(Number.isFinite(custom.value(x, 0)), `hardshrink(${x}) with λ = ${lambda}`).toBe(true);
        expect(Number.isFinite(custom.derivative(x, 0)), `hardshrink'(${x}) with λ = ${lambda}`).toBe(true);
      }
    }
  });

  it('fills in lambda = 0.5 by default and accepts any lambda ≥ 0', () => {
    expect(hardshrink.paramsSchema.safeParse({})).toEqual({ success: true, data: { lambda: 0.5 } });
    for (const lambda of [0, 3, 1e300]) {
      expect(hardshrink.paramsSchema.safeParse({ lambda })).toEqual({ success: true, data: { lambda } });
    }
  });

  it("rejects a negative or non-finite lambda, non-numbers and PyTorch's spelling lambd", () => {
    for (const params of [{ lambda: -1 }, { lambda: -Infinity }, { lambda: Number.NaN }, { lambda: '0.5' }, { lambd: 0.5 }]) {
      expect(hardshrink.paramsSchema.safeParse(params).success, JSON.stringify(params)).toBe(false);
    }
  });

  it('is monotonic (non-decreasing) although it jumps at ±lambda', () => {
    const grid = Array.from({ length: 2001 }, (_, i) => -10 + i / 100);
    const values = grid.map(f);
    expect(values.every((value, i) => i === 0 || value >= (values[i - 1] ?? -Infinity))).toBe(true);
    expect(f(0.5 + 2 ** -53) - f(0.5)).toBeGreaterThan(0.5);
    expect(hardshrink.properties).toMatchObject({ monotonic: true, smooth: false });
  });

  it('describes its range, maximal slope and corners in agreement with the kernel', () => {
    const grid = Array.from({ length: 2001 }, (_, i) => -10 + i / 100);
    expect(hardshrink.range).toMatchObject({ min: null, max: null });
    expect(grid.map(f).every((value) => value === 0 || Math.abs(value) > 0.5)).toBe(true);
    expect(hardshrink.maxDerivative).toBe(Math.max(...grid.map((x) => Math.abs(df(x)))));
    expect(hardshrink.kinks.map((kink) => kink.x)).toEqual([-0.5, 0.5]);
  });
});
