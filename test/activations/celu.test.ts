import { describe, expect, it } from 'vitest';
import { celu } from '../../src/activations/celu.js';
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
const kernelFor = (params: object) => celu.kernel(celu.paramsSchema.parse(params), context);
const kernel = kernelFor({});
const f = (x: number): number => kernel.value(x, 0);
const df = (x: number): number => kernel.derivative(x, 0);

type Row = readonly [x: number, value: number, derivative: number];
/** x, celu(x), celu′(x) = e^{x/α} for x ≤ 0: mpmath with mp.dps = 30, rounded to the nearest float64. */
const reference: readonly { alpha: number; rows: readonly Row[] }[] = [
  {
    alpha: 1,
    rows: [
      [-800, -1, 0],
      [-745, -1, 5e-324],
      [-210, -1, 6.282880511239462e-92],
      [-1, -0.6321205588285577, 0.36787944117144233],
      [-1e-300, -1e-300, 1],
      [1e-300, 1e-300, 1],
      [1e300, 1e300, 1],
    ],
  },
  {
    alpha: 0.3,
    rows: [
      [-800, -0.3, 0],
      [-210, -0.3, 9.859676543759516e-305],
      [-50, -0.3, 4.145590013564065e-73],
      [-1, -0.2892978019958243, 0.035673993347252395],
      [-1e-300, -1e-300, 1],
    ],
  },
  {
    alpha: 3,
    rows: [
      [-800, -3, 1.5421909815891664e-116],
      [-745, -3, 1.413200103899524e-108],
      [-50, -2.9999998266675445, 5.7777485194191396e-8],
      [-1, -0.8504060682786323, 0.7165313105737893],
    ],
  },
  {
    alpha: -0.7,
    rows: [
      [-490, -7.099624383145347e303, 1.0142320547350496e304],
      [-100, -7.711997557294586e61, 1.1017139367563694e62],
      [-1, -2.2209137185186676, 4.172733883598097],
      [-1e-300, -1e-300, 1],
    ],
  },
];

describe('celu', () => {
  it('matches mpmath to within 4 ulp in value and derivative, for several α, tails and tiny inputs included', () => {
    // x/α is rounded; without the correction for that rounding, e^{x/α} near x/α = −700 is up to ~490 ulp off.
    for (const { alpha, rows } of reference) {
      const custom = kernelFor({ alpha });
      for (const [x, value, derivative] of rows) {
        expect(ulpDistance(custom.value(x, 0), value), `celu(${x}; α = ${alpha})`).toBeLessThanOrEqual(4);
        expect(ulpDistance(custom.derivative(x, 0), derivative), `celu′(${x}; α = ${alpha})`).toBeLessThanOrEqual(4);
      }
    }
  });

  it('returns 1 as its derivative at x = 0 for every α, as PyTorch does', () => {
    for (const alpha of [1, 0.3, 3, -0.7]) {
      const custom = kernelFor({ alpha });
      expect(custom.derivative(0, 0)).toBe(1);
      expect(custom.derivative(-0, 0)).toBe(1);
      expect(custom.value(0, 0)).toBe(0);
    }
    expect(celu.kinks).toEqual([]);
  });

  it('equals elu at the default α = 1, bit for bit', () => {
    const eluKernel = elu.kernel({ alpha: 1 }, context);
    for (const x of [-800, -20, -1, -1e-300, 0, 2, 1e300]) {
      expect(f(x)).toBe(eluKernel.value(x, 0));
      expect(df(x)).toBe(eluKernel.derivative(x, 0));
    }
  });

  it('matches a numerical derivative to 1e−7 relative away from 0', () => {
    for (const alpha of [1, 0.3, 3, -0.7]) {
      const custom = kernelFor({ alpha });
      // On the negative side x is a multiple of α, so f′ = e^{x/α} is not negligible next to f.
      for (const x of [-6 * Math.abs(alpha), -Math.abs(alpha), -0.2 * Math.abs(alpha), 0.25, 4]) {
        const numerical = numericalDerivative((t) => custom.value(t, 0), x);
        const derivative = custom.derivative(x, 0);
        expect(Math.abs(derivative - numerical), `celu′(${x}; α = ${alpha})`).toBeLessThanOrEqual(1e-7 * Math.abs(derivative));
      }
    }
  });

  it('never returns NaN for a hostile input, and Infinity only where α·e^{x/α} truly overflows (α < 0)', () => {
    for (const alpha of [1, 0.3, 3, 1e-300, 1e300]) {
      const custom = kernelFor({ alpha });
      for (const x of hostileInputs) {
        expect(Number.isFinite(custom.value(x, 0)), `celu(${x}; α = ${alpha})`).toBe(true);
        expect(Number.isFinite(custom.derivative(x, 0)), `celu′(${x}; α = ${alpha})`).toBe(true);
      }
    }
    // With α = −0.7, x/α > 0 for x < 0: e^{x/α} exceeds MAX_VALUE from x ≈ −497 on, and there Infinity is the true rounding.
    const negative = kernelFor({ alpha: -0.7 });
    for (const x of hostileInputs) {
      const overflows = x < -497;
      const value = negative.value(x, 0);
      const derivative = negative.derivative(x, 0);
      expect(Number.isNaN(value) || Number.isNaN(derivative), `celu(${x}; α = −0.7)`).toBe(false);
      expect(Number.isFinite(value), `celu(${x}; α = −0.7)`).toBe(!overflows);
      expect(Number.isFinite(derivative), `celu′(${x}; α = −0.7)`).toBe(!overflows);
    }
  });

  it('fills in α = 1 and rejects α = 0, non-finite α and unknown parameters', () => {
    expect(celu.paramsSchema.safeParse({}).data).toEqual({ alpha: 1 });
    expect(celu.paramsSchema.safeParse({ alpha: -0.7 }).data).toEqual({ alpha: -0.7 });
    for (const params of [{ alpha: 0 }, { alpha: -0 }, { alpha: Infinity }, { alpha: NaN }, { beta: 1 }]) {
      expect(celu.paramsSchema.safeParse(params).success, JSON.stringify(params)).toBe(false);
    }
  });
});
