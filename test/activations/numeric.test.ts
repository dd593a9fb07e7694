import { describe, expect, it } from 'vitest';
import {
  exponentArgumentError,
  exponentQuotientError,
  productError,
  scaledExp,
  scaledNormalCdf,
  scaledNormalPdf,
  scaledSigmoid,
  sech2,
  sigmoid,
  sigmoidDerivative,
  siluDerivative,
  softplus,
  squaredTimesSigmoidDerivative,
  sumError,
} from '../../src/activations/numeric.js';
import { createRandom } from '../../src/random.js';
import { hostileInputs, ulpDistance } from '../support/numeric.js';

const view = new DataView(new ArrayBuffer(8));

/** A finite float64 as mantissa·2^exponent, both exact. */
function decompose(x: number): { mantissa: bigint; exponent: number } {
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const sign = bits >> 63n === 1n ? -1n : 1n;
  const biased = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & 0xfffffffffffffn;
  if (biased === 0) return { mantissa: sign * fraction, exponent: -1074 };
  return { mantissa: sign * (fraction | 0x10000000000000n), exponent: biased - 1075 };
}

/** Exact dyadic rationals as mantissa·2^exponent, brought to a common exponent to compare or add. */
interface Dyadic {
  mantissa: bigint;
  exponent: number;
}
const exact = (x: number): Dyadic => decompose(x);
const times = (a: Dyadic, b: Dyadic): Dyadic => ({ mantissa: a.mantissa * b.mantissa, exponent: a.exponent + b.exponent });
const plus = (a: Dyadic, b: Dyadic): Dyadic => {
  const exponent = Math.min(a.exponent, b.exponent);
  return {
    mantissa: (a.mantissa << BigInt(a.exponent - exponent)) + (b.mantissa << BigInt(b.exponent - exponent)),
    exponent,
  };
};
const negate = (a: Dyadic): Dyadic => ({ mantissa: -a.mantissa, exponent: a.exponent });
const isZero = (a: Dyadic): boolean => a.mantissa === 0n;

/** Random float64 pairs whose products span 2^−950 … 2^1000, with operands from subnormal to near MAX_VALUE. */
function productOperands(count: number): [number, number][] {
  const { uniform } = createRandom(2024);
  const pairs: [number, number][] = [
    [1e300, 3e-299],
    [Number.MAX_VALUE, 0.9e-10],
    [5e-324, 3.1e300],
    [1e-310, 7.7e15],
    [0.1, 0.3],
    [Math.SQRT1_2, 37.7],
    [-1.7, 1234.5678],
  ];
  while (pairs.length < count) {
    const productExponent = Math.floor(-950 + 1950 * uniform());
    const firstExponent = Math.max(-1074, Math.min(1020, Math.floor(productExponent / 2 + (uniform() - 0.5) * 1900)));
    const secondExponent = productExponent - firstExponent;
    if (secondExponent < -1074 || secondExponent > 1020) continue;
    const first = (1 + uniform()) * 2 ** firstExponent * (uniform() < 0.5 ? -1 : 1);
    const second = (1 + uniform()) * 2 ** secondExponent;
    if (first !== 0 && second !== 0 && Number.isFinite(first * second)) pairs.push([first, second]);
  }
  return pairs;
}

describe('numeric building blocks', () => {
  describe('sigmoid and sigmoidDerivative', () => {
    it('satisfy σ(x) + σ(−x) = 1 and σ′(x) = σ′(−x) = σ(x)σ(−x)', () => {
      for (const x of [0, 1e-8, 0.5, 1, 3, 10, 30]) {
        expect(Math.abs(sigmoid(x) + sigmoid(-x) - 1)).toBeLessThanOrEqual(2 ** -51);
        expect(sigmoidDerivative(-x)).toBe(sigmoidDerivative(x));
        expect(ulpDistance(sigmoidDerivative(x), sigmoid(x) * sigmoid(-x))).toBeLessThanOrEqual(4);
      }
      expect(sigmoidDerivative(0)).toBe(0.25);
    });

    it('keep relative accuracy in the negative tail instead of rounding to 0', () => {
      // mpmath, mp.dps = 30: σ(−700) = σ′(−700) = 9.85967654375977e−305.
      expect(ulpDistance(sigmoid(-700), 9.85967654375977e-305)).toBeLessThanOrEqual(2);
      expect(ulpDistance(sigmoidDerivative(700), 9.85967654375977e-305)).toBeLessThanOrEqual(2);
    });
  });

  describe('softplus', () => {
    it('satisfies softplus(x) − softplus(−x) = x and is x plus a vanishing term for large x', () => {
      for (const x of [1e-3, 0.5, 2, 17, 40]) {
        expect(Math.abs(softplus(x) - softplus(-x) - x)).toBeLessThanOrEqual(4 * 2 ** -52 * Math.max(1, x));
      }
      expect(softplus(1e300)).toBe(1e300);
      expect(softplus(Number.MAX_VALUE)).toBe(Number.MAX_VALUE);
    });

    it('equals e^x to the last bit for very negative x', () => {
      // mpmath, mp.dps = 30: ln(1 + e^{−40}) = 4.248354255291589e−18.
      expect(ulpDistance(softplus(-40), 4.248354255291589e-18)).toBeLessThanOrEqual(1);
      expect(softplus(-Number.MAX_VALUE)).toBe(0);
    });
  });

  describe('sech2', () => {
    it('is 1 at 0 and keeps relative accuracy where 1 − tanh² would cancel to 0', () => {
      expect(sech2(0)).toBe(1);
      // mpmath, mp.dps = 30: sech²(20) = 1.6993417021166355e−17, sech²(350) = 3.943870617503908e−304.
      expect(ulpDistance(sech2(20), 1.6993417021166355e-17)).toBeLessThanOrEqual(3);
      expect(ulpDistance(sech2(-350), 3.943870617503908e-304)).toBeLessThanOrEqual(3);
      expect(sech2(Number.MAX_VALUE)).toBe(0);
    });
  });

  describe('scaledExp', () => {
    it('returns c·e^u to a few ulp where e^u alone would be subnormal, zero or infinite', () => {
      // u, c, c·e^u: mpmath, mp.dps = 30, rounded to float64.
      const reference: [number, number, number][] = [
        [-740, 740, 3.09967e-319],
        [-1400, 1e300, 9.721322154756664e-309],
        [-1420, 1.7e308, 3.40631352360871e-309],
        [720, 1e-10, 4.920700930263816e302],
        [1000, 1e-300, 1.970071114017047e134],
        [-2000, 1e300, 0],
        [-3000, 1e308, 0],
      ];
      for (const [u, c, expected] of reference) {
        expect(ulpDistance(scaledExp(u, c), expected), `${c}·e^${u}`).toBeLessThanOrEqual(4);
      }
    });

    it('gives 0 for u = −Infinity and a finite factor', () => {
      expect(scaledExp(-Infinity, Number.MAX_VALUE)).toBe(0);
    });
  });

  describe('productError', () => {
    it('recovers a·b − fl(a·b) exactly, from subnormal to huge operands', () => {
      for (const [a, b] of productOperands(2000)) {
        const product = a * b;
        const error = productError(a, b, product);
        const residual = plus(times(exact(a), exact(b)), negate(plus(exact(product), exact(error))));
        expect(isZero(residual), `${a} · ${b}`).toBe(true);
      }
    });

    it('is 0 for exact, zero and infinite products', () => {
      expect(productError(3, 0.25, 0.75)).toBe(0);
      expect(productError(0, 5, 0)).toBe(0);
      expect(productError(1e300, 1e300, Infinity)).toBe(0);
    });
  });

  describe('sumError', () => {
    it('recovers a + b − fl(a + b) exactly', () => {
      const { uniform } = createRandom(7);
      for (let trial = 0; trial < 1000; trial += 1) {
        const a = (uniform() - 0.5) * 2 ** Math.floor(uniform() * 120 - 60);
        const b = (uniform() - 0.5) * 2 ** Math.floor(uniform() * 120 - 60);
        const sum = a + b;
        const residual = plus(plus(exact(a), exact(b)), negate(plus(exact(sum), exact(sumError(a, b, sum)))));
        expect(isZero(residual), `${a} + ${b}`).toBe(true);
      }
    });
  });

  describe('exponentArgumentError and exponentQuotientError', () => {
    it('give the rounding error of βx and x/α where an exponential can still feel it', () => {
      const beta = 0.3;
      const x = -2400.123;
      const u = beta * x;
      expect(exponentArgumentError(beta, x, u)).toBe(productError(beta, x, u));
      for (const [dividend, divisor] of [
        [-490, -0.7],
        [-210, 0.3],
        [-1e-198, -1e-200],
        [-800, 3],
      ] as const) {
        const quotient = dividend / divisor;
        // The exact remainder x − q·α is a float64; the correction is that remainder divided by α.
        const remainder = plus(exact(dividend), negate(times(exact(quotient), exact(divisor))));
        const remainderValue = Number(remainder.mantissa) * 2 ** remainder.exponent;
        expect(exponentQuotientError(dividend, divisor, quotient), `${dividend}/${divisor}`).toBe(
          remainderValue / divisor,
        );
      }
    });

    it('are 0 beyond |u| = 4096, where e^u has saturated', () => {
      expect(exponentArgumentError(0.3, -1e300, 0.3 * -1e300)).toBe(0);
      expect(exponentQuotientError(-1e300, 0.3, -1e300 / 0.3)).toBe(0);
    });
  });

  describe('scaledSigmoid', () => {
    it('applies the argument correction and keeps a normal c·σ(u) when σ(u) is subnormal', () => {
      // c, u, δ, c·σ(u + δ): mpmath, mp.dps = 30.
      const reference: [number, number, number, number][] = [
        [1, -600, 1e-13, 2.6503965530045757e-261],
        [-30, -705.25, -4e-14, -1.5521650222006334e-305],
        [2, -730, 3e-14, 1.8452626e-317],
        [1e300, -1400, 1e-13, 9.721322154757637e-309],
        [5, 3, 1e-16, 4.762870634112166],
      ];
      for (const [c, u, delta, expected] of reference) {
        expect(ulpDistance(scaledSigmoid(c, u, delta), expected), `${c}·σ(${u} + ${delta})`).toBeLessThanOrEqual(3);
      }
    });
  });

  describe('siluDerivative', () => {
    it('reaches its exact limits 1 and 0 without NaN for infinite arguments', () => {
      expect(siluDerivative(Infinity, 0)).toBe(1);
      expect(siluDerivative(-Infinity, 0)).toBe(0);
      for (const u of hostileInputs) expect(Number.isFinite(siluDerivative(u, 0)), `silu'(${u})`).toBe(true);
    });
  });

  describe('squaredTimesSigmoidDerivative', () => {
    it('returns c²σ′(u) without overflowing c² or underflowing σ′(u)', () => {
      // c, u, δ, c²σ′(u + δ): mpmath, mp.dps = 30.
      const reference: [number, number, number, number][] = [
        [1e300, 1500, 0, 3.616405700306937e-52],
        [1e300, -1500, 0, 3.616405700306937e-52],
        [3, -600, 1e-13, 2.3853568977041183e-260],
        [1e200, -900, 0, 1364477212.3656826],
        [1e-200, 2, 0, 0],
      ];
      for (const [c, u, delta, expected] of reference) {
        expect(ulpDistance(squaredTimesSigmoidDerivative(c, u, delta), expected), `${c}²σ′(${u})`).toBeLessThanOrEqual(4);
      }
    });

    it('overflows only where the true value does', () => {
      // (1e200)²·σ′(1) ≈ 2e399 exceeds MAX_VALUE: Infinity is the honest answer here.
      expect(squaredTimesSigmoidDerivative(1e200, 1, 0)).toBe(Infinity);
      expect(squaredTimesSigmoidDerivative(Number.MAX_VALUE, Infinity, 0)).toBe(0);
    });
  });

  describe('scaledNormalCdf and scaledNormalPdf', () => {
    it('match mpmath for Φ, x·Φ, φ and x·φ, through the subnormal edge of the tail', () => {
      // x, Φ(x), x·Φ(x), φ(x), x·φ(x): mpmath, mp.dps = 30, rounded to float64.
      const reference: [number, number, number, number, number][] = [
        [-38.5, 0, -5.4e-323, 5.4e-323, -2.09e-321],
        [-37.7, 2.4834853102776e-311, -9.36273961974653e-310, 9.36931787664013e-310, -3.5322328394933353e-308],
        [-37.6, 1.074811249587044e-309, -4.041290298447291e-308, 4.044144809348452e-308, -1.520598448315018e-306],
        [-37, 5.725571222524577e-300, -2.1184613523340935e-298, 2.1200065515246056e-298, -7.84402424064104e-297],
        [-30, 4.906713927148187e-198, -1.472014178144456e-196, 1.4736461348785476e-196, -4.420938404635642e-195],
        [-26.5, 4.8461626603033206e-155, -1.28423310498038e-153, 1.2860566740713691e-153, -3.408050186289128e-152],
        [-8, 6.220960574271784e-16, -4.976768459417427e-15, 5.052271083536892e-15, -4.0418168668295136e-14],
        [-1, 0.15865525393145705, -0.15865525393145705, 0.24197072451914334, -0.24197072451914334],
        [-1e-300, 0.5, -5e-301, 0.3989422804014327, -3.9894228040143265e-301],
        [0, 0.5, 0, 0.3989422804014327, 0],
        [0.3, 0.6179114221889527, 0.1853734266566858, 0.3813878154605241, 0.11441634463815722],
        [2, 0.9772498680518208, 1.9544997361036416, 0.05399096651318805, 0.1079819330263761],
        [9, 1, 9, 1.0279773571668915e-18, 9.251796214502023e-18],
        [39, 1, 39, 0, 0],
      ];
      for (const [x, cdf, xCdf, pdf, xPdf] of reference) {
        expect(ulpDistance(scaledNormalCdf(1, x), cdf), `Φ(${x})`).toBeLessThanOrEqual(4);
        expect(ulpDistance(scaledNormalCdf(x, x), xCdf), `x·Φ(${x})`).toBeLessThanOrEqual(4);
        expect(ulpDistance(scaledNormalPdf(1, x), pdf), `φ(${x})`).toBeLessThanOrEqual(4);
        expect(ulpDistance(scaledNormalPdf(x, x), xPdf), `x·φ(${x})`).toBeLessThanOrEqual(4);
      }
    });

    it('are exactly 0 or 1 (and never NaN) for huge |x|', () => {
      for (const x of [1e5, 1e300, Number.MAX_VALUE]) {
        expect(scaledNormalCdf(1, x)).toBe(1);
        expect(scaledNormalCdf(1, -x)).toBe(0);
        expect(scaledNormalPdf(x, x)).toBe(0);
      }
    });
  });
});
