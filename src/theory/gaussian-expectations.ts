import type { ResolvedActivation } from '../activations/resolve.js';
import { breakpointsOf, featureScaleOf } from './breakpoints.js';
import { DEFAULT_GAUSS_HERMITE_NODES, gaussHermiteRule } from './gauss-hermite.js';
import { panelIntegral } from './panel-quadrature.js';
import { splitIntoPieces, squaredPolynomialExpectation } from './polynomial-pieces.js';

/**
 * The three Gaussian expectations mean-field theory needs, for a preactivation
 * x = √q·z with z ~ N(0, 1):
 *
 *   meanSquare(q)            V(q)  = E[φ(x)²]
 *   meanSquaredDerivative(q) D(q)  = E[φ′(x)²]
 *   meanSquareSlope(q)       V′(q) = E[φ(x)²·(z² − 1)]/(2q)
 *
 * V′ is d/dq of V: differentiating the Gaussian density N(x; 0, q) in q gives
 * the weight (z² − 1)/(2q). By Gaussian integration by parts it equals
 * E[φ′(x)² + φ(x)φ″(x)], the bracket in Schoenholz et al.'s ξ_q, but needs
 * neither φ″ nor differentiability: at a kink the delta in φ″ and at a jump of
 * φ (hardshrink, threshold) the delta in φ′ are accounted for exactly.
 *
 * How each integral is evaluated:
 * - The real line is cut at the activation's breakpoints (`breakpoints.ts`).
 * - A piece on which φ and φ′ are polynomials of degree ≤ 2
 *   (`polynomial-pieces.ts`) is integrated in closed form with truncated
 *   Gaussian moments: exact to rounding, so ReLU's D is ½ to the last bit.
 * - An analytic activation without breakpoints uses Gauss–Hermite while
 *   q ≤ GAUSS_HERMITE_MAX_VARIANCE·s² (s the activation's feature scale,
 *   `featureScaleOf`): measured against mpmath (30 digits), relative error
 *   ≤ 4e−11 at q = s² (tanhshrink, tanh, sigmoid, SiLU, mish) and rounding
 *   for q ≤ s²/2, with 72 kernel calls per integral.
 * - Every other piece (the ELU family's negative side, softsign, tanh at
 *   larger q, …) is split at z = 0 and integrated on graded panels
 *   (`panel-quadrature.ts`) whose first width next to each end is
 *   min(1, s/√q)/4, where φ(√q z) varies on the scale s/√q. Measured against
 *   mpmath for tanh, sigmoid, gelu, mish, softsign and elu at q from 0.25 to
 *   1e4: relative error ≤ 1.5e−15, with ~240 kernel calls per integral
 *   (~380 at q = 1e4).
 *
 * φ′ is the kernel's derivative (PyTorch's convention at the breakpoints, a
 * set of measure zero), so D is what backpropagation sees; a jump of φ
 * contributes nothing to D.
 */
export interface GaussianExpectations {
  meanSquare(q: number): number;
  meanSquaredDerivative(q: number): number;
  meanSquareSlope(q: number): number;
  /** V and D as q → 0⁺: (f(0⁺)² + f(0⁻)²)/2 for f = φ, φ′. */
  readonly atZero: { meanSquare: number; meanSquaredDerivative: number };
  /** D as q → ∞: (φ′(+∞)² + φ′(−∞)²)/2, estimated at x = ±1e150 (∞ for CELU with α < 0). */
  readonly atInfinity: { meanSquaredDerivative: number };
}

export interface ExpectationOptions {
  /** Gauss–Hermite nodes for analytic activations (default DEFAULT_GAUSS_HERMITE_NODES). */
  nodeCount?: number;
}

/**
 * Above this variance (in units of the feature scale squared) an analytic
 * activation's integrals move from Gauss–Hermite to graded panels. Gauss–Hermite
 * converges like e^{−c·s·√(n/q)} for tanh, whose poles at ±iπ/2 come closer to
 * the real z-axis as q grows: with 128 nodes tanh's E[φ′²] is right to 2e−11
 * at q = 1 but only to 6e−5 at q = 4 (96 nodes: 1.4e−9 and 4e−4).
 */
export const GAUSS_HERMITE_MAX_VARIANCE = 1;

/**
 * Gauss–Hermite nodes whose weight is below this are skipped (|z| > 10.2 at 128
 * nodes, 56 of them): the integrands grow at most like z⁶ there, so together
 * they add < 1e−17 relative.
 */
const HERMITE_WEIGHT_FLOOR = 1e-24;
/** The graded panels next to a piece's end are min(1, s/√q)/PANEL_GRADING wide. */
const PANEL_GRADING = 4;
/** Where one-sided limits at 0 and at ±∞ are sampled. */
const NEAR_ZERO = 1e-300;
const FAR_OUT = 1e150;

type Kind = 'meanSquare' | 'meanSquaredDerivative' | 'meanSquareSlope';

export function gaussianExpectations(
  activation: ResolvedActivation,
  options: ExpectationOptions = {},
): GaussianExpectations {
  // rrelu's stochastic slope is replaced by its eval-mode midpoint; no other kernel draws.
  const kernel = activation.record.kernel(activation.params, { mode: 'eval', count: 1, uniform: () => 0.5 });
  const value = (x: number): number => kernel.value(x, 0);
  const derivative = (x: number): number => kernel.derivative(x, 0);
  const pieces = splitIntoPieces(kernel, breakpointsOf(activation));
  const analyticWholeLine = pieces.length === 1 && pieces[0]?.value === null;
  const scale = featureScaleOf(activation);
  const hermiteMaxVariance = GAUSS_HERMITE_MAX_VARIANCE * scale * scale;
  const rule = gaussHermiteRule(options.nodeCount ?? DEFAULT_GAUSS_HERMITE_NODES);
  const kept = [...rule.weights.keys()].filter((i) => (rule.weights[i] ?? 0) >= HERMITE_WEIGHT_FLOOR);
  const hermiteNodes = Float64Array.from(kept, (i) => rule.nodes[i] ?? 0);
  const hermiteWeights = Float64Array.from(kept, (i) => rule.weights[i] ?? 0);
  // Any constant may be subtracted from φ² in V′ (E[z² − 1] = 0); φ(0)² removes the part that would cancel.
  const slopeShift = value(0) ** 2;

  function integrand(kind: Kind, root: number): (z: number) => number {
    switch (kind) {
      case 'meanSquare':
        return (z) => value(root * z) ** 2;
      case 'meanSquaredDerivative':
        return (z) => derivative(root * z) ** 2;
      case 'meanSquareSlope':
        return (z) => (value(root * z) ** 2 - slopeShift) * (z * z - 1);
    }
  }

  /** ∫ over all pieces; for V′ still to be divided by 2q. */
  function expectation(kind: Kind, q: number): number {
    if (!(q > 0 && q < Infinity)) throw new RangeError(`${kind}: q must be positive and finite, got ${q}`);
    const root = Math.sqrt(q);
    const f = integrand(kind, root);
    if (analyticWholeLine && q <= hermiteMaxVariance) {
      let sum = 0;
      for (let i = 0; i < hermiteNodes.length; i += 1) sum += (hermiteWeights[i] ?? 0) * f(hermiteNodes[i] ?? 0);
      return sum;
    }
    const smallest = Math.min(1, scale / root) / PANEL_GRADING;
    let total = 0;
    for (const piece of pieces) {
      const polynomial = kind === 'meanSquaredDerivative' ? piece.derivative : piece.value;
      if (polynomial !== null) {
        const shift = kind === 'meanSquareSlope' ? slopeShift : null;
        total += squaredPolynomialExpectation(polynomial, piece.lower, piece.upper, q, shift);
        continue;
      }
      const lower = piece.lower / root;
      const upper = piece.upper / root;
      if (lower < 0 && upper > 0) {
        total += panelIntegral(f, lower, 0, smallest) + panelIntegral(f, 0, upper, smallest);
      } else {
        total += panelIntegral(f, lower, upper, smallest);
      }
    }
    return total;
  }

  const oneSided = (f: (x: number) => number, at: number): number => (f(at) ** 2 + f(-at) ** 2) / 2;

  return {
    meanSquare: (q) => expectation('meanSquare', q),
    meanSquaredDerivative: (q) => expectation('meanSquaredDerivative', q),
    meanSquareSlope: (q) => expectation('meanSquareSlope', q) / (2 * q),
    atZero: { meanSquare: oneSided(value, NEAR_ZERO), meanSquaredDerivative: oneSided(derivative, NEAR_ZERO) },
    atInfinity: { meanSquaredDerivative: oneSided(derivative, FAR_OUT) },
  };
}
