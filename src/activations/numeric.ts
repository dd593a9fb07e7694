import erfc from '@stdlib/math-base-special-erfc';

/**
 * Numerically stable building blocks shared by the activation kernels. Each
 * formula lives here once; every function names the formula it evaluates and
 * the form that keeps float64 accuracy (a few ulp) for every finite input.
 *
 * Two tools recur:
 * - A transcendental g evaluated at a rounded argument u = fl(u*) loses
 *   |u·g'(u)/g(u)| ulp (up to ~745 for e^u). Where the argument is a product
 *   (β·x, x/√2), its rounding error δ = u* − u is recovered exactly
 *   (`productError`) and applied as the first-order correction g(u) + δ·g'(u).
 * - c·e^u where e^u is subnormal (u < −708) but c·e^u is not keeps only a few
 *   bits; `scaledExp` multiplies c in before the exponential leaves the normal
 *   range.
 */

/** |u| up to which e^{±u} is a normal float64 (e^{−708} ≈ 3.3e−308, e^{708} ≈ 3e307). */
const NORMAL_EXP_LIMIT = 708;

/** c² is a normal float64 for 2^−500 ≤ |c| ≤ 2^500. */
const SQUARE_MAX = 2 ** 500;
const SQUARE_MIN = 2 ** -500;
/** 2^27 + 1: Veltkamp's constant that splits a float64 into two 26-bit halves. */
const SPLITTER = 134217729;
const TWO_POW_64 = 2 ** 64;
const TWO_POW_MINUS_64 = 2 ** -64;
/** Veltkamp's split of a needs |a| ≤ 2^995 (no overflow) and |a| ≥ 2^−900 (no underflow of its halves). */
const SPLIT_MAX = 2 ** 995;
const SPLIT_MIN = 2 ** -900;
/** Outside [2^−960, 2^1000] a product is rescaled so no partial product of the split overflows or underflows. */
const PRODUCT_SCALE_MAX = 2 ** 1000;
const PRODUCT_SCALE_MIN = 2 ** -960;
/**
 * Past |u| = 4096, c·e^{±u} is 0 or overflows for any factor up to c²
 * (MAX_VALUE² ≈ e^{1420}), so an exponential's argument needs no rounding
 * correction there.
 */
const EXPONENT_CORRECTION_LIMIT = 4096;

/** 1/√2 − Math.SQRT1_2 (mpmath, 50 digits): the part of 1/√2 that Math.SQRT1_2 drops. */
const SQRT1_2_TAIL = -4.833646656726457e-17;
/** 2/√π = erfc'(y)·(−e^{y²}). */
const TWO_OVER_SQRT_PI = 1.1283791670955126;
/** 1/√(2π), the normal density's constant. */
const INV_SQRT_2PI = 0.3989422804014327;
/** Beyond |x| = 40 the normal tail 1 − Φ(40) ≈ 3.7e−350 and e^{−x²/2} ≈ 1.9e−348 vanish in float64. */
const NORMAL_TAIL_LIMIT = 40;
/**
 * Below x = −37, Φ(x) < 5.8e−300 nears the subnormal range, where erfc's own
 * result keeps too few bits for c·Φ(x); the Mills ratio takes over there.
 */
const MILLS_RATIO_BELOW = -37;
/**
 * Levels of Laplace's continued fraction for the Mills ratio: for z ≥ 26 the
 * truncation error of 8 levels is below 1.1e−20 relative (checked with mpmath).
 */
const MILLS_RATIO_DEPTH = 8;

/**
 * Logistic sigmoid σ(x) = 1/(1 + e^{−x}), as 1/(1 + e^{−x}) for x ≥ 0 and
 * e^x/(1 + e^x) for x < 0: the exponential never overflows and the negative
 * tail keeps its relative accuracy (σ(−700) ≈ e^{−700}, not 1 − 1).
 */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/**
 * σ'(x) = σ(x)σ(−x) = e/(1 + e)² with e = e^{−|x|}: symmetric, no 1 − σ
 * cancellation, and it decays to 0 (not NaN) for huge |x|. Maximum 1/4 at 0.
 */
export function sigmoidDerivative(x: number): number {
  const e = Math.exp(-Math.abs(x));
  const denominator = 1 + e;
  return e / (denominator * denominator);
}

/**
 * softplus(x) = ln(1 + e^x) = max(x, 0) + log1p(e^{−|x|}): exact to the last
 * bit for large x (x + tiny) and relative-accurate for very negative x (e^x).
 */
export function softplus(x: number): number {
  return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
}

/**
 * sech²x = 1 − tanh²x = 4e/(1 + e)² with e = e^{−2|x|}: no cancellation where
 * tanh x → ±1, so the tail keeps relative accuracy (sech²(20) ≈ 1.7e−17, not 0).
 */
export function sech2(x: number): number {
  const e = Math.exp(-2 * Math.abs(x));
  const denominator = 1 + e;
  return (4 * e) / (denominator * denominator);
}

/**
 * c·e^u without the premature underflow (or overflow) of e^u: for |u| > 708
 * the exponential is split into two (or four) equal factors e^{u/2}, each a
 * normal number, and c is multiplied in first. Exact halving keeps the error
 * at a few ulp; a result that is itself subnormal loses only its final rounding.
 */
export function scaledExp(u: number, c: number): number {
  const magnitude = Math.abs(u);
  if (magnitude <= NORMAL_EXP_LIMIT) return c * Math.exp(u);
  if (magnitude <= 2 * NORMAL_EXP_LIMIT) {
    const half = Math.exp(u / 2);
    return c * half * half;
  }
  const quarter = Math.exp(u / 4);
  return c * quarter * quarter * quarter * quarter;
}

/** High half of Veltkamp's split: the top 26 significant bits of a (|a| < 2^996). */
function splitHigh(a: number): number {
  const scaled = SPLITTER * a;
  return scaled - (scaled - a);
}

/**
 * The exact rounding error a·b − fl(a·b) of `product` = a * b (Dekker's
 * two-product). Powers of two are moved between the operands, or out of the
 * product, so the split neither overflows nor underflows: the result is exact
 * whenever it is representable. 0 for a zero or non-finite product.
 */
export function productError(a: number, b: number, product: number): number {
  const magnitude = Math.abs(product);
  if (magnitude === 0 || !Number.isFinite(magnitude)) return 0;
  if (magnitude > PRODUCT_SCALE_MAX) return productError(a * TWO_POW_MINUS_64, b, product * TWO_POW_MINUS_64) * TWO_POW_64;
  if (magnitude < PRODUCT_SCALE_MIN) return productError(a * TWO_POW_64, b, product * TWO_POW_64) * TWO_POW_MINUS_64;
  if (Math.abs(a) > SPLIT_MAX || Math.abs(b) < SPLIT_MIN) {
    a *= TWO_POW_MINUS_64;
    b *= TWO_POW_64;
  } else if (Math.abs(b) > SPLIT_MAX || Math.abs(a) < SPLIT_MIN) {
    b *= TWO_POW_MINUS_64;
    a *= TWO_POW_64;
  }
  const aHigh = splitHigh(a);
  const aLow = a - aHigh;
  const bHigh = splitHigh(b);
  const bLow = b - bHigh;
  return aHigh * bHigh - product + aHigh * bLow + aLow * bHigh + aLow * bLow;
}

/**
 * The rounding error of an exponential's argument u = fl(a·b), for the
 * first-order corrections below: `productError` where it matters, 0 beyond
 * |u| = 4096, where e^{±u} has saturated and a correction could only overflow.
 */
export function exponentArgumentError(a: number, b: number, u: number): number {
  return Math.abs(u) <= EXPONENT_CORRECTION_LIMIT ? productError(a, b, u) : 0;
}

/**
 * The rounding error of an exponential's argument q = fl(x/d), for the same
 * corrections: x − q·d is exactly representable and equals (x − p) − e with
 * p + e = q·d (two-product; x − p is exact by Sterbenz's lemma), so
 * x/d − q = ((x − p) − e)/d to within a rounding. 0 beyond |q| = 4096.
 */
export function exponentQuotientError(x: number, d: number, q: number): number {
  if (!(Math.abs(q) <= EXPONENT_CORRECTION_LIMIT)) return 0;
  const product = q * d;
  return (x - product - productError(q, d, product)) / d;
}

/** The exact rounding error a + b − fl(a + b) of `sum` = a + b (Knuth's two-sum). */
export function sumError(a: number, b: number, sum: number): number {
  const bVirtual = sum - a;
  return a - (sum - bVirtual) + (b - bVirtual);
}

/**
 * c·σ(u + uLow) for an argument carried as hi + lo (|uLow| ≲ ulp(u)):
 * c·(σ(u) + uLow·σ'(u)), the first-order Taylor correction that removes the
 * |u|-fold amplification of u's rounding in the tail. Below u = −708, where
 * σ(u) = e^u is subnormal, c·e^u·(1 + uLow) goes through `scaledExp`.
 */
export function scaledSigmoid(c: number, u: number, uLow: number): number {
  if (u < -NORMAL_EXP_LIMIT) return scaledExp(u, c + c * uLow);
  return c * (sigmoid(u) + uLow * sigmoidDerivative(u));
}

/**
 * d/du [u·σ(u)] = σ(u)(1 + u·σ(−u)) at u + uLow: the SiLU derivative, which
 * swish reuses with u = βx. σ(−u − uLow) is corrected to first order like
 * σ(u) in `scaledSigmoid`. Beyond |u| = 800 the value is exactly 1 or 0 in
 * float64, returned directly so an infinite u never meets a zero (∞·0 = NaN).
 * Near its zero at u ≈ −1.2785 the sum 1 + u·σ(−u) cancels; that loss of
 * relative accuracy is inherent in the function, not in this form.
 */
export function siluDerivative(u: number, uLow: number): number {
  if (u > 800) return 1;
  if (u < -800) return 0;
  const complement = sigmoid(-u) - uLow * sigmoidDerivative(u);
  const factor = 1 + u * complement + uLow * complement;
  return scaledSigmoid(factor, u, uLow);
}

/**
 * c²·σ'(u + uLow) without overflow of c² or underflow of σ'(u). Where c² and
 * σ'(u) are both normal it is c·c·σ'(u); otherwise σ'(u) = (e^{−|u|/2}/(1 + e^{−|u|}))²
 * gives c²σ'(u) = (c·e^{−|u|/2}/(1 + e^{−|u|}))², which overflows only where the
 * true value does. Then the first-order correction σ'(u + δ) = σ'(u)(1 + δ·(σ(−u) − σ(u))).
 * Swish's ∂f/∂β = x²σ'(βx) uses it.
 */
export function squaredTimesSigmoidDerivative(c: number, u: number, uLow: number): number {
  const magnitude = Math.abs(u);
  const correction = uLow === 0 ? 1 : 1 + uLow * (sigmoid(-u) - sigmoid(u));
  const size = Math.abs(c);
  if (magnitude <= NORMAL_EXP_LIMIT && size <= SQUARE_MAX && size >= SQUARE_MIN) {
    return c * c * sigmoidDerivative(u) * correction;
  }
  const root = scaledExp(-magnitude / 2, c) / (1 + Math.exp(-magnitude));
  return root * root * correction;
}

/**
 * Standard normal CDF Φ(x) = ½·erfc(−x/√2) with stdlib's erfc. erfc(y) loses
 * about 2y² ulp to the rounding of y (10 bits at x = −30), so y is carried as
 * hi + lo: hi = fl(−x·SQRT1_2), lo = the exact product error plus
 * x·(1/√2 − SQRT1_2), and erfc(hi + lo) ≈ erfc(hi) − lo·(2/√π)·e^{−hi²}.
 * Φ rounds to 1 above x = 40. Used down to x = −37 (see `scaledNormalCdf`).
 */
function normalCdfByErfc(x: number): number {
  if (x > NORMAL_TAIL_LIMIT) return 1;
  const product = x * Math.SQRT1_2;
  const argumentHigh = -product;
  const argumentLow = -(productError(x, Math.SQRT1_2, product) + x * SQRT1_2_TAIL);
  const slope = TWO_OVER_SQRT_PI * Math.exp(-argumentHigh * argumentHigh);
  return 0.5 * (erfc(argumentHigh) - argumentLow * slope);
}

/**
 * The Mills ratio M(z) = Φ(−z)/φ(z) by Laplace's continued fraction
 * M(z) = 1/(z + 1/(z + 2/(z + 3/(z + …)))), evaluated bottom-up; accurate for z ≥ 26.
 */
function millsRatio(z: number): number {
  let tail = 0;
  for (let level = MILLS_RATIO_DEPTH; level >= 1; level -= 1) {
    tail = level / (z + tail);
  }
  return 1 / (z + tail);
}

/**
 * c·Φ(x), Φ the standard normal CDF. Down to x = −37 it is c·½erfc(−x/√2) with
 * the argument correction above; below, Φ(x) = φ(x)·M(−x) and c·M(−x)·φ(x) goes
 * through `scaledNormalPdf`, so x·Φ(x) keeps full precision even where Φ(x) is
 * subnormal (erfc alone would leave x·Φ(x) some 30 ulp off near x = −37.7).
 */
export function scaledNormalCdf(c: number, x: number): number {
  if (x < MILLS_RATIO_BELOW) return scaledNormalPdf(c * millsRatio(-x), x);
  return c * normalCdfByErfc(x);
}

/**
 * c·φ(x), φ(x) = e^{−x²/2}/√(2π), with x² = hi + lo exact (two-product) so
 * e^{−x²/2} = e^{−hi/2}·(1 − lo/2) does not suffer the ~x²/2-ulp loss of a
 * rounded x²; c is multiplied in through `scaledExp`. For |x| > 40 the result
 * is 0: exactly right for c = x (x·φ(x) only shrinks further out) and for any
 * |c| ≤ 1e20.
 */
export function scaledNormalPdf(c: number, x: number): number {
  if (Math.abs(x) > NORMAL_TAIL_LIMIT) return 0;
  const square = x * x;
  const squareLow = productError(x, x, square);
  return scaledExp(-square / 2, c * INV_SQRT_2PI * (1 - squareLow / 2));
}
