import { symmetricJacobiEigen, symmetrize, type QuadratureRule } from './golub-welsch.js';

/**
 * Gauss–Hermite rules for the standard Gaussian measure Dz = e^{−z²/2}/√(2π) dz:
 * ∫ f(z) Dz ≈ Σ wᵢ f(zᵢ), exact for polynomials of degree ≤ 2n − 1.
 */

/**
 * Nodes used by the mean-field integrals of analytic activations while
 * q ≤ s² (`GAUSS_HERMITE_MAX_VARIANCE` and the feature scale s in
 * `gaussian-expectations.ts`). There 128 nodes give E[φ²] and E[φ′²] to
 * ≤ 4e−11 relative (tanhshrink and tanh at q = 1, the hardest cases; rounding
 * at q ≤ s²/2), and q*, χ₁ of tanh agree with mpmath to ~1e−16 (see
 * test/theory/mean-field.test.ts, convergence test); 64 nodes: up to 2e−6. The 56 nodes
 * with weights below 1e−24 are skipped there.
 */
export const DEFAULT_GAUSS_HERMITE_NODES = 128;

/** Largest rule offered: its dense eigen-decomposition takes ~0.5 s once, then it is cached. */
export const MAX_GAUSS_HERMITE_NODES = 400;

const cache = new Map<number, QuadratureRule>();

/** Rescaling threshold for the three-term recurrence; p_k grows like e^{z²/4} and would overflow past |z| ≈ 37. */
const RESCALE_ABOVE = 1e150;
const RESCALE_FACTOR = 1e-150;

/**
 * Orthonormal probabilists' Hermite polynomials p_k = He_k/√(k!) at z, by
 * p_{k+1} = (z·p_k − √k·p_{k−1})/√(k+1): returns p_n(z)/p_{n−1}(z) (for the
 * Newton step, p_n' = √n·p_{n−1}) and the Christoffel weight 1/Σ_{k<n} p_k(z)².
 */
function hermiteAt(z: number, degree: number): { ratio: number; weight: number } {
  let previous = 0;
  let current = 1;
  let sumOfSquares = 1;
  let rescalings = 0;
  for (let k = 0; k < degree; k += 1) {
    const next = (z * current - Math.sqrt(k) * previous) / Math.sqrt(k + 1);
    previous = current;
    current = next;
    if (k + 1 < degree) sumOfSquares += current * current;
    if (Math.abs(current) > RESCALE_ABOVE) {
      previous *= RESCALE_FACTOR;
      current *= RESCALE_FACTOR;
      sumOfSquares *= RESCALE_FACTOR * RESCALE_FACTOR;
      rescalings += 1;
    }
  }
  const scale = RESCALE_FACTOR ** (2 * rescalings);
  return { ratio: current / previous, weight: scale === 0 ? 0 : (1 / sumOfSquares) * scale };
}

/**
 * The n-node rule, cached. Nodes come from Golub–Welsch (eigenvalues of the
 * Jacobi matrix with off-diagonal √1 … √(n−1), via ml-matrix), polished by two
 * Newton steps on p_n; weights are the Christoffel numbers 1/Σ p_k(zᵢ)², which
 * keep full relative accuracy even for the outermost weights (~1e−80 at n = 96)
 * where squared eigenvector components would keep only absolute accuracy.
 */
export function gaussHermiteRule(nodeCount: number = DEFAULT_GAUSS_HERMITE_NODES): QuadratureRule {
  if (!Number.isInteger(nodeCount) || nodeCount < 1 || nodeCount > MAX_GAUSS_HERMITE_NODES) {
    throw new RangeError(`Gauss–Hermite node count must be an integer in [1, ${MAX_GAUSS_HERMITE_NODES}], got ${nodeCount}`);
  }
  const cached = cache.get(nodeCount);
  if (cached !== undefined) return cached;
  const { eigenvalues } = symmetricJacobiEigen((k) => Math.sqrt(k), nodeCount);
  const weights = new Float64Array(nodeCount);
  for (let i = 0; i < nodeCount; i += 1) {
    let z = eigenvalues[i] ?? 0;
    for (let step = 0; step < 2; step += 1) {
      const { ratio } = hermiteAt(z, nodeCount);
      if (Number.isFinite(ratio)) z -= ratio / Math.sqrt(nodeCount);
    }
    eigenvalues[i] = z;
    weights[i] = hermiteAt(z, nodeCount).weight;
  }
  const rule = symmetrize(eigenvalues, weights);
  cache.set(nodeCount, rule);
  return rule;
}
