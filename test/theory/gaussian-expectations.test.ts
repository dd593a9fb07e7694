import erf from '@stdlib/math-base-special-erf';
import { describe, expect, it } from 'vitest';
import { activations } from '../../src/activations/registry.js';
import { resolveActivation } from '../../src/activations/resolve.js';
import { gaussianExpectations } from '../../src/theory/gaussian-expectations.js';

/**
 * [activation, q, E[φ²], E[φ′²], d/dq E[φ²]] from mpmath 1.3.0 at 30 digits
 * (mp.quad over z split at every x = k, k = −30 … 30; d/dq as
 * E[φ²(z² − 1)]/(2q)), written independently of the service's code, rounded to float64.
 */
const REFERENCES: readonly (readonly [string, number, number, number, number])[] = [
  ['tanh', 0.01, 0.009805468755532405, 0.9806702434649816, 0.9616216679060093],
  ['tanh', 0.5, 0.2736763079367389, 0.5924257933717963, 0.324629995988867],
  ['tanh', 1, 0.3942944903978412, 0.46440290244826826, 0.18179768814048708],
  ['tanh', 4, 0.6352612342569399, 0.25595044322520893, 0.038373798189506585],
  ['tanh', 100, 0.9205368634305167, 0.053106787748115836, 0.0003940901053808447],
  ['tanh', 1e4, 0.992021482480513, 0.0053191446440146225, 3.988930699530269e-07],
  ['sigmoid', 1, 0.29337903585809294, 0.04483624135019437, 0.031198241979629598],
  ['sigmoid', 4, 0.3485736225994603, 0.029025181403016766, 0.011362355508780442],
  ['sigmoid', 100, 0.4607404398906359, 0.006606645503534153, 0.00019015645592042142],
  ['gelu', 0.5, 0.18955654183222762, 0.4072479685443648, 0.44788724670423413],
  ['gelu', 4, 1.9298650158644433, 0.506044764053799, 0.5041584832467839],
  ['gelu', 1e4, 4999.998124582941, 0.5005624679562025, 0.5000000937466623],
  ['elu', 0.5, 0.3481014438849776, 0.7137917880779036, 0.6197384040593441],
  ['elu', 4, 2.258206638855628, 0.594410641301969, 0.5207192813807673],
  ['elu', 1e4, 5000.494016613576, 0.5019946615379617, 0.5000002990945667],
];

/** [activation, q, E[φ²], E[φ′²]] from the same mpmath computation. */
const MORE_REFERENCES: readonly (readonly [string, number, number, number])[] = [
  ['mish', 2.25, 1.0715031890766347, 0.504150766380107],
  ['silu', 4, 1.7578898666788154, 0.4664250548387369],
  ['logsigmoid', 4, 2.3297814636243053, 0.3485736225994603],
  ['softplus', 4, 2.3297814636243053, 0.3485736225994603],
  ['tanhshrink', 1, 0.18288347119352352, 0.2529918832439506],
  ['softsign', 0.25, 0.08578581501383112, 0.37681687495750554],
  ['softsign', 3, 0.2914078447218362, 0.14258778187786258],
];

const relativeError = (value: number, exact: number): number => Math.abs(value / exact - 1);

describe('gaussianExpectations', () => {
  it('matches high-precision references for smooth and ELU-type activations to 5e−11', () => {
    for (const [id, q, meanSquare, meanSquaredDerivative, meanSquareSlope] of REFERENCES) {
      const expectations = gaussianExpectations(resolveActivation(id));
      expect(relativeError(expectations.meanSquare(q), meanSquare), `${id} E[φ²] at q = ${q}`).toBeLessThan(5e-11);
      expect(relativeError(expectations.meanSquaredDerivative(q), meanSquaredDerivative), `${id} E[φ′²] at q = ${q}`).toBeLessThan(5e-11);
      expect(relativeError(expectations.meanSquareSlope(q), meanSquareSlope), `${id} slope at q = ${q}`).toBeLessThan(5e-11);
    }
    for (const [id, q, meanSquare, meanSquaredDerivative] of MORE_REFERENCES) {
      const expectations = gaussianExpectations(resolveActivation(id));
      expect(relativeError(expectations.meanSquare(q), meanSquare), `${id} E[φ²] at q = ${q}`).toBeLessThan(5e-11);
      expect(relativeError(expectations.meanSquaredDerivative(q), meanSquaredDerivative), `${id} E[φ′²] at q = ${q}`).toBeLessThan(5e-11);
    }
  });

  it('gives ReLU its closed forms to the last bit: E[φ²] = q/2, E[φ′²] = ½', () => {
    const expectations = gaussianExpectations(resolveActivation('relu'));
    for (const q of [1e-8, 0.3, 1, 2, 7.5, 1e6]) {
      expect(expectations.meanSquare(q)).toBe(q / 2);
      expect(expectations.meanSquaredDerivative(q)).toBe(0.5);
      expect(expectations.meanSquareSlope(q)).toBe(0.5);
    }
  });

  it('gives the identity E[φ²] = q and a leaky ReLU E[φ′²] = (1 + s²)/2 exactly', () => {
    const identity = gaussianExpectations(resolveActivation('identity'));
    const leaky = gaussianExpectations(resolveActivation('leaky_relu', { negativeSlope: 0.25 }));
    for (const q of [0.01, 1, 3.7]) {
      expect(identity.meanSquare(q)).toBe(q);
      expect(identity.meanSquaredDerivative(q)).toBe(1);
      expect(leaky.meanSquaredDerivative(q)).toBe((1 + 0.25 ** 2) / 2);
      expect(leaky.meanSquare(q)).toBe((q * (1 + 0.25 ** 2)) / 2);
    }
  });

  it("gives hardtanh's E[φ′²] = P(|x| < 1) = erf(1/√(2q)) to rounding", () => {
    const expectations = gaussianExpectations(resolveActivation('hardtanh'));
    for (const q of [0.05, 0.5, 1, 4, 100]) {
      expect(relativeError(expectations.meanSquaredDerivative(q), erf(1 / Math.sqrt(2 * q)))).toBeLessThan(1e-15);
    }
  });

  it('gives the slope of E[φ²] in q, jumps and kinks included, for every activation', () => {
    for (const record of activations) {
      const expectations = gaussianExpectations(resolveActivation(record.id));
      for (const q of [0.3, 2, 30]) {
        const h = 1e-4 * q;
        const difference = (expectations.meanSquare(q + h) - expectations.meanSquare(q - h)) / (2 * h);
        const slope = expectations.meanSquareSlope(q);
        expect(Math.abs(slope - difference), `${record.id} at q = ${q}`).toBeLessThan(1e-7 * Math.max(1, Math.abs(slope)));
      }
    }
  });

  it('reports the one-sided limits at q → 0 and q → ∞', () => {
    const relu = gaussianExpectations(resolveActivation('relu'));
    const tanh = gaussianExpectations(resolveActivation('tanh'));
    const gelu = gaussianExpectations(resolveActivation('gelu'));
    const threshold = gaussianExpectations(resolveActivation('threshold', { threshold: 0, value: 2 }));
    expect(relu.atZero).toEqual({ meanSquare: 0, meanSquaredDerivative: 0.5 });
    expect(tanh.atZero.meanSquaredDerivative).toBe(1);
    expect(threshold.atZero.meanSquare).toBe(2);
    expect(tanh.atInfinity.meanSquaredDerivative).toBe(0);
    expect(gelu.atInfinity.meanSquaredDerivative).toBe(0.5);
  });

  it('rejects a variance that is not positive and finite', () => {
    const expectations = gaussianExpectations(resolveActivation('tanh'));
    for (const q of [0, -1, Infinity, Number.NaN]) expect(() => expectations.meanSquare(q)).toThrow(RangeError);
  });
});
