import { describe, expect, it } from 'vitest';
import { softplus } from '../../src/activations/softplus.js';
import type { KernelContext } from '../../src/activations/types.js';
import { hostileInputs, numericalDerivative, ulpDistance } from '../support/numeric.js';

const context: KernelContext = {
  mode: 'eval',
  count: 0,
  uniform: () => {
    throw new Error('a deterministic activation must not draw random numbers');
  },
};
const kernelFor = (params: object) => softplus.kernel(softplus.paramsSchema.parse(params), context);
const kernel = kernelFor({});
const f = (x: number): number => kernel.value(x, 0);
const df = (x: number): number => kernel.derivative(x, 0);

type Row = readonly [x: number, value: number, derivative: number];
/** x, (1/β)ln(1 + e^{βx}), σ(βx): mpmath with mp.dps = 30, rounded to the nearest float64. */
const reference: readonly { params: { beta?: number; threshold?: number }; rows: readonly Row[] }[] = [
  {
    params: {},
    rows: [
      [-745, 5e-324, 5e-324],
      [-700, 9.85967654375977e-305, 9.85967654375977e-305],
      [-40, 4.248354255291589e-18, 4.248354255291589e-18],
      [-1, 0.3132616875182228, 0.2689414213699951],
      [0, 0.6931471805599453, 0.5],
      [1e-300, 0.6931471805599453, 0.5],
      [1, 1.3132616875182228, 0.7310585786300049],
      [19.9, 19.900000002277924, 0.9999999977220729],
      [20, 20.000000002061153, 0.9999999979388464],
    ],
  },
  {
    params: { beta: 0.3 },
    rows: [
      [-2400, 6.77410267473e-313, 2.0322308024e-313],
      [-300, 2.731337541330181e-39, 8.194012623990542e-40],
      [-7, 0.38506507726584993, 0.10909682119561294],
      [-1e-300, 2.3104906018664844, 0.5],
      [0.1, 2.3608655878048284, 0.5074994375506204],
      [3, 4.137179582440293, 0.710949502625004],
      [8, 8.289453840513165, 0.9168273035060777],
    ],
  },
  {
    params: { beta: 2.5 },
    rows: [
      [-2400, 0, 0],
      [-7, 1.0043996496873594e-8, 2.5109990926928157e-8],
      [-1e-300, 0.2772588722239781, 0.5],
      [0.1, 0.33037576795153745, 0.5621765008857981],
      [3, 3.000221172590144, 0.9994472213630764],
      [7.9, 7.90000000105863, 0.9999999973534264],
    ],
  },
];

describe('softplus', () => {
  it('matches mpmath to within 4 ulp in value and derivative, for several β, tails included', () => {
    for (const { params, rows } of reference) {
      const custom = kernelFor(params);
      for (const [x, value, derivative] of rows) {
        expect(ulpDistance(custom.value(x, 0), value), `softplus(${x}; ${JSON.stringify(params)})`).toBeLessThanOrEqual(4);
        expect(ulpDistance(custom.derivative(x, 0), derivative), `softplus′(${x})`).toBeLessThanOrEqual(4);
      }
    }
  });

  it('returns x with derivative 1 once βx exceeds the threshold, as PyTorch does', () => {
    expect(f(20.000001)).toBe(20.000001);
    expect(df(20.000001)).toBe(1);
    expect(f(1e300)).toBe(1e300);
    const custom = kernelFor({ beta: 2, threshold: 5 });
    expect(custom.value(2.5, 0)).not.toBe(2.5); // βx = 5 is not above the threshold
    expect(custom.value(2.6, 0)).toBe(2.6);
    expect(custom.derivative(2.6, 0)).toBe(1);
  });

  it('returns 1/2 as its derivative at 0 for every β', () => {
    for (const beta of [1, 0.3, 2.5, 100]) expect(kernelFor({ beta }).derivative(0, 0)).toBe(0.5);
  });

  it('matches a numerical derivative to 1e−7 relative below the threshold', () => {
    for (const beta of [1, 0.3, 2.5]) {
      const custom = kernelFor({ beta });
      const value = (x: number): number => custom.value(x, 0);
      for (const x of [-10, -2, -0.4, 0.3, 1.5, 5]) {
        const numerical = numericalDerivative(value, x);
        const derivative = custom.derivative(x, 0);
        expect(Math.abs(derivative - numerical), `softplus′(${x}; β = ${beta})`).toBeLessThanOrEqual(
          1e-7 * Math.abs(derivative),
        );
      }
    }
  });

  it('never returns NaN or Infinity for a hostile input, even when βx overflows', () => {
    for (const params of [{}, { beta: 0.3 }, { beta: 1e10, threshold: 1e300 }, { beta: 1e-300 }]) {
      const custom = kernelFor(params);
      for (const x of hostileInputs) {
        expect(Number.isFinite(custom.value(x, 0)), `softplus(${x}; ${JSON.stringify(params)})`).toBe(true);
        expect(Number.isFinite(custom.derivative(x, 0)), `softplus′(${x})`).toBe(true);
      }
    }
    // β·x = −1e10·MAX_VALUE overflows to −Infinity: the value is exactly 0.
    expect(kernelFor({ beta: 1e10, threshold: 1e300 }).value(-Number.MAX_VALUE, 0)).toBe(0);
  });

  it('fills in beta = 1 and threshold = 20 and rejects non-positive or unknown parameters', () => {
    expect(softplus.paramsSchema.safeParse({}).data).toEqual({ beta: 1, threshold: 20 });
    expect(softplus.paramsSchema.safeParse({ beta: 0.5 }).data).toEqual({ beta: 0.5, threshold: 20 });
    for (const params of [{ beta: 0 }, { beta: -1 }, { threshold: 0 }, { threshold: -3 }, { beta: Infinity }, { beta: NaN }]) {
      expect(softplus.paramsSchema.safeParse(params).success, JSON.stringify(params)).toBe(false);
    }
    expect(softplus.paramsSchema.safeParse({ gamma: 1 }).success).toBe(false);
  });
});
