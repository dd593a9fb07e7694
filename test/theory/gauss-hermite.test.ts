import { describe, expect, it } from 'vitest';
import {
  DEFAULT_GAUSS_HERMITE_NODES,
  gaussHermiteRule,
  MAX_GAUSS_HERMITE_NODES,
} from '../../src/theory/gauss-hermite.js';
import { gaussLegendreRule } from '../../src/theory/gauss-legendre.js';
import { PANEL_NODES } from '../../src/theory/panel-quadrature.js';

/** E[z^k] for z ~ N(0, 1): 0 for odd k, (k − 1)!! for even k. */
function gaussianMoment(k: number): number {
  if (k % 2 === 1) return 0;
  let product = 1;
  for (let factor = k - 1; factor > 1; factor -= 2) product *= factor;
  return product;
}

function integrate(rule: { nodes: Float64Array; weights: Float64Array }, f: (z: number) => number): number {
  let sum = 0;
  rule.nodes.forEach((z, i) => {
    sum += (rule.weights[i] ?? 0) * f(z);
  });
  return sum;
}

describe('gaussHermiteRule', () => {
  it('integrates every monomial up to degree 2n − 1 exactly against the Gaussian measure', () => {
    for (const nodeCount of [1, 2, 3, 5, 8, 12]) {
      const rule = gaussHermiteRule(nodeCount);
      for (let k = 0; k <= 2 * nodeCount - 1; k += 1) {
        const exact = gaussianMoment(k);
        // Rounding scales with Σ wᵢ|zᵢ|^k, bounded by the next even moment.
        const tolerance = 1e-14 * gaussianMoment(k + (k % 2));
        expect(Math.abs(integrate(rule, (z) => z ** k) - exact), `n = ${nodeCount}, k = ${k}`).toBeLessThanOrEqual(tolerance);
      }
    }
  });

  it('gives E[z⁴] = 3 and total mass 1 with the default rule', () => {
    const rule = gaussHermiteRule();
    expect(rule.nodes).toHaveLength(DEFAULT_GAUSS_HERMITE_NODES);
    expect(integrate(rule, () => 1)).toBeCloseTo(1, 15);
    expect(integrate(rule, (z) => z ** 4)).toBeCloseTo(3, 14);
    expect(integrate(rule, (z) => z ** 10)).toBeCloseTo(945, 11);
  });

  it('is not exact one degree too far: three nodes miss E[z⁶] = 15', () => {
    expect(integrate(gaussHermiteRule(3), (z) => z ** 6)).toBeCloseTo(9, 12);
  });

  it('has ascending nodes placed symmetrically with equal weights on both sides', () => {
    const { nodes, weights } = gaussHermiteRule(DEFAULT_GAUSS_HERMITE_NODES);
    for (let i = 0; i < nodes.length; i += 1) {
      const mirror = nodes.length - 1 - i;
      expect(nodes[i]).toBe(-(nodes[mirror] ?? Number.NaN));
      expect(weights[i]).toBe(weights[mirror]);
      if (i > 0) expect(nodes[i]).toBeGreaterThan(nodes[i - 1] ?? Infinity);
    }
    expect(gaussHermiteRule(7).nodes[3]).toBe(0);
  });

  it('keeps the outermost weights accurate to full relative precision', () => {
    // Two-node rule: nodes ±1, weights ½; one node at 0 has weight 1.
    expect([...gaussHermiteRule(2).nodes]).toEqual([-1, 1]);
    expect([...gaussHermiteRule(2).weights]).toEqual([0.5, 0.5]);
    // The 20-node rule's outermost node and weight n!/(n²·He₁₉(z)²), mpmath at 50 digits.
    const rule = gaussHermiteRule(20);
    expect(Math.abs((rule.nodes[0] ?? 0) / -7.619048541679758 - 1)).toBeLessThan(1e-15);
    expect(Math.abs((rule.weights[0] ?? 0) / 1.257800672437927e-13 - 1)).toBeLessThan(1e-13);
  });

  it('returns the cached rule on the second call', () => {
    expect(gaussHermiteRule(64)).toBe(gaussHermiteRule(64));
  });

  it('rejects node counts that are not integers in [1, MAX_GAUSS_HERMITE_NODES]', () => {
    for (const count of [0, -1, 2.5, MAX_GAUSS_HERMITE_NODES + 1, Number.NaN]) {
      expect(() => gaussHermiteRule(count)).toThrow(RangeError);
    }
  });
});

describe('gaussLegendreRule', () => {
  it('integrates every monomial up to degree 2n − 1 exactly on [−1, 1]', () => {
    for (const nodeCount of [1, 2, 5, PANEL_NODES]) {
      const rule = gaussLegendreRule(nodeCount);
      for (let k = 0; k <= 2 * nodeCount - 1; k += 1) {
        const exact = k % 2 === 1 ? 0 : 2 / (k + 1);
        expect(Math.abs(integrate(rule, (x) => x ** k) - exact), `n = ${nodeCount}, k = ${k}`).toBeLessThan(1e-15);
      }
    }
  });
});
