import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { rrelu } from '../../src/activations/rrelu.js';
import type { KernelContext } from '../../src/activations/types.js';
import { hostileInputs, numericalDerivative, ulpDistance } from '../support/numeric.js';

const defaults = rrelu.paramsSchema.parse({});
const midpoint = (1 / 8 + 1 / 3) / 2;

/** A deterministic stand-in for the seeded generator: cycles through fixed draws and counts them. */
function fixedSequence(draws: readonly number[]): { uniform: () => number; drawn: () => number } {
  let calls = 0;
  return {
    uniform: () => {
      const draw = draws[calls % draws.length];
      calls += 1;
      if (draw === undefined) throw new Error('empty sequence');
      return draw;
    },
    drawn: () => calls,
  };
}

const draws = [0, 0.5, 0.25, 1 - 2 ** -53, 0.75, 0.125, 0.9, 0.3];
const evalContext: KernelContext = {
  mode: 'eval',
  count: 8,
  uniform: () => {
    throw new Error('eval mode must not draw random numbers');
  },
};
const trainKernel = (params: object, count: number, sequence = fixedSequence(draws)) =>
  rrelu.kernel(rrelu.paramsSchema.parse(params), { mode: 'train', count, uniform: sequence.uniform });

/** The exact value of a float64 (its binary expansion is finite), as a Decimal. */
const Exact = Decimal.clone({ precision: 60 });
const exact = (x: number): Decimal => {
  const magnitude = new Exact(`0b${Math.abs(x).toString(2)}`);
  return x < 0 ? magnitude.neg() : magnitude;
};

describe('rrelu', () => {
  describe('in eval mode', () => {
    const kernel = rrelu.kernel(defaults, evalContext);

    it('is a leaky ReLU with the mean slope (lower + upper)/2 = 11/48', () => {
      expect(kernel.value(3, 0)).toBe(3);
      expect(kernel.value(0, 0)).toBe(0);
      expect(kernel.value(-1, 0)).toBe(-midpoint);
      expect(kernel.value(-2, 5)).toBe(-2 * midpoint);
      expect(kernel.derivative(-2, 0)).toBe(midpoint);
      expect(kernel.derivative(2, 0)).toBe(1);
      expect(Math.abs(midpoint - 11 / 48)).toBeLessThan(1e-16);
    });

    it('ignores the generator and the element index', () => {
      // evalContext.uniform throws, so building the kernel proved that nothing was drawn.
      for (let index = 0; index < 8; index += 1) {
        expect(kernel.value(-1.5, index)).toBe(kernel.value(-1.5, 0));
        expect(kernel.derivative(-1.5, index)).toBe(midpoint);
      }
    });

    it('returns the slope (lower + upper)/2 as its derivative at x = 0, as PyTorch does', () => {
      expect(kernel.derivative(0, 0)).toBe(midpoint);
      expect(kernel.derivative(-0, 0)).toBe(midpoint);
      expect(rrelu.kernel({ lower: 0.1, upper: 0.3 }, evalContext).derivative(0, 0)).toBe(0.2);
    });

    it('matches a numerical derivative away from the corner', () => {
      for (const x of [-1e4, -2, -0.3, 0.4, 5, 1e6]) {
        const numerical = numericalDerivative((t) => kernel.value(t, 0), x);
        expect(Math.abs(kernel.derivative(x, 0) - numerical)).toBeLessThan(1e-9);
      }
    });

    it('is correctly rounded (within 1 ulp of slope·x) for tiny inputs', () => {
      for (const magnitude of [1e-300, 3.7e-200, 1e-100, 1e-20, 1e-8, 1e-3]) {
        const x = -magnitude;
        const reference = exact(midpoint).times(exact(x)).toNumber();
        expect(ulpDistance(kernel.value(x, 0), reference), `rrelu(${x})`).toBeLessThanOrEqual(1);
        expect(kernel.value(magnitude, 0)).toBe(magnitude);
      }
    });
  });

  describe('in train mode', () => {
    it('draws exactly one slope per element when the kernel is created, whatever the data', () => {
      const sequence = fixedSequence(draws);
      const kernel = trainKernel({}, 5, sequence);
      expect(sequence.drawn()).toBe(5);
      for (let index = 0; index < 5; index += 1) {
        kernel.value(index % 2 === 0 ? -1 : 1, index);
        kernel.derivative(index % 2 === 0 ? 1 : -1, index);
      }
      expect(sequence.drawn()).toBe(5);
    });

    it('draws the slope lower + (upper − lower)·u for each element', () => {
      const kernel = trainKernel({ lower: 0.1, upper: 0.3 }, 3);
      expect(kernel.derivative(-1, 0)).toBe(0.1);
      expect(kernel.derivative(-1, 1)).toBe(0.1 + (0.3 - 0.1) * 0.5);
      expect(kernel.derivative(-1, 2)).toBe(0.1 + (0.3 - 0.1) * 0.25);
    });

    it('keeps every slope inside [lower, upper], even for draws next to 1', () => {
      for (const [lower, upper] of [[1 / 8, 1 / 3], [0.1, 0.3], [0, 1], [0.2, 0.2], [0.7, 5]] as const) {
        const kernel = trainKernel({ lower, upper }, 64);
        for (let index = 0; index < 64; index += 1) {
          const slope = kernel.derivative(-1, index);
          expect(slope, `slope ${index} for [${lower}, ${upper}]`).toBeGreaterThanOrEqual(lower);
          expect(slope, `slope ${index} for [${lower}, ${upper}]`).toBeLessThanOrEqual(upper);
        }
      }
    });

    it('gives identical results for the same sequence of draws', () => {
      const first = trainKernel({}, 32);
      const second = trainKernel({}, 32);
      for (let index = 0; index < 32; index += 1) {
        const x = -0.5 - index;
        expect(second.value(x, index)).toBe(first.value(x, index));
        expect(second.derivative(x, index)).toBe(first.derivative(x, index));
      }
    });

    it('uses the same slope for the value and the derivative of each element', () => {
      const kernel = trainKernel({}, 16);
      for (let index = 0; index < 16; index += 1) {
        const slope = kernel.derivative(-3, index);
        expect(kernel.value(-3, index)).toBe(-3 * slope);
        expect(kernel.value(-1, index)).toBe(-slope);
      }
      const distinctSlopes = new Set(Array.from({ length: 8 }, (_, index) => kernel.derivative(-1, index)));
      expect(distinctSlopes.size).toBe(8);
    });

    it("returns the element's drawn slope as its derivative at x = 0, as PyTorch does", () => {
      const kernel = trainKernel({}, 8);
      for (let index = 0; index < 8; index += 1) {
        expect(kernel.derivative(0, index)).toBe(kernel.derivative(-1, index));
        expect(kernel.derivative(Number.MIN_VALUE, index)).toBe(1);
      }
    });

    it('passes non-negative inputs unchanged with derivative 1', () => {
      const kernel = trainKernel({}, 4);
      for (let index = 0; index < 4; index += 1) {
        expect(kernel.value(2.5, index)).toBe(2.5);
        expect(kernel.value(1e-300, index)).toBe(1e-300);
        expect(kernel.derivative(2.5, index)).toBe(1);
      }
    });

    it('matches a numerical derivative away from the corner, element by element', () => {
      const kernel = trainKernel({}, 8);
      for (let index = 0; index < 8; index += 1) {
        for (const x of [-50, -0.7, 0.3, 9]) {
          const numerical = numericalDerivative((t) => kernel.value(t, index), x);
          expect(Math.abs(kernel.derivative(x, index) - numerical)).toBeLessThan(1e-9);
        }
      }
    });

    it('refuses an index outside the batch it drew slopes for', () => {
      const kernel = trainKernel({}, 4);
      expect(() => kernel.derivative(-1, 4)).toThrow(RangeError);
      expect(() => kernel.value(-1, -1)).toThrow(RangeError);
    });
  });

  it('gives a finite value and derivative, never NaN, for every hostile input in both modes', () => {
    const kernels = [rrelu.kernel(defaults, evalContext), trainKernel({}, hostileInputs.length)];
    for (const kernel of kernels) {
      hostileInputs.forEach((x, index) => {
        expect(Number.isFinite(kernel.value(x, index)), `rrelu(${x})`).toBe(true);
        expect(Number.isFinite(kernel.derivative(x, index)), `rrelu'(${x})`).toBe(true);
      });
    }
  });

  it('overflows to −Infinity, never NaN, only where the true value exceeds the float64 range', () => {
    // With lower = upper = 1e10, slope·x = 1e10·(−1e300) = −1e310 is beyond Number.MAX_VALUE.
    const steep = rrelu.kernel({ lower: 1e10, upper: 1e10 }, evalContext);
    for (const x of hostileInputs) {
      const value = steep.value(x, 0);
      expect(Number.isNaN(value), `rrelu(${x})`).toBe(false);
      const trueValueOverflows = x < 0 && exact(x).times(1e10).abs().gt(exact(Number.MAX_VALUE));
      expect(Number.isFinite(value), `rrelu(${x})`).toBe(!trueValueOverflows);
    }
    expect(steep.value(-1e300, 0)).toBe(-Infinity);
  });

  it('fills in lower = 1/8 and upper = 1/3 by default', () => {
    expect(rrelu.paramsSchema.safeParse({})).toEqual({ success: true, data: { lower: 1 / 8, upper: 1 / 3 } });
    expect(rrelu.paramsSchema.safeParse({ upper: 0.5 })).toEqual({ success: true, data: { lower: 1 / 8, upper: 0.5 } });
  });

  it('accepts 0 ≤ lower ≤ upper, including equal bounds and upper ≥ 1', () => {
    for (const params of [{ lower: 0, upper: 0 }, { lower: 0.2, upper: 0.2 }, { lower: 0.5, upper: 2 }]) {
      expect(rrelu.paramsSchema.safeParse(params)).toEqual({ success: true, data: params });
    }
  });

  it('rejects lower > upper with an issue on upper', () => {
    for (const params of [{ lower: 0.3, upper: 0.1 }, { lower: 0.5 }]) {
      const result = rrelu.paramsSchema.safeParse(params);
      expect(result.success, JSON.stringify(params)).toBe(false);
      expect(result.error?.issues).toHaveLength(1);
      expect(result.error?.issues[0]?.path).toEqual(['upper']);
    }
  });

  it('rejects a negative bound, non-finite bounds, non-numbers and unknown keys', () => {
    for (const params of [
      { lower: -0.1 },
      { lower: -1, upper: -0.5 },
      { upper: Infinity },
      { lower: Number.NaN },
      { lower: '0.1' },
      { mode: 'train' },
    ]) {
      expect(rrelu.paramsSchema.safeParse(params).success, JSON.stringify(params)).toBe(false);
    }
  });

  it('describes its range, maximal slope and corner in agreement with the eval kernel', () => {
    const kernel = rrelu.kernel(defaults, evalContext);
    const grid = Array.from({ length: 2001 }, (_, i) => -10 + i / 100);
    expect(rrelu.range).toMatchObject({ min: null, max: null });
    expect(rrelu.maxDerivative).toBe(Math.max(...grid.map((x) => Math.abs(kernel.derivative(x, 0)))));
    expect(rrelu.kinks.map((kink) => kink.x)).toEqual([0]);
    expect(rrelu.kinks[0]?.convention).toContain('11/48');
  });
});
