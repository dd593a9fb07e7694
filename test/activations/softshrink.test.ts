import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { softshrink } from '../../src/activations/softshrink.js';
import type { KernelContext } from '../../src/activations/types.js';
import { hostileInputs, numericalDerivative, ulpDistance } from '../support/numeric.js';

const context: KernelContext = {
  mode: 'eval',
  count: 0,
  uniform: () => {
    throw new Error('a deterministic activation must not draw random numbers');
  },
};
const kernelFor = (params: object) => softshrink.kernel(softshrink.paramsSchema.parse(params), context);
const kernel = kernelFor({});
const f = (x: number): number => kernel.value(x, 0);
const df = (x: number): number => kernel.derivative(x, 0);

/** The exact value of a float64 (its binary expansion is finite), as a Decimal. */
const Exact = Decimal.clone({ precision: 60 });
const exact = (x: number): Decimal => {
  const magnitude = new Exact(`0b${Math.abs(x).toString(2)}`);
  return x < 0 ? magnitude.neg() : magnitude;
};

describe('softshrink', () => {
  it('maps [−λ, λ] to 0 and moves every other input λ = 0.5 towards 0', () => {
    expect(f(2)).toBe(1.5);
    expect(f(-2)).toBe(-1.5);
    expect(f(0.75)).toBe(0.25);
    expect(f(0.5)).toBe(0);
    expect(f(-0.5)).toBe(0);
    expect(f(0.3)).toBe(0);
    expect(f(0)).toBe(0);
    expect(kernelFor({ lambda: 2 }).value(-5, 0)).toBe(-3);
  });

  it('matches a numerical derivative away from the corners', () => {
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
    expect(zero.value(0, 0)).toBe(0);
    expect(zero.derivative(0, 0)).toBe(0);
  });

  it('is within 1 ulp of the exact value for tiny inputs and a tiny lambda', () => {
    for (const magnitude of [Number.MIN_VALUE, 1e-300, 1e-100, 1e-20, 1e-8, 1e-3]) {
      expect(f(magnitude)).toBe(0);
      expect(f(-magnitude)).toBe(0);
    }
    const lambda = 1e-300;
    const tiny = kernelFor({ lambda });
    for (const x of [3e-300, -3e-300, 1.5e-300, 1e-290, -1e-200]) {
      const reference = (x > 0 ? exact(x).minus(exact(lambda)) : exact(x).plus(exact(lambda))).toNumber();
      expect(ulpDistance(tiny.value(x, 0), reference), `softshrink(${x})`).toBeLessThanOrEqual(1);
    }
  });

  it('gives a finite value and derivative, never NaN, for every hostile input, since |f(x)| ≤ |x|', () => {
    for (const lambda of [0.5, 0, 1e300, Number.MAX_VALUE]) {
      const custom = kernelFor({ lambda });
      for (const x of hostileInputs) {
        expect(Number.isFinite(custom.value(x, 0)), `softshrink(${x}) with λ = ${lambda}`).toBe(true);
        expect(Number.isFinite(custom.derivative(x, 0)), `softshrink'(${x}) with λ = ${lambda}`).toBe(true);
      }
    }
  });

  it('fills in lambda = 0.5 by default and accepts any lambda ≥ 0', () => {
    expect(softshrink.paramsSchema.safeParse({})).toEqual({ success: true, data: { lambda: 0.5 } });
    for (const lambda of [0, 3, 1e300]) {
      expect(softshrink.paramsSchema.safeParse({ lambda })).toEqual({ success: true, data: { lambda } });
    }
  });

  it("rejects a negative or non-finite lambda, non-numbers and PyTorch's spelling lambd", () => {
    for (const params of [{ lambda: -0.1 }, { lambda: Infinity }, { lambda: Number.NaN }, { lambda: true }, { lambd: 0.5 }]) {
      expect(softshrink.paramsSchema.safeParse(params).success, JSON.stringify(params)).toBe(false);
    }
  });

  it('describes its range, maximal slope, corners and monotonicity in agreement with the kernel', () => {
    const grid = Array.from({ length: 2001 }, (_, i) => -10 + i / 100);
    const values = grid.map(f);
    expect(softshrink.range).toMatchObject({ min: null, max: null });
    expect(softshrink.maxDerivative).toBe(Math.max(...grid.map((x) => Math.abs(df(x)))));
    expect(softshrink.kinks.map((kink) => kink.x)).toEqual([-0.5, 0.5]);
    expect(values.every((value, i) => i === 0 || value >= (values[i - 1] ?? -Infinity))).toBe(true);
    expect(softshrink.properties.monotonic).toBe(true);
  });
});
