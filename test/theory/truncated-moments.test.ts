import { describe, expect, it } from 'vitest';
import { gaussLegendreRule } from '../../src/theory/gauss-legendre.js';
import { MAX_MOMENT_ORDER, truncatedGaussianMoments } from '../../src/theory/truncated-moments.js';

function moments(alpha: number, beta: number): { moments: number[]; centred: number[] } {
  const m = new Float64Array(MAX_MOMENT_ORDER + 1);
  const c = new Float64Array(MAX_MOMENT_ORDER - 1);
  truncatedGaussianMoments(alpha, beta, m, c);
  return { moments: [...m], centred: [...c] };
}

/** ∫_α^β z^k Dz by 40-point Gauss–Legendre on 64 sub-intervals: a reference to ~1e−15. */
function reference(alpha: number, beta: number, k: number): number {
  const { nodes, weights } = gaussLegendreRule(40);
  const pieces = 64;
  const width = (beta - alpha) / pieces;
  let sum = 0;
  for (let piece = 0; piece < pieces; piece += 1) {
    const middle = alpha + (piece + 0.5) * width;
    nodes.forEach((t, i) => {
      const z = middle + (t * width) / 2;
      sum += (((weights[i] ?? 0) * width) / 2) * z ** k * Math.exp(-(z * z) / 2);
    });
  }
  return sum / Math.sqrt(2 * Math.PI);
}

describe('truncatedGaussianMoments', () => {
  it('gives exactly ½, and the half moments, on a half-line from 0', () => {
    const { moments: upper } = moments(0, Infinity);
    const { moments: lower } = moments(-Infinity, 0);
    expect(upper[0]).toBe(0.5);
    expect(lower[0]).toBe(0.5);
    expect(upper[2]).toBe(0.5);
    expect(upper[4]).toBe(1.5);
    expect(upper[6]).toBe(7.5);
    expect(upper[1]).toBe(1 / Math.sqrt(2 * Math.PI));
    expect(lower[1]).toBe(-1 / Math.sqrt(2 * Math.PI));
  });

  it('gives the full Gaussian moments 1, 0, 1, 0, 3, 0, 15 on the whole line', () => {
    expect(moments(-Infinity, Infinity).moments).toEqual([1, 0, 1, 0, 3, 0, 15]);
  });

  it('matches numerical integration on finite and far-out intervals', () => {
    for (const [alpha, beta] of [
      [-1, 1],
      [0.3, 2.5],
      [-6, -5],
      [-2, 7],
      [4, 9],
    ] as const) {
      const { moments: m, centred } = moments(alpha, beta);
      m.forEach((value, k) => {
        const exact = reference(alpha, beta, k);
        expect(Math.abs(value - exact), `M_${k}(${alpha}, ${beta})`).toBeLessThan(1e-14 * Math.max(1e-2, Math.abs(exact)));
      });
      centred.forEach((value, k) => {
        const exact = reference(alpha, beta, k + 2) - reference(alpha, beta, k);
        expect(Math.abs(value - exact), `N_${k}(${alpha}, ${beta})`).toBeLessThan(1e-14 * Math.max(1e-2, Math.abs(exact)));
      });
    }
  });

  it('keeps relative accuracy on a tiny interval around 0, where the recursion would cancel', () => {
    const { moments: m } = moments(-1e-4, 1e-4);
    for (const k of [0, 2, 4, 6]) {
      const exact = reference(-1e-4, 1e-4, k);
      expect(Math.abs((m[k] ?? 0) / exact - 1), `M_${k}`).toBeLessThan(1e-13);
    }
  });

  it('keeps relative accuracy in the far tail, where Φ(β) − Φ(α) would cancel', () => {
    // Φ(−30) − Φ(−31), mpmath at 30 digits: 4.90671392714791753453e−198.
    const { moments: m } = moments(30, 31);
    expect(Math.abs((m[0] ?? 0) / 4.9067139271479176e-198 - 1)).toBeLessThan(1e-13);
  });
});
