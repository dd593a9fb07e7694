import type { ResolvedActivation } from '../activations/resolve.js';
import { gaussianExpectations, type GaussianExpectations } from './gaussian-expectations.js';
import { brentRoot } from './root-finding.js';

/**
 * Mean-field theory of signal and gradient propagation in an infinitely wide
 * random feed-forward network, W_ij ~ N(0, σ_w²/n), b_i ~ N(0, σ_b²), one
 * activation φ (Poole et al. 2016; Schoenholz et al. 2017). Notation of
 * /work/shared/spec/simulation.md; Dz the standard Gaussian measure.
 *
 * - Length map: q^l = σ_w²·∫φ(√q^{l−1} z)² Dz + σ_b², q^l the variance of a
 *   layer's preactivations. q^0 (`initialLength`) is the first layer's:
 *   σ_w²·E[x²] + σ_b² for inputs x, by default σ_w² + σ_b² (unit-variance
 *   inputs, the feed-forward simulator's default). q* its fixed point.
 * - χ(q) = σ_w²·∫φ′(√q z)² Dz: backpropagation through a layer whose
 *   preactivations have variance q multiplies the expected squared gradient
 *   norm by χ(q). χ₁ = χ(q*).
 * - ξ_c = −1/ln χ₁, the depth over which squared gradients change by a factor
 *   e: positive in the ordered phase (vanishing), negative in the chaotic one
 *   (|ξ_c| layers per e-fold of growth; the correlation depth scale proper of
 *   the chaotic phase uses χ at the correlation fixed point c* < 1 and is not
 *   computed here), infinite at χ₁ = 1.
 * - ξ_q = −1/ln|λ_q|, λ_q = ∂q^l/∂q^{l−1} at q* = χ₁ + σ_w²·∫φ″φ Dz (the length
 *   map's slope, computed as σ_w²·d/dq ∫φ(√q z)² Dz, which needs no φ″ and is
 *   exact across kinks and jumps: see `gaussian-expectations.ts`): the depth
 *   over which q^l relaxes to q* by a factor e. |λ_q| is used because a
 *   decreasing length map (possible for threshold with a large value)
 *   converges while oscillating.
 *
 * JSON cannot carry ±Infinity or NaN, and none is ever returned: an infinite
 * depth scale is null with its `…Infinite` flag set; a quantity that does not
 * exist (ξ_q without a fixed point) is null with the flag clear.
 */

/**
 * χ₁ within 1 ± CRITICAL_TOLERANCE is "critical": |ξ_c| ≳ 1000 layers, so squared
 * gradients change by less than a factor e over 1000 layers.
 */
export const CRITICAL_TOLERANCE = 1e-3;
/** The upward search for a fixed point gives up here (preactivations of std 1e15): beyond, `diverges`. */
export const MAX_FIXED_POINT = 1e30;
/**
 * Searching downwards from q⁰ for a fixed point stops at q⁰·2^−40 ≈ 1e−12·q⁰;
 * when q = 0 is itself a fixed point (φ(0) = 0, σ_b² = 0) and no sign change was
 * found above that, q* is reported as 0 (`fixedPoint: 'zero'`): closer to 0,
 * q − map(q) is below the rounding of the integrals.
 */
export const ZERO_SEARCH_HALVINGS = 40;
/**
 * Searching upwards, q − map(q) must fall below −RESIDUAL_NOISE·q to count as a
 * sign change: the integrals are accurate to ~1e−16 relative, so a residual
 * smaller than that is rounding (q + σ_b² = q in float64 once q > σ_b²/ε for a
 * linear network with σ_w² = 1, which has no fixed point).
 */
export const RESIDUAL_NOISE = 1e-13;
/**
 * The upward search stops early, reporting `diverges`, once map(q) > q at some
 * q ≥ ASYMPTOTIC_VARIANCE while the map's asymptotic growth ratio
 * lim map(q)/q = σ_w²·(φ′(+∞)² + φ′(−∞)²)/2 exceeds 1. For the catalogue's
 * unbounded activations E[φ(√q z)²]/q approaches its limit monotonically that
 * far out (|x| ≳ 100 is deep in their linear regime), so map(q)/q, above 1 at
 * q and heading for a limit above 1, stays above 1: no fixed point lies beyond.
 * Otherwise the search goes on to MAX_FIXED_POINT.
 */
export const ASYMPTOTIC_VARIANCE = 1e4;
/**
 * Beyond this variance an unbounded, asymptotically linear φ is its asymptote
 * to float64 precision: with κ = (φ′(+∞)² + φ′(−∞)²)/2 > 0,
 * E[φ(√q z)²] = κq·(1 + O(1/√q)) and E[φ′(√q z)²] = κ + O(1/√q), so there the
 * length map is taken as σ_w²κq + σ_b² and χ as σ_w²κ. It spares a diverging
 * trajectory thousands of ever more finely graded integrals (GELU at
 * σ_w² = 2.2 over 10 000 layers: 7 s → 0.3 s). Bounded φ (κ = 0) are always
 * integrated.
 */
export const LINEAR_REGIME_VARIANCE = 1e30;
export const DEFAULT_DEPTH = 50;
export const MAX_DEPTH = 10_000;

export type Phase = 'ordered' | 'critical' | 'chaotic';

/**
 * How the length map's iteration from q⁰ ends: at a positive fixed point
 * (`converged`), at q = 0 (`zero`: the preactivations shrink to 0, as for tanh
 * with σ_b² = 0 and σ_w² ≤ 1), or growing without bound (`diverges`: ReLU with
 * σ_w² > 2, a linear network with σ_w² ≥ 1 and σ_b² > 0).
 */
export type FixedPointKind = 'converged' | 'zero' | 'diverges';

export interface FixedPoint {
  kind: FixedPointKind;
  /** q*; 0 for `zero`, null for `diverges`. */
  qStar: number | null;
}

export interface MeanFieldOptions {
  sigmaW2: number;
  sigmaB2: number;
  /** Layers for the length-map trajectory and the gradient prediction (default DEFAULT_DEPTH). */
  depth?: number;
  /** q⁰, the first layer's preactivation variance (default σ_w² + σ_b²). */
  initialLength?: number;
  /** Gauss–Hermite nodes for analytic activations (default DEFAULT_GAUSS_HERMITE_NODES). */
  nodeCount?: number;
}

export interface Criticality {
  sigmaW2: number;
  sigmaB2: number;
  fixedPoint: FixedPointKind;
  /** q*, or null when the length map diverges. */
  qStar: number | null;
  /**
   * χ₁ = χ(q*). For `zero`, the limit q → 0⁺: σ_w²·(φ′(0⁺)² + φ′(0⁻)²)/2
   * (σ_w²/2 for ReLU, σ_w²·φ′(0)² for smooth φ). For `diverges`, the limit
   * q → ∞, σ_w²·(φ′(+∞)² + φ′(−∞)²)/2: the factor per layer deep in a network
   * whose q^l grows without bound. Null only when that limit is infinite
   * (CELU with α < 0).
   */
  chi1: number | null;
  phase: Phase;
}

export interface MeanFieldResult extends Criticality {
  /** −1/ln χ₁; null when infinite (χ₁ = 1, `xiCInfinite`) or when χ₁ is null. */
  xiC: number | null;
  xiCInfinite: boolean;
  /**
   * λ_q = χ₁ + σ_w²·∫φ″(√q* z)φ(√q* z) Dz, the length map's slope at q*; at
   * q* = 0 it equals χ₁ (φ(0) = 0 there). Null when the map diverges.
   */
  lengthMapSlope: number | null;
  /** −1/ln|λ_q|; null when infinite (|λ_q| = 1, `xiQInfinite`) or when there is no fixed point. */
  xiQ: number | null;
  xiQInfinite: boolean;
  depth: number;
  initialLength: number;
  /** q^0 … q^depth from `initialLength`; null where q^l overflows float64 (a diverging map). */
  lengths: (number | null)[];
  /** χ(q^l) for l = 0 … depth − 1 (null where infinite). */
  chiByLayer: (number | null)[];
  /**
   * ½·depth·log10 χ₁: predicted log10(‖∂L/∂h⁰‖ / ‖∂L/∂h^depth‖) once q has
   * converged, h^l the preactivations of variance q^l (negative: gradients
   * vanish towards the input). For a feed-forward network of L layers, depth = L − 1.
   */
  log10GradientChange: number | null;
  /**
   * ½·Σ_{l<depth} log10 χ(q^l): the same prediction following q^l from q⁰,
   * more accurate while q has not converged. Null when not finite: some χ(q^l)
   * is 0 (the gradient is exactly 0) or infinite.
   */
  log10GradientChangeByLayer: number | null;
}

function finiteOrNull(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}

function requireNonNegative(name: string, value: number): void {
  if (!(Number.isFinite(value) && value >= 0)) {
    throw new RangeError(`${name} must be a finite number ≥ 0, got ${value}`);
  }
}

/** The phase for a χ₁ (null meaning infinite). */
export function phaseOf(chi1: number | null): Phase {
  if (chi1 === null || chi1 > 1 + CRITICAL_TOLERANCE) return 'chaotic';
  return chi1 < 1 - CRITICAL_TOLERANCE ? 'ordered' : 'critical';
}

/** −1/ln x, with its infinite case (x = 1) flagged; null input gives null. */
function depthScale(factor: number | null): { value: number | null; infinite: boolean } {
  if (factor === null) return { value: null, infinite: false };
  const magnitude = Math.abs(factor);
  if (magnitude === 1) return { value: null, infinite: true };
  return { value: finiteOrNull(-1 / Math.log(magnitude)), infinite: false };
}

/** True where q is in the linear regime of an unbounded φ (see LINEAR_REGIME_VARIANCE). */
function inLinearRegime(expectations: GaussianExpectations, q: number): boolean {
  return q >= LINEAR_REGIME_VARIANCE && expectations.atInfinity.meanSquaredDerivative > 0;
}

/** The length map q ↦ σ_w²·E[φ(√q z)²] + σ_b², with its limits at q = 0 and q = ∞ (Infinity stays Infinity). */
function lengthMapOf(expectations: GaussianExpectations, sigmaW2: number, sigmaB2: number): (q: number) => number {
  return (q) => {
    if (q === 0) return sigmaW2 * expectations.atZero.meanSquare + sigmaB2;
    if (!Number.isFinite(q)) return Infinity;
    const meanSquare = inLinearRegime(expectations, q)
      ? expectations.atInfinity.meanSquaredDerivative * q
      : expectations.meanSquare(q);
    const next = sigmaW2 * meanSquare + sigmaB2;
    return Number.isNaN(next) ? Infinity : next;
  };
}

/** χ(q) = σ_w²·E[φ′(√q z)²], with the one-sided limits at q = 0 and q = ∞. */
function chiOf(expectations: GaussianExpectations, sigmaW2: number): (q: number) => number {
  return (q) => {
    if (sigmaW2 === 0) return 0;
    if (q === 0) return sigmaW2 * expectations.atZero.meanSquaredDerivative;
    if (!Number.isFinite(q) || inLinearRegime(expectations, q)) {
      return sigmaW2 * expectations.atInfinity.meanSquaredDerivative;
    }
    return sigmaW2 * expectations.meanSquaredDerivative(q);
  };
}

/**
 * The fixed point the length map's iteration from q⁰ approaches, found as a
 * root of F(q) = map(q) − q (robust where the iteration itself crawls, near
 * criticality): from q⁰ it steps in the direction of F's sign — doubling
 * (×10 after 5 steps) while F > 0, halving while F < 0 — until F changes sign,
 * then Brent's method finishes inside the bracket. For a monotone map this is
 * the nearest fixed point in that direction, the one the iteration reaches.
 * With q⁰ = 0 the search starts from map(0), the iteration's first step.
 */
export function lengthMapFixedPoint(
  expectations: GaussianExpectations,
  sigmaW2: number,
  sigmaB2: number,
  initialLength: number = sigmaW2 + sigmaB2,
): FixedPoint {
  const map = lengthMapOf(expectations, sigmaW2, sigmaB2);
  const residual = (q: number): number => map(q) - q;
  const atZero = map(0);
  const start = initialLength > 0 ? initialLength : atZero;
  if (start === 0) return { kind: 'zero', qStar: 0 };
  const fStart = residual(start);
  if (fStart === 0) return { kind: 'converged', qStar: start };
  if (!Number.isFinite(fStart)) return { kind: 'diverges', qStar: null };
  if (fStart > 0) {
    // lim map(q)/q = σ_w²·κ, κ = (φ′(+∞)² + φ′(−∞)²)/2 (∞ for CELU with α < 0, 0 for bounded φ).
    const growth = sigmaW2 * expectations.atInfinity.meanSquaredDerivative;
    let positive = start;
    let fPositive = fStart;
    let probe = start;
    for (let step = 0; probe <= MAX_FIXED_POINT; step += 1) {
      if (positive >= ASYMPTOTIC_VARIANCE && growth > 1) break;
      probe *= step < 5 ? 2 : 10;
      const fProbe = residual(probe);
      if (!Number.isFinite(fProbe)) break;
      if (fProbe < -RESIDUAL_NOISE * probe) {
        return { kind: 'converged', qStar: brentRoot(residual, positive, probe, fPositive, fProbe) };
      }
      if (fProbe > 0) {
        positive = probe;
        fPositive = fProbe;
      }
    }
    return { kind: 'diverges', qStar: null };
  }
  let upper = start;
  let fUpper = fStart;
  for (let step = 0; step < ZERO_SEARCH_HALVINGS; step += 1) {
    const lower = upper / 2;
    const fLower = residual(lower);
    if (fLower >= 0) return { kind: 'converged', qStar: brentRoot(residual, lower, upper, fLower, fUpper) };
    upper = lower;
    fUpper = fLower;
  }
  if (atZero > 0) {
    return { kind: 'converged', qStar: brentRoot(residual, 0, upper, atZero, fUpper, Number.MIN_VALUE) };
  }
  return { kind: 'zero', qStar: 0 };
}

/** q*, χ₁ and the phase from prepared expectations (the phase diagram calls this per grid cell). */
export function criticalityOf(
  expectations: GaussianExpectations,
  sigmaW2: number,
  sigmaB2: number,
  initialLength: number = sigmaW2 + sigmaB2,
): Criticality {
  const { kind, qStar } = lengthMapFixedPoint(expectations, sigmaW2, sigmaB2, initialLength);
  const chi1 = finiteOrNull(chiOf(expectations, sigmaW2)(qStar ?? Infinity));
  return { sigmaW2, sigmaB2, fixedPoint: kind, qStar, chi1, phase: phaseOf(chi1) };
}

/** Everything mean-field theory predicts for one activation and one (σ_w², σ_b²). */
export function meanField(activation: ResolvedActivation, options: MeanFieldOptions): MeanFieldResult {
  const { sigmaW2, sigmaB2, depth = DEFAULT_DEPTH } = options;
  requireNonNegative('sigmaW2', sigmaW2);
  requireNonNegative('sigmaB2', sigmaB2);
  const initialLength = options.initialLength ?? sigmaW2 + sigmaB2;
  requireNonNegative('initialLength', initialLength);
  if (!(Number.isInteger(depth) && depth >= 0 && depth <= MAX_DEPTH)) {
    throw new RangeError(`depth must be an integer in [0, ${MAX_DEPTH}], got ${depth}`);
  }
  const expectations = gaussianExpectations(
    activation,
    options.nodeCount === undefined ? {} : { nodeCount: options.nodeCount },
  );
  const criticality = criticalityOf(expectations, sigmaW2, sigmaB2, initialLength);
  const { fixedPoint, qStar, chi1 } = criticality;

  let lengthMapSlope: number | null = null;
  if (fixedPoint === 'zero') lengthMapSlope = chi1;
  if (fixedPoint === 'converged' && qStar !== null) {
    lengthMapSlope = finiteOrNull(sigmaW2 === 0 ? 0 : sigmaW2 * expectations.meanSquareSlope(qStar));
  }
  const xiC = depthScale(chi1);
  const xiQ = depthScale(lengthMapSlope);

  const map = lengthMapOf(expectations, sigmaW2, sigmaB2);
  const chi = chiOf(expectations, sigmaW2);
  const lengths = [initialLength];
  const chiByLayer: number[] = [];
  let log10Sum = 0;
  // Once q^l has settled on q* (or a two-float rounding cycle around it) every layer repeats one already computed.
  const computed = new Map<number, { factor: number; next: number }>();
  for (let layer = 0; layer < depth; layer += 1) {
    const q = lengths[layer] ?? Infinity;
    let step = computed.get(q);
    if (step === undefined) {
      step = { factor: chi(q), next: map(q) };
      computed.set(q, step);
    }
    chiByLayer.push(step.factor);
    log10Sum += Math.log10(step.factor);
    lengths.push(step.next);
  }

  return {
    ...criticality,
    xiC: xiC.value,
    xiCInfinite: xiC.infinite,
    lengthMapSlope,
    xiQ: xiQ.value,
    xiQInfinite: xiQ.infinite,
    depth,
    initialLength,
    lengths: lengths.map(finiteOrNull),
    chiByLayer: chiByLayer.map(finiteOrNull),
    log10GradientChange: chi1 === null ? null : depth === 0 ? 0 : finiteOrNull((depth / 2) * Math.log10(chi1)),
    log10GradientChangeByLayer: finiteOrNull(log10Sum / 2),
  };
}
