import { scaledNormalCdf, scaledNormalPdf } from '../activations/numeric.js';
import { gaussLegendreRule } from './gauss-legendre.js';

/**
 * Moments of the standard Gaussian measure over an interval,
 * M_k(α, β) = ∫_α^β z^k Dz, the closed forms behind the exact mean-field
 * integrals of piecewise-polynomial activations.
 */

/** Highest order any caller needs: φ² of a quadratic piece (degree 4) times z² (see `gaussian-expectations.ts`). */
export const MAX_MOMENT_ORDER = 6;

/**
 * Inside [−2, 2] the recursion below loses digits (the boundary terms nearly
 * cancel against (k − 1)·M_{k−2}: a relative ε² on [−ε, ε]), so there the
 * moments come from Gauss–Legendre: z^k·ϕ(z) is entire and 24 nodes on an
 * interval at most 4 wide integrate it to rounding.
 */
const QUADRATURE_RADIUS = 2;
const QUADRATURE_NODES = 24;
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/** z^{k−1}·ϕ(z), the boundary term of M_k; 0 at ±∞. */
function boundaryTerm(z: number, k: number): number {
  if (!Number.isFinite(z)) return 0;
  return scaledNormalPdf(z ** (k - 1), z);
}

/**
 * M_0 = Φ(β) − Φ(α) from whichever tails avoid cancellation: upper tails
 * Φ(−α) − Φ(−β) right of 0, lower tails left of it, 1 − Φ(α) − Φ(−β) across 0.
 * Half-lines from 0 give exactly ½ (Φ(0) = ½ exactly).
 */
function gaussianMass(alpha: number, beta: number): number {
  if (alpha >= 0) return scaledNormalCdf(1, -alpha) - scaledNormalCdf(1, -beta);
  if (beta <= 0) return scaledNormalCdf(1, beta) - scaledNormalCdf(1, alpha);
  return 1 - (scaledNormalCdf(1, alpha) + scaledNormalCdf(1, -beta));
}

/**
 * Fills `moments[k]` = M_k(α, β) for k = 0 … MAX_MOMENT_ORDER by integration by
 * parts, M_k = [−z^{k−1}ϕ(z)]_α^β + (k − 1)·M_{k−2}, and `centred[k]` =
 * M_{k+2} − M_k = [−z^{k+1}ϕ(z)]_α^β + k·M_k for k ≤ MAX_MOMENT_ORDER − 2
 * (formed directly: the difference would cancel in the tails).
 * α < β, either may be infinite.
 */
export function truncatedGaussianMoments(
  alpha: number,
  beta: number,
  moments: Float64Array,
  centred: Float64Array,
): void {
  if (Math.max(Math.abs(alpha), Math.abs(beta)) <= QUADRATURE_RADIUS) {
    momentsByQuadrature(alpha, beta, moments, centred);
    return;
  }
  moments[0] = gaussianMass(alpha, beta);
  moments[1] = boundaryTerm(alpha, 1) - boundaryTerm(beta, 1);
  for (let k = 2; k <= MAX_MOMENT_ORDER; k += 1) {
    moments[k] = boundaryTerm(alpha, k) - boundaryTerm(beta, k) + (k - 1) * (moments[k - 2] ?? 0);
  }
  for (let k = 0; k <= MAX_MOMENT_ORDER - 2; k += 1) {
    centred[k] = boundaryTerm(alpha, k + 2) - boundaryTerm(beta, k + 2) + k * (moments[k] ?? 0);
  }
}

function momentsByQuadrature(alpha: number, beta: number, moments: Float64Array, centred: Float64Array): void {
  const { nodes, weights } = gaussLegendreRule(QUADRATURE_NODES);
  const half = (beta - alpha) / 2;
  const middle = (beta + alpha) / 2;
  moments.fill(0);
  centred.fill(0);
  for (let i = 0; i < nodes.length; i += 1) {
    const z = middle + half * (nodes[i] ?? 0);
    const weight = (weights[i] ?? 0) * half * INV_SQRT_2PI * Math.exp(-(z * z) / 2);
    let power = weight;
    for (let k = 0; k <= MAX_MOMENT_ORDER; k += 1) {
      moments[k] = (moments[k] ?? 0) + power;
      if (k <= MAX_MOMENT_ORDER - 2) centred[k] = (centred[k] ?? 0) + power * (z * z - 1);
      power *= z;
    }
  }
}
