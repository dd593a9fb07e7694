import { describe, expect, it } from 'vitest';
import { elu } from '../../src/activations/elu.js';
import type { KernelContext } from '../../src/activations/types.js';
import { hostileInputs, numericalDerivative, ulpDistance } from '../support/numeric.js';

const context: KernelContext = {
  mode: 'eval',
  count: 0,
  uniform: () => {
    throw new Error('a deterministic activation must not draw random numbers');
  },
};
const kernelFor = (params: object) => elu.kernel(elu.paramsSchema.parse(params), context);
const kernel = kernelFor({});
const f = (x: number): number => kernel.value(x, 0);
const df = (x: number): number => kernel.derivative(x, 0);

type Row = readonly [x: number, value: number, derivative: number];
/** x, elu(x), elu′(x): mpmath with mp.dps = 30, rounded to the nearest float64. */
const reference: readonly { alpha: number; rows: readonly Row[] }[] = [
  {
    alpha: 1,
    rows: [
      [-800, -1, 0],
      [-745, -1, 5e-324],
      [-50, -1, 1.9287498479639178e-22],
      [-1, -0.6321205588285577, 0.36787944117144233],
      [-1e-300, -1e-300, 1],
      [1e-300, 1e-300, 1],
      [1, 1, 1],
      [1e300, 1e300, 1],
    ],
  },
  {
    alpha: 0.5,
    rows: [
      [-800, -0.5, 0],
      [-50, -0.5, 9.643749239819589e-23],
      [-1, -0.31606027941427883, 0.18393972058572117],
      [-1e-300, -5e-301, 0.5],
      [1, 1, 1],
    ],
  },
  {
    alpha: -2,
    rows: [
      [-800, 2, 0],
      [-745, 2, -5e-324],
      [-50, 2, -3.8574996959278356e-22],
      [-1, 1.2642411176571153, -0.7357588823428847],
      [-1e-300, 2e-300, -2],
      [1, 1, 1],
    ],
  },
];

describe('elu', () => {
  it('matches mpmath to within 4 ulp in value and derivative, for several α, tails and tiny inputs included', () => {
    for (const { alpha, rows } of reference) {
      const custom = kernelFor({ alpha });
      for (const [x, value, derivative] of rows) {
        expect(ulpDistance(custom.value(x, 0), value), `elu(${x}; α = ${alpha})`).toBeLessThanOrEqual(4);
        expect(ulpDistance(custom.derivative(x, 0), derivative), `elu′(${x}; α = ${alpha})`).toBeLessThanOrEqual(4);
      }
    }
  });

  it('returns alpha as its derivative at x = 0, as PyTorch does', () => {
    expect(df(0)).toBe(1);
    expect(df(-0)).toBe(1);
    for (const alpha of [0.5, 2, -3, 0]) expect(kernelFor({ alpha }).derivative(0, 0)).toBe(alpha);
    expect(kernelFor({ alpha: 0.5 }).derivative(Number.MIN_VALUE, 0)).toBe(1);
    expect(f(0)).toBe(0);
  });

  it('is continuously differentiable at the default α = 1, so it lists no kink', () => {
    expect(elu.kinks).toEqual([]);
    expect(Math.abs(df(-1e-9) - df(1e-9))).toBeLessThan(2e-9);
  });

  it('matches a numerical derivative to 1e−7 relative away from the corner', () => {
    for (const alpha of [1, 0.5, -2]) {
      const custom = kernelFor({ alpha });
      for (const x of [-12, -3, -0.5, 0.25, 4, 1e6]) {
        const numerical = numericalDerivative((t) => custom.value(t, 0), x);
        const derivative = custom.derivative(x, 0);
        expect(Math.abs(derivative - numerical), `elu′(${x}; α = ${alpha})`).toBeLessThanOrEqual(1e-7 * Math.abs(derivative));
      }
    }
  });

  it('never returns NaN or Infinity for a hostile input', () => {
    for (const alpha of [1, 0.5, -2, 1e300]) {
      const custom = kernelFor({ alpha });
      for (const x of hostileInputs) {
        expect(Number.isFinite(custom.value(x, 0)), `elu(${x}; α = ${alpha})`).toBe(true);
        expect(Number.isFinite(custom.derivative(x, 0)), `elu′(${x}; α = ${alpha})`).toBe(true);
      }
    }
  });

  it('fills in α = 1, accepts any finite α and rejects non-finite or unknown parameters', () => {
    expect(elu.paramsSchema.safeParse({}).data).toEqual({ alpha: 1 });
    expect(elu.paramsSchema.safeParse({ alpha: -3 }).data).toEqual({ alpha: -3 });
    expect(elu.paramsSchema.safeParse({ alpha: 0 }).data).toEqual({ alpha: 0 });
    for (const params of [{ alpha: Infinity }, { alpha: NaN }, { alpha: '1' }, { scale: 1 }]) {
      expect(elu.paramsSchema.safeParse(params).success, JSON.stringify(params)).toBe(false);
    }
  });
});
