import type { ScalarKernel } from '../activations/types.js';
import { MAX_MOMENT_ORDER, truncatedGaussianMoments } from './truncated-moments.js';

/**
 * The real line cut at an activation's breakpoints, and on each piece whether
 * φ and φ′ are polynomials of degree ≤ 2 there (ReLU, hardtanh, hardswish,
 * the linear sides of the ELU family, …). Such pieces are integrated against
 * the Gaussian in closed form; the others numerically.
 *
 * Polynomials are found, not declared: the kernel is interpolated at three
 * points of the piece and accepted when it matches at three or more others
 * (far out on half-lines) to POLYNOMIAL_FIT_TOLERANCE of the largest |value|
 * sampled. So the formulas stay in the activation records, written once.
 */

/** c₀ + c₁x + c₂x². */
export type Quadratic = readonly [number, number, number];

export interface Piece {
  /** x-interval (lower may be −∞, upper +∞). */
  lower: number;
  upper: number;
  /** φ and φ′ on the piece when both are polynomial there, else null. */
  value: Quadratic | null;
  derivative: Quadratic | null;
}

const POLYNOMIAL_FIT_TOLERANCE = 1e-11;

/** Newton's interpolant through three points, in monomial form. */
function interpolate(points: readonly number[], f: (x: number) => number): Quadratic {
  const [x0 = 0, x1 = 1, x2 = 2] = points;
  const f0 = f(x0);
  const first = (f(x1) - f0) / (x1 - x0);
  const second = (f(x2) - f(x1)) / (x2 - x1);
  const c2 = (second - first) / (x2 - x0);
  return [f0 - first * x0 + c2 * x0 * x1, first - c2 * (x0 + x1), c2];
}

/**
 * Interpolation nodes and check points inside (lower, upper). On a half-line
 * from a the nodes are a ± s·{1, 2, 4} (s = max(1, |a|)): with a = 0 they are
 * powers of two, so a slope like 0.01 is recovered exactly.
 */
function samplePoints(lower: number, upper: number): { nodes: number[]; checks: number[] } {
  if (Number.isFinite(lower) && Number.isFinite(upper)) {
    const width = upper - lower;
    return {
      nodes: [lower + width / 4, lower + width / 2, lower + (3 * width) / 4],
      checks: [lower + width / 16, lower + (5 * width) / 8, upper - width / 16],
    };
  }
  if (Number.isFinite(lower)) {
    const scale = Math.max(1, Math.abs(lower));
    return { nodes: [1, 2, 4].map((t) => lower + t * scale), checks: [1 / 16, 3, 100, 1e4].map((t) => lower + t * scale) };
  }
  if (Number.isFinite(upper)) {
    const scale = Math.max(1, Math.abs(upper));
    return { nodes: [1, 2, 4].map((t) => upper - t * scale), checks: [1 / 16, 3, 100, 1e4].map((t) => upper - t * scale) };
  }
  return { nodes: [1, 2, 4], checks: [-1e4, -3, -1 / 16, 1 / 16, 3, 1e4] };
}

function evaluateQuadratic([c0, c1, c2]: Quadratic, x: number): number {
  return c0 + x * (c1 + x * c2);
}

/** The quadratic through the kernel's samples on the piece, or null when the kernel is not one there. */
function fitQuadratic(lower: number, upper: number, f: (x: number) => number): Quadratic | null {
  const { nodes, checks } = samplePoints(lower, upper);
  const fit = interpolate(nodes, f);
  const samples = [...nodes, ...checks].map((x) => [x, f(x)] as const);
  const scale = Math.max(...samples.map(([, y]) => Math.abs(y)));
  if (!Number.isFinite(scale)) return null;
  const fits = samples.every(([x, y]) => Math.abs(evaluateQuadratic(fit, x) - y) <= POLYNOMIAL_FIT_TOLERANCE * scale);
  return fits ? fit : null;
}

/** The pieces between consecutive breakpoints (ascending), with their polynomials where they have them. */
export function splitIntoPieces(kernel: ScalarKernel, breakpoints: readonly number[]): Piece[] {
  const edges = [-Infinity, ...breakpoints, Infinity];
  const value = (x: number): number => kernel.value(x, 0);
  const derivative = (x: number): number => kernel.derivative(x, 0);
  return edges.slice(1).map((upper, index) => {
    const lower = edges[index] ?? -Infinity;
    const valueFit = fitQuadratic(lower, upper, value);
    const derivativeFit = valueFit === null ? null : fitQuadratic(lower, upper, derivative);
    return valueFit !== null && derivativeFit !== null
      ? { lower, upper, value: valueFit, derivative: derivativeFit }
      : { lower, upper, value: null, derivative: null };
  });
}

const moments = new Float64Array(MAX_MOMENT_ORDER + 1);
const centred = new Float64Array(MAX_MOMENT_ORDER - 1);
const powers = new Float64Array(5);

/**
 * ∫ (p(√q z)² − shift)·w(z) Dz over the piece's z-interval [lower/√q, upper/√q],
 * with w = 1 when `centredShift` is null and w = z² − 1 (subtracting
 * `centredShift` from p²) otherwise, from the truncated moments M_k and
 * M_{k+2} − M_k. p(√q z)² = Σ e_k z^k with even powers of √q formed from q
 * itself, so (√q)² rounding never enters: ReLU's E[φ²] is q·M₂ = q/2 exactly.
 */
export function squaredPolynomialExpectation(
  [c0, c1, c2]: Quadratic,
  lower: number,
  upper: number,
  q: number,
  centredShift: number | null,
): number {
  const root = Math.sqrt(q);
  truncatedGaussianMoments(lower / root, upper / root, moments, centred);
  powers[0] = c0 * c0;
  powers[1] = 2 * c0 * c1 * root;
  powers[2] = (c1 * c1 + 2 * c0 * c2) * q;
  powers[3] = 2 * c1 * c2 * q * root;
  powers[4] = c2 * c2 * q * q;
  const basis = centredShift === null ? moments : centred;
  let sum = 0;
  for (let k = 0; k < powers.length; k += 1) {
    const coefficient = powers[k] ?? 0;
    const moment = basis[k] ?? 0;
    // Skipping zeros keeps ∞·0 (a coefficient overflowing at huge q over an empty tail) out of the sum.
    if (coefficient !== 0 && moment !== 0) sum += coefficient * moment;
  }
  return centredShift === null ? sum : sum - centredShift * (centred[0] ?? 0);
}
