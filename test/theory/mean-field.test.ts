import { describe, expect, it } from 'vitest';
import { activations } from '../../src/activations/registry.js';
import { resolveActivation } from '../../src/activations/resolve.js';
import {
  CRITICAL_TOLERANCE,
  DEFAULT_DEPTH,
  MAX_DEPTH,
  meanField,
  type MeanFieldResult,
  phaseOf,
} from '../../src/theory/mean-field.js';

const relu = resolveActivation('relu');
const identity = resolveActivation('identity');
const tanh = resolveActivation('tanh');

const relativeError = (value: number | null, exact: number): number => Math.abs((value ?? Number.NaN) / exact - 1);

/** True when every number anywhere in the result is finite (no NaN, no ±Infinity). */
function allFinite(value: unknown): boolean {
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every(allFinite);
  if (value !== null && typeof value === 'object') return Object.values(value).every(allFinite);
  return true;
}

describe('meanField', () => {
  describe('ReLU', () => {
    it('has χ₁ = σ_w²/2 to the last digit, whatever q* is', () => {
      for (const sigmaW2 of [0.1, 0.5, 1, 1.3, 1.9, 2, 2.5, 4]) {
        for (const sigmaB2 of [0, 0.05, 0.3, 1]) {
          const result = meanField(relu, { sigmaW2, sigmaB2, depth: 5 });
          expect(result.chi1, `σ_w² = ${sigmaW2}, σ_b² = ${sigmaB2}`).toBe(sigmaW2 / 2);
          for (const chi of result.chiByLayer) expect(chi).toBe(sigmaW2 / 2);
        }
      }
    });

    it('has q* = σ_b²/(1 − σ_w²/2) for σ_w² < 2, to a few ulp times the condition number', () => {
      for (const sigmaW2 of [0.5, 1, 1.5, 1.9, 1.999]) {
        for (const sigmaB2 of [0.05, 0.3, 1]) {
          const result = meanField(relu, { sigmaW2, sigmaB2 });
          expect(result.fixedPoint).toBe('converged');
          // map(q) − q cancels to (1 − σ_w²/2)·q, so q* carries ε/(1 − σ_w²/2) of relative rounding.
          const conditioning = 1 / (1 - sigmaW2 / 2);
          expect(relativeError(result.qStar, sigmaB2 * conditioning), `σ_w² = ${sigmaW2}, σ_b² = ${sigmaB2}`).toBeLessThan(
            4 * Number.EPSILON * conditioning,
          );
          expect(result.lengthMapSlope).toBe(sigmaW2 / 2);
        }
      }
    });

    it('is critical at He initialisation, σ_w² = 2, with infinite depth scales', () => {
      const result = meanField(relu, { sigmaW2: 2, sigmaB2: 0 });
      expect(result).toMatchObject({ chi1: 1, phase: 'critical', xiC: null, xiCInfinite: true, xiQInfinite: true });
      expect(result.log10GradientChange).toBe(0);
      expect(result.log10GradientChangeByLayer).toBe(0);
    });

    it('follows the exact length map q^l = σ_w²·q^{l−1}/2 + σ_b² layer by layer', () => {
      const result = meanField(relu, { sigmaW2: 1.5, sigmaB2: 0.2, depth: 6, initialLength: 3 });
      let q = 3;
      for (const length of result.lengths) {
        expect(length).toBe(q);
        q = (1.5 * q) / 2 + 0.2;
      }
    });

    it('reports a diverging length map for σ_w² > 2 and keeps χ₁ = σ_w²/2', () => {
      const result = meanField(relu, { sigmaW2: 4, sigmaB2: 0.1, depth: 3000 });
      expect(result).toMatchObject({ fixedPoint: 'diverges', qStar: null, chi1: 2, phase: 'chaotic' });
      expect(result.xiC).toBeCloseTo(-1 / Math.log(2), 15);
      expect(result.lengthMapSlope).toBeNull();
      expect(result).toMatchObject({ xiQ: null, xiQInfinite: false });
      // q^l ≈ 2^l overflows float64 after ~1024 layers: null from there on.
      expect(result.lengths[1000]).toBeGreaterThan(1e300);
      expect(result.lengths[1100]).toBeNull();
      expect(result.chiByLayer[2999]).toBe(2);
      expect(result.log10GradientChange).toBeCloseTo(1500 * Math.log10(2), 10);
    });

    it('reports q* = 0 for σ_b² = 0 below criticality, with χ₁ the limit σ_w²/2', () => {
      const result = meanField(relu, { sigmaW2: 1.5, sigmaB2: 0 });
      expect(result).toMatchObject({ fixedPoint: 'zero', qStar: 0, chi1: 0.75, lengthMapSlope: 0.75, phase: 'ordered' });
    });
  });

  describe('a linear network', () => {
    it('has q* = σ_b²/(1 − σ_w²) and χ₁ = σ_w² for σ_w² < 1', () => {
      for (const sigmaW2 of [0.2, 0.5, 0.9]) {
        const result = meanField(identity, { sigmaW2, sigmaB2: 0.3 });
        expect(relativeError(result.qStar, 0.3 / (1 - sigmaW2))).toBeLessThan(1e-15);
        expect(result.chi1).toBe(sigmaW2);
      }
    });

    it('diverges for σ_w² ≥ 1 with σ_b² > 0, and is critical at σ_w² = 1', () => {
      const critical = meanField(identity, { sigmaW2: 1, sigmaB2: 0.3 });
      expect(critical).toMatchObject({ fixedPoint: 'diverges', qStar: null, chi1: 1, phase: 'critical' });
      expect(critical.lengths.slice(0, 3)).toEqual([1.3, 1.6, 1.9000000000000001]);
      const chaotic = meanField(identity, { sigmaW2: 1.5, sigmaB2: 0.3 });
      expect(chaotic).toMatchObject({ fixedPoint: 'diverges', chi1: 1.5, phase: 'chaotic' });
    });

    it('keeps every q fixed at σ_w² = 1, σ_b² = 0, and reports the starting one', () => {
      expect(meanField(identity, { sigmaW2: 1, sigmaB2: 0, initialLength: 2.5 })).toMatchObject({
        fixedPoint: 'converged',
        qStar: 2.5,
        chi1: 1,
      });
    });
  });

  describe('tanh', () => {
    it('is critical at σ_w² = 1, σ_b² = 0, where q* = 0', () => {
      const result = meanField(tanh, { sigmaW2: 1, sigmaB2: 0 });
      expect(result).toMatchObject({ fixedPoint: 'zero', qStar: 0, chi1: 1, phase: 'critical', xiCInfinite: true });
    });

    it('has q* = 0 and χ₁ = σ_w²·φ′(0)² = σ_w² in the ordered phase without bias', () => {
      const result = meanField(tanh, { sigmaW2: 0.5, sigmaB2: 0 });
      expect(result).toMatchObject({ fixedPoint: 'zero', qStar: 0, chi1: 0.5, phase: 'ordered' });
      expect(result.xiC).toBeCloseTo(1 / Math.log(2), 15);
    });

    it('matches high-precision references for q*, χ₁ and the length map slope', () => {
      // mpmath 1.3.0 at 30 digits: q* by findroot of σ_w²E[tanh²(√q z)] + σ_b² − q, then
      // χ₁ = σ_w²E[sech⁴] and λ_q = χ₁ + σ_w²E[tanh″·tanh] with φ″ written out.
      const cases = [
        [1.5, 0.05, 0.41803720053347787, 0.9386362681988512, 0.5519832056635091],
        [2.5, 0.5, 1.7370641365198671, 0.9282004429809007, 0.2587296019824361],
      ] as const;
      for (const [sigmaW2, sigmaB2, qStar, chi1, slope] of cases) {
        const result = meanField(tanh, { sigmaW2, sigmaB2 });
        expect(relativeError(result.qStar, qStar)).toBeLessThan(1e-10);
        expect(relativeError(result.chi1, chi1)).toBeLessThan(1e-10);
        expect(relativeError(result.lengthMapSlope, slope)).toBeLessThan(1e-10);
        expect(relativeError(result.xiQ, -1 / Math.log(slope))).toBeLessThan(1e-9);
      }
    });

    it('converges in q* and χ₁ as the Gauss–Hermite node count grows', () => {
      const options = { sigmaW2: 1.5, sigmaB2: 0.05, depth: 0 };
      const at = (nodeCount: number): MeanFieldResult => meanField(tanh, { ...options, nodeCount });
      const counts = [16, 32, 64, 128, 256];
      const results = counts.map(at);
      const differences = results.slice(1).map((result, index) => {
        const previous = results[index];
        return Math.max(
          Math.abs((result.qStar ?? 0) - (previous?.qStar ?? 0)),
          Math.abs((result.chi1 ?? 0) - (previous?.chi1 ?? 0)),
        );
      });
      for (let i = 1; i < differences.length; i += 1) {
        expect(differences[i]).toBeLessThanOrEqual(differences[i - 1] ?? Infinity);
      }
      expect(differences[0]).toBeGreaterThan(1e-8);
      expect(differences.at(-1)).toBeLessThan(1e-10);
    });

    it('predicts vanishing gradients from χ(q^l) while q is still far from q*', () => {
      const result = meanField(tanh, { sigmaW2: 1, sigmaB2: 0, depth: 20 });
      expect(result.log10GradientChange).toBe(0);
      expect(result.log10GradientChangeByLayer).toBeLessThan(-0.5);
      expect(result.chiByLayer[0]).toBeCloseTo(0.4644029024482682, 10);
    });
  });

  it('gives SELU its self-normalising fixed point q* = 1 at σ_w² = 1, σ_b² = 0', () => {
    const result = meanField(resolveActivation('selu'), { sigmaW2: 1, sigmaB2: 0 });
    expect(result.qStar).toBeCloseTo(1, 12);
  });

  it('never returns NaN or an infinity, across the catalogue and a grid of σ_w² and σ_b²', () => {
    for (const record of activations) {
      const activation = resolveActivation(record.id);
      for (const sigmaW2 of [0.5, 1, 2, 4]) {
        for (const sigmaB2 of [0, 0.05, 1]) {
          const result = meanField(activation, { sigmaW2, sigmaB2, depth: 20 });
          expect(allFinite(result), `${record.id}, σ_w² = ${sigmaW2}, σ_b² = ${sigmaB2}`).toBe(true);
          expect(result.lengths).toHaveLength(21);
          expect(result.chiByLayer).toHaveLength(20);
        }
      }
    }
  });

  it('stays finite for parameters that make φ grow exponentially (CELU with α < 0)', () => {
    const result = meanField(resolveActivation('celu', { alpha: -1 }), { sigmaW2: 1, sigmaB2: 0.1, depth: 10 });
    expect(result).toMatchObject({ fixedPoint: 'diverges', chi1: null, phase: 'chaotic', xiC: null, xiCInfinite: false });
    expect(allFinite(result)).toBe(true);
  });

  it('uses q⁰ = σ_w² + σ_b² and DEFAULT_DEPTH layers unless told otherwise', () => {
    const result = meanField(tanh, { sigmaW2: 1.2, sigmaB2: 0.3 });
    expect(result.initialLength).toBe(1.5);
    expect(result.depth).toBe(DEFAULT_DEPTH);
    expect(result.lengths).toHaveLength(DEFAULT_DEPTH + 1);
  });

  it('rejects negative variances, a negative q⁰ and depths outside [0, MAX_DEPTH]', () => {
    expect(() => meanField(tanh, { sigmaW2: -1, sigmaB2: 0 })).toThrow(RangeError);
    expect(() => meanField(tanh, { sigmaW2: 1, sigmaB2: Number.NaN })).toThrow(RangeError);
    expect(() => meanField(tanh, { sigmaW2: 1, sigmaB2: 0, initialLength: -1 })).toThrow(RangeError);
    expect(() => meanField(tanh, { sigmaW2: 1, sigmaB2: 0, depth: MAX_DEPTH + 1 })).toThrow(RangeError);
    expect(() => meanField(tanh, { sigmaW2: 1, sigmaB2: 0, depth: 2.5 })).toThrow(RangeError);
  });
});

describe('phaseOf', () => {
  it('calls χ₁ within CRITICAL_TOLERANCE of 1 critical, below ordered, above (or infinite) chaotic', () => {
    expect(phaseOf(1)).toBe('critical');
    expect(phaseOf(1 - CRITICAL_TOLERANCE)).toBe('critical');
    expect(phaseOf(1 + CRITICAL_TOLERANCE)).toBe('critical');
    expect(phaseOf(0.99)).toBe('ordered');
    expect(phaseOf(1.01)).toBe('chaotic');
    expect(phaseOf(null)).toBe('chaotic');
  });
});
