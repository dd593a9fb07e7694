import { describe, expect, it } from 'vitest';
import { gelu } from '../../src/activations/gelu.js';
import { scaledNormalCdf } from '../../src/activations/numeric.js';
import type { KernelContext } from '../../src/activations/types.js';
import { hostileInputs, numericalDerivative, ulpDistance } from '../support/numeric.js';

const context: KernelContext = {
  mode: 'eval',
  count: 0,
  uniform: () => {
    throw new Error('a deterministic activation must not draw random numbers');
  },
};
const kernelFor = (params: object) => gelu.kernel(gelu.paramsSchema.parse(params), context);
const exact = kernelFor({});
const approximate = kernelFor({ approximate: 'tanh' });

/** Where gelu′ vanishes (the minimum of gelu), mpmath. */
const DERIVATIVE_ZERO = -0.7517915246935645;

type Row = readonly [x: number, value: number, derivative: number | null];
/** x, x·Φ(x), Φ(x) + x·φ(x): mpmath with mp.dps = 30, rounded to the nearest float64. */
const exactReference: readonly Row[] = [
  [-39, 0, 0],
  [-37.7, -9.36273961974653e-310, -3.5297493541830577e-308],
  [-37.5, -1.7270073785932332e-306, -6.476271143055812e-305],
  [-30, -1.472014178144456e-196, -4.416031690708495e-195],
  [-10, -7.619853024160526e-23, -7.618400096464814e-22],
  [-1, -0.15865525393145705, -0.0833154705876863],
  [DERIVATIVE_ZERO, -0.16997120747990366, null],
  [-1e-300, -5e-301, 0.5],
  [0, 0, 0.5],
  [1e-8, 5.000000039894228e-9, 0.5000000079788456],
  [1, 0.8413447460685429, 1.0833154705876864],
  [Math.SQRT2, 1.3029862263925718, 1.1289041451851547],
  [8, 7.999999999999995, 1.0000000000000397],
  [40, 40, 1],
];
/**
 * x, ½x(1 + tanh u), its derivative, u = √(2/π)(x + 0.044715x³) with the exact
 * decimal 0.044715: mpmath with mp.dps = 30, rounded to the nearest float64.
 */
const tanhReference: readonly Row[] = [
  [-25, 0, 0],
  [-21.3, -1.26335442077e-313, -1.2465230094397e-311],
  [-21, -6.016648487631484e-301, -5.773008639270406e-299],
  [-10, -1.204092348209806e-37, -2.7576380638540315e-36],
  [-2, -0.04540230591222498, -0.08609925662361838],
  [-0.5, -0.15428599017485609, 0.1326300964653577],
  [1e-300, 5e-301, 0.5],
  [0.5, 0.34571400982514394, 0.8673699035346423],
  [2, 1.954597694087775, 1.0860992566236183],
  [10, 10, 1],
];

describe('gelu', () => {
  it('matches mpmath to within 4 ulp in value and derivative (approximate = none), tails and tiny inputs included', () => {
    for (const [x, value, derivative] of exactReference) {
      expect(ulpDistance(exact.value(x, 0), value), `gelu(${x})`).toBeLessThanOrEqual(4);
      if (derivative !== null) expect(ulpDistance(exact.derivative(x, 0), derivative), `gelu′(${x})`).toBeLessThanOrEqual(4);
    }
  });

  it('matches mpmath to within 4 ulp with approximate = tanh, including x ≈ −21 where a rounded argument would cost 10 bits', () => {
    for (const [x, value, derivative] of tanhReference) {
      expect(ulpDistance(approximate.value(x, 0), value), `gelu_tanh(${x})`).toBeLessThanOrEqual(4);
      if (derivative !== null) {
        expect(ulpDistance(approximate.derivative(x, 0), derivative), `gelu_tanh′(${x})`).toBeLessThanOrEqual(4);
      }
    }
  });

  it('returns 1/2 as its derivative at 0 in both forms and never exceeds its stated maxDerivative', () => {
    expect(exact.derivative(0, 0)).toBe(0.5);
    expect(approximate.derivative(0, 0)).toBe(0.5);
    let largest = 0;
    for (let x = -10; x <= 10; x += 0.001) largest = Math.max(largest, Math.abs(exact.derivative(x, 0)));
    expect(largest).toBeLessThanOrEqual(gelu.maxDerivative as number);
    expect(largest).toBeGreaterThan((gelu.maxDerivative as number) - 1e-6);
    expect(ulpDistance(exact.derivative(Math.SQRT2, 0), gelu.maxDerivative as number)).toBeLessThanOrEqual(2);
  });

  it('attains its stated minimum at x ≈ −0.7518', () => {
    expect(ulpDistance(exact.value(DERIVATIVE_ZERO, 0), gelu.range.min as number)).toBeLessThanOrEqual(2);
    for (let x = -5; x <= 1; x += 0.01) expect(exact.value(x, 0)).toBeGreaterThanOrEqual(gelu.range.min as number);
  });

  it('keeps the tanh approximation within 4.8e−4 of the exact GELU, its known worst case', () => {
    // max |½x(1 + tanh u) − xΦ(x)| over [−6, 6] is 4.73e−4 (mpmath, 2401 points).
    for (let x = -6; x <= 6; x += 0.005) {
      expect(Math.abs(approximate.value(x, 0) - exact.value(x, 0))).toBeLessThan(4.8e-4);
    }
  });

  it('matches a numerical derivative to 1e−7 relative in both forms, away from the derivative zero', () => {
    for (const kernel of [exact, approximate]) {
      for (const x of [-6, -3, -1.5, -0.3, 0.4, 1.4, 3, 6]) {
        const numerical = numericalDerivative((t) => kernel.value(t, 0), x);
        const derivative = kernel.derivative(x, 0);
        expect(Math.abs(derivative - numerical), `gelu′(${x})`).toBeLessThanOrEqual(1e-7 * Math.abs(derivative));
      }
    }
  });

  it('loses relative accuracy only next to the derivative zero, where Φ(x) and x·φ(x) cancel', () => {
    // Accepted and inherent: the bound is 4 ulp times the cancellation factor (Φ + |xφ|)/|Φ + xφ|.
    // x, gelu′(x), gelu_tanh′(x): mpmath, mp.dps = 30.
    const nearZero: [number, number, number][] = [
      [-0.74, 0.00514192718512852, 0.005423540492180083],
      [-0.76, -0.0035157359521246637, -0.0032225754985511033],
    ];
    for (const [x, derivative, tanhDerivative] of nearZero) {
      const density = Math.exp((-x * x) / 2) / Math.sqrt(2 * Math.PI);
      const cdf = scaledNormalCdf(1, x);
      const cancellation = (cdf + Math.abs(x * density)) / Math.abs(cdf + x * density);
      expect(ulpDistance(exact.derivative(x, 0), derivative), `gelu′(${x})`).toBeLessThanOrEqual(4 * cancellation);
      expect(ulpDistance(approximate.derivative(x, 0), tanhDerivative), `gelu_tanh′(${x})`).toBeLessThanOrEqual(
        4 * cancellation,
      );
    }
  });

  it('never returns NaN or Infinity for a hostile input, in either form', () => {
    for (const kernel of [exact, approximate]) {
      for (const x of hostileInputs) {
        expect(Number.isFinite(kernel.value(x, 0)), `gelu(${x})`).toBe(true);
        expect(Number.isFinite(kernel.derivative(x, 0)), `gelu′(${x})`).toBe(true);
      }
      expect(kernel.value(Number.MAX_VALUE, 0)).toBe(Number.MAX_VALUE);
      expect(kernel.derivative(-Number.MAX_VALUE, 0)).toBe(0);
    }
  });

  it('defaults approximate to "none" and rejects other values and unknown parameters', () => {
    expect(gelu.paramsSchema.safeParse({}).data).toEqual({ approximate: 'none' });
    expect(gelu.paramsSchema.safeParse({ approximate: 'tanh' }).data).toEqual({ approximate: 'tanh' });
    for (const params of [{ approximate: 'erf' }, { approximate: true }, { approximate: 'none', alpha: 1 }]) {
      expect(gelu.paramsSchema.safeParse(params).success, JSON.stringify(params)).toBe(false);
    }
  });
});
