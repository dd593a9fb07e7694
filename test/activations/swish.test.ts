import { describe, expect, it } from 'vitest';
import { silu } from '../../src/activations/silu.js';
import { swish } from '../../src/activations/swish.js';
import type { KernelContext } from '../../src/activations/types.js';
import { hostileInputs, numericalDerivative, ulpDistance } from '../support/numeric.js';

const context: KernelContext = {
  mode: 'eval',
  count: 0,
  uniform: () => {
    throw new Error('a deterministic activation must not draw random numbers');
  },
};
const kernelFor = (params: object) => swish.kernel(swish.paramsSchema.parse(params), context);
const betaGradient = (kernel: ReturnType<typeof kernelFor>, x: number): number => {
  const gradient = kernel.paramGradients.beta;
  if (gradient === undefined) throw new Error('swish must expose ∂f/∂β');
  return gradient(x, 0);
};

type Row = readonly [x: number, value: number, derivative: number, betaGradient: number];
/** x, x·σ(βx), σ(βx)(1 + βxσ(−βx)), x²σ(βx)σ(−βx): mpmath with mp.dps = 30, rounded to the nearest float64. */
const reference: readonly { beta: number; rows: readonly Row[] }[] = [
  {
    beta: 0.3,
    rows: [
      [-2400, -4.87735392581844e-310, -1.4611739469431e-310, 1.170564942196424e-306],
      [-100, -9.35762296883931e-12, -2.713710660963137e-12, 9.357622968838433e-10],
      [-3, -0.8671514921249881, 0.10410022076695895, 1.8495027660803711],
      [-1e-300, -5e-301, 0.5, 0],
      [0.5, 0.2687149226718748, 0.574719696345381, 0.062149751669385744],
      [4, 3.0740991339960706, 0.9819981122751845, 2.8463110503488913],
      [2000, 2000, 1, 1.0601586212017478e-254],
    ],
  },
  {
    beta: -1.7,
    rows: [
      [-2400, -2400, 1, 0],
      [-100, -100, 1, 1.47889750564322e-70],
      [-3, -2.9818205955252477, 1.024657908025496, 0.054207722677200386],
      [-1e-300, -5e-301, 0.5, 0],
      [0.5, 0.14971642876301353, 0.12112595937017577, 0.05244320533995626],
      [4, 0.004450144131441286, -0.0064442923829038596, 0.017780772742974543],
      [2000, 0, 0, 0],
    ],
  },
  {
    beta: 1e-10,
    rows: [
      [-2400, -1199.999856, 0.49999988, 1439999.9999999793],
      [-100, -49.99999975, 0.499999995, 2500],
      [-3, -1.499999999775, 0.49999999985, 2.25],
      [0.5, 0.25000000000625, 0.500000000025, 0.0625],
      [2000, 1000.0001, 0.5000001, 999999.99999999],
    ],
  },
  {
    beta: 1e300,
    rows: [
      [-1e-297, 0, 0, 0],
      [-5e-301, -1.887703343990727e-301, 0.2600388126973482, 0],
      [1e-300, 7.310585786300049e-301, 0.9276705118714867, 0],
      [3e-299, 2.999999999999719e-299, 1.0000000000027136, 0],
    ],
  },
];

describe('swish', () => {
  it('matches mpmath to within 4 ulp in value, derivative and ∂f/∂β, for several β, tails included', () => {
    for (const { beta, rows } of reference) {
      const kernel = kernelFor({ beta });
      for (const [x, value, derivative, gradient] of rows) {
        expect(ulpDistance(kernel.value(x, 0), value), `swish(${x}; β = ${beta})`).toBeLessThanOrEqual(4);
        expect(ulpDistance(kernel.derivative(x, 0), derivative), `swish′(${x}; β = ${beta})`).toBeLessThanOrEqual(4);
        expect(ulpDistance(betaGradient(kernel, x), gradient), `∂swish/∂β(${x}; β = ${beta})`).toBeLessThanOrEqual(4);
      }
    }
  });

  it('is silu at the default β = 1, bit for bit', () => {
    const kernel = kernelFor({});
    const siluKernel = silu.kernel({}, context);
    for (const x of [-745, -30, -1.3, -1e-300, 0, 0.7, 3, 50, 1e300]) {
      expect(kernel.value(x, 0)).toBe(siluKernel.value(x, 0));
      expect(kernel.derivative(x, 0)).toBe(siluKernel.derivative(x, 0));
    }
  });

  it('returns 1/2 as its derivative and 0 as ∂f/∂β at x = 0, for every β', () => {
    for (const beta of [1, 0.3, -1.7, 40]) {
      const kernel = kernelFor({ beta });
      expect(kernel.derivative(0, 0)).toBe(0.5);
      expect(betaGradient(kernel, 0)).toBe(0);
    }
  });

  it('is the linear x/2 at β = 0', () => {
    const kernel = kernelFor({ beta: 0 });
    for (const x of [-1e300, -3, 0.25, 7]) {
      expect(kernel.value(x, 0)).toBe(x / 2);
      expect(kernel.derivative(x, 0)).toBe(0.5);
    }
  });

  it('matches numerical derivatives in x and in β to 1e−7 relative, away from the derivative zero', () => {
    for (const beta of [1, 0.3, -1.7, 2.5]) {
      const kernel = kernelFor({ beta });
      for (const x of [-8, -0.4, 0.3, 1.1, 6]) {
        const numerical = numericalDerivative((t) => kernel.value(t, 0), x);
        const derivative = kernel.derivative(x, 0);
        expect(Math.abs(derivative - numerical), `swish′(${x}; β = ${beta})`).toBeLessThanOrEqual(1e-7 * Math.abs(derivative));
        const numericalBeta = numericalDerivative((b) => kernelFor({ beta: b }).value(x, 0), beta);
        const gradient = betaGradient(kernel, x);
        expect(Math.abs(gradient - numericalBeta), `∂swish/∂β(${x}; β = ${beta})`).toBeLessThanOrEqual(1e-7 * Math.abs(gradient));
      }
    }
  });

  it('never returns NaN for a hostile input, and Infinity only where x²σ′(βx) truly overflows', () => {
    for (const beta of [1, 0.3, -1.7, 1e-290, 1e-300, 1e10, -1e300]) {
      const kernel = kernelFor({ beta });
      for (const x of hostileInputs) {
        expect(Number.isFinite(kernel.value(x, 0)), `swish(${x}; β = ${beta})`).toBe(true);
        expect(Number.isFinite(kernel.derivative(x, 0)), `swish′(${x}; β = ${beta})`).toBe(true);
        const gradient = betaGradient(kernel, x);
        expect(Number.isNaN(gradient), `∂swish/∂β(${x}; β = ${beta})`).toBe(false);
        // x² ≥ 1e400 with σ′(βx) ≥ 0.19 (|βx| ≤ 1) exceeds MAX_VALUE: only there is Infinity the true answer.
        const trulyOverflows = Math.abs(x) >= 1e200 && Math.abs(beta * x) <= 1;
        expect(Number.isFinite(gradient), `∂swish/∂β(${x}; β = ${beta})`).toBe(!trulyOverflows);
      }
    }
  });

  it('fills in β = 1, marks it learnable and rejects non-finite or unknown parameters', () => {
    expect(swish.paramsSchema.safeParse({}).data).toEqual({ beta: 1 });
    expect(swish.paramsSchema.safeParse({ beta: -4 }).data).toEqual({ beta: -4 });
    expect(swish.paramsSchema.shape.beta.meta()).toMatchObject({ learnable: true });
    for (const params of [{ beta: Infinity }, { beta: NaN }, { beta: '1' }, { gamma: 1 }]) {
      expect(swish.paramsSchema.safeParse(params).success, JSON.stringify(params)).toBe(false);
    }
  });
});
