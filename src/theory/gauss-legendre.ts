import { symmetricJacobiEigen, symmetrize, type QuadratureRule } from './golub-welsch.js';

/**
 * Gauss–Legendre rules on [−1, 1] (∫ f dx ≈ Σ wᵢ f(xᵢ), exact to degree 2n − 1),
 * used panel by panel where the Gaussian integrals are split (`panel-quadrature.ts`).
 */

const cache = new Map<number, QuadratureRule>();

/** Legendre P_n(x) and P_{n−1}(x) by Bonnet's recurrence (k+1)P_{k+1} = (2k+1)x·P_k − k·P_{k−1}. */
function legendreAt(x: number, degree: number): { value: number; previous: number } {
  let previous = 1;
  let value = x;
  if (degree === 0) return { value: 1, previous: 0 };
  for (let k = 1; k < degree; k += 1) {
    const next = ((2 * k + 1) * x * value - k * previous) / (k + 1);
    previous = value;
    value = next;
  }
  return { value, previous };
}

/**
 * The n-node rule, cached: Golub–Welsch nodes (Jacobi matrix with off-diagonal
 * k/√(4k² − 1)), two Newton steps on P_n, weights 2/((1 − x²)·P_n'(x)²) with
 * P_n'(x) = n(x·P_n − P_{n−1})/(x² − 1).
 */
export function gaussLegendreRule(nodeCount: number): QuadratureRule {
  if (!Number.isInteger(nodeCount) || nodeCount < 1 || nodeCount > 200) {
    throw new RangeError(`Gauss–Legendre node count must be an integer in [1, 200], got ${nodeCount}`);
  }
  const cached = cache.get(nodeCount);
  if (cached !== undefined) return cached;
  const { eigenvalues } = symmetricJacobiEigen((k) => k / Math.sqrt(4 * k * k - 1), nodeCount);
  const weights = new Float64Array(nodeCount);
  for (let i = 0; i < nodeCount; i += 1) {
    let x = eigenvalues[i] ?? 0;
    let slope = 0;
    for (let step = 0; step < 3; step += 1) {
      const { value, previous } = legendreAt(x, nodeCount);
      slope = (nodeCount * (x * value - previous)) / (x * x - 1);
      if (step < 2) x -= value / slope;
    }
    eigenvalues[i] = x;
    weights[i] = 2 / ((1 - x * x) * slope * slope);
  }
  const rule = symmetrize(eigenvalues, weights);
  cache.set(nodeCount, rule);
  return rule;
}
