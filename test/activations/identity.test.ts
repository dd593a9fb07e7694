import { describe, expect, it } from 'vitest';
import { identity } from '../../src/activations/identity.js';
import type { KernelContext } from '../../src/activations/types.js';
import { hostileInputs, numericalDerivative } from '../support/numeric.js';

const context: KernelContext = {
  mode: 'eval',
  count: 0,
  uniform: () => {
    throw new Error('a deterministic activation must not draw random numbers');
  },
};
const kernel = identity.kernel(identity.paramsSchema.parse({}), context);
const f = (x: number): number => kernel.value(x, 0);
const df = (x: number): number => kernel.derivative(x, 0);

describe('identity', () => {
  it('is also known as linear', () => {
    expect(identity.id).toBe('identity');
    expect(identity.aliases).toEqual(['linear']);
  });

  it('returns every input unchanged, the sign of zero included', () => {
    for (const x of hostileInputs) {
      expect(Object.is(f(x), x), `identity(${x})`).toBe(true);
    }
  });

  it('has derivative 1 everywhere, matching a numerical derivative', () => {
    for (const x of [-1e5, -3, -0.2, 0, 0.7, 42]) {
      expect(df(x)).toBe(1);
      expect(Math.abs(numericalDerivative(f, x) - 1)).toBeLessThan(1e-12);
    }
  });

  it('keeps full relative accuracy for tiny inputs because it returns them exactly', () => {
    for (const x of [Number.MIN_VALUE, 1e-310, 1e-300, 1e-100, 1e-20, 1e-8, 1e-3]) {
      expect(f(x)).toBe(x);
      expect(f(-x)).toBe(-x);
    }
  });

  it('gives a finite value and derivative, never NaN, for every hostile input', () => {
    for (const x of hostileInputs) {
      expect(Number.isFinite(f(x)), `identity(${x})`).toBe(true);
      expect(df(x)).toBe(1);
    }
  });

  it('takes no parameters and rejects unknown ones', () => {
    expect(identity.paramsSchema.safeParse({})).toEqual({ success: true, data: {} });
    const result = identity.paramsSchema.safeParse({ slope: 2 });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.code).toBe('unrecognized_keys');
  });

  it('describes an unbounded range, slope 1 and no corners', () => {
    expect(identity.range).toMatchObject({ min: null, max: null });
    expect(identity.maxDerivative).toBe(1);
    expect(identity.kinks).toEqual([]);
    expect(identity.properties).toMatchObject({ monotonic: true, smooth: true, zeroCentered: true });
    expect(kernel.paramGradients).toEqual({});
  });
});
