import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { prelu } from '../../src/activations/prelu.js';
import type { KernelContext } from '../../src/activations/types.js';
import { hostileInputs, numericalDerivative, ulpDistance } from '../support/numeric.js';

const context: KernelContext = {
  mode: 'eval',
  count: 0,
  uniform: () => {
    throw new Error('a deterministic activation must not draw random numbers');
  },
};
const kernelFor = (params: object) => prelu.kernel(prelu.paramsSchema.parse(params), context);
const kernel = kernelFor({});
const f = (x: number): number => kernel.value(x, 0);
const df = (x: number): number => kernel.derivative(x, 0);

/** The exact value of a float64 (its binary expansion is finite), as a Decimal. */
const Exact = Decimal.clone({ precision: 60 });
const exact = (x: number): Decimal => {
  const magnitude = new Exact(`0b${Math.abs(x).toString(2)}`);
  return x < 0 ? magnitude.neg() : magnitude;
};

describe('prelu', () => {
  it('passes non-negative inputs and scales negative ones by alpha = 0.25 by default', () => {
    expect(f(3)).toBe(3);
    expect(f(0)).toBe(0);
    expect(f(-2)).toBe(-0.5);
    expect(kernelFor({ alpha: -1 }).value(-2, 0)).toBe(2);
  });

  it('matches a numerical derivative in x away from the corner', () => {
    for (const alpha of [0.25, 0, -0.7, 4]) {
      const custom = kernelFor({ alpha });
      for (const x of [-1e4, -2, -0.3, 0.4, 5, 1e6]) {
        const numerical = numericalDerivative((t) => custom.value(t, 0), x);
        expect(Math.abs(custom.derivative(x, 0) - numerical)).toBeLessThan(1e-9);
      }
    }
  });

  it('has ∂f/∂alpha = x for x ≤ 0 and 0 for x > 0, matching a numerical derivative in alpha', () => {
    const gradient = kernel.paramGradients.alpha;
    expect(gradient).toBeDefined();
    if (gradient === undefined) return;
    expect(gradient(-3, 0)).toBe(-3);
    expect(gradient(0, 0)).toBe(0);
    expect(gradient(2, 0)).toBe(0);
    for (const x of [-40, -1.5, -0.01, 0.5, 7]) {
      const numerical = numericalDerivative((alpha) => kernelFor({ alpha }).value(x, 0), 0.25);
      expect(Math.abs(gradient(x, 0) - numerical)).toBeLessThan(1e-9 * Math.max(1, Math.abs(x)));
    }
  });

  it('returns alpha as its derivative at x = 0, as PyTorch does', () => {
    expect(df(0)).toBe(0.25);
    expect(df(-0)).toBe(0.25);
    expect(kernelFor({ alpha: 0.6 }).derivative(0, 0)).toBe(0.6);
    expect(kernelFor({ alpha: -3 }).derivative(0, 0)).toBe(-3);
    expect(df(Number.MIN_VALUE)).toBe(1);
  });

  it('is correctly rounded (within 1 ulp of the exact product) for tiny inputs', () => {
    for (const alpha of [0.25, 0.1, 3.3]) {
      const custom = kernelFor({ alpha });
      for (const magnitude of [1e-300, 3.7e-200, 1e-100, 1e-20, 1e-8, 1e-3]) {
        const x = -magnitude;
        const reference = exact(alpha).times(exact(x)).toNumber();
        expect(ulpDistance(custom.value(x, 0), reference), `${alpha}·${x}`).toBeLessThanOrEqual(1);
        expect(custom.value(magnitude, 0)).toBe(magnitude);
        expect(custom.paramGradients.alpha?.(x, 0)).toBe(x);
      }
    }
  });

  it('gives a finite value, derivative and alpha gradient, never NaN, for every hostile input at the default alpha', () => {
    for (const x of hostileInputs) {
      expect(Number.isFinite(f(x)), `prelu(${x})`).toBe(true);
      expect(Number.isFinite(df(x)), `prelu'(${x})`).toBe(true);
      expect(Number.isFinite(kernel.paramGradients.alpha?.(x, 0)), `∂prelu/∂alpha(${x})`).toBe(true);
    }
  });

  it('overflows to ±Infinity, never NaN, only where the true value exceeds the float64 range', () => {
    // alpha·x = 1e10·(−1e300) = −1e310 is beyond Number.MAX_VALUE: Infinity is the honest answer.
    const steep = kernelFor({ alpha: 1e10 });
    for (const x of hostileInputs) {
      const value = steep.value(x, 0);
      expect(Number.isNaN(value), `prelu(${x})`).toBe(false);
      const trueValueOverflows = x < 0 && exact(x).times(1e10).abs().gt(exact(Number.MAX_VALUE));
      expect(Number.isFinite(value), `prelu(${x})`).toBe(!trueValueOverflows);
    }
    expect(steep.value(-1e300, 0)).toBe(-Infinity);
  });

  it('fills in alpha = 0.25 by default, accepts any finite alpha and marks it learnable', () => {
    expect(prelu.paramsSchema.safeParse({})).toEqual({ success: true, data: { alpha: 0.25 } });
    for (const alpha of [0, -2, 1.5]) {
      expect(prelu.paramsSchema.safeParse({ alpha })).toEqual({ success: true, data: { alpha } });
    }
    expect(prelu.paramsSchema.shape.alpha.meta()).toMatchObject({ learnable: true });
    expect(prelu.paramsSchema.shape.alpha.description).toMatch(/slope/i);
  });

  it('rejects non-finite alpha, non-numbers and unknown keys', () => {
    for (const params of [{ alpha: -Infinity }, { alpha: Number.NaN }, { alpha: [0.25] }, { weight: 0.25 }]) {
      expect(prelu.paramsSchema.safeParse(params).success, JSON.stringify(params)).toBe(false);
    }
  });

  it('describes its range, maximal slope and corner in agreement with the kernel', () => {
    const grid = Array.from({ length: 2001 }, (_, i) => -10 + i / 100);
    expect(prelu.range).toMatchObject({ min: null, max: null });
    expect(prelu.maxDerivative).toBe(Math.max(...grid.map((x) => Math.abs(df(x)))));
    expect(prelu.kinks.map((kink) => kink.x)).toEqual([0]);
    expect(Object.keys(kernel.paramGradients)).toEqual(['alpha']);
  });
});
