/**
 * An independent high-precision reference for every activation of the catalogue.
 *
 * Each function below is written from the mathematical definitions in
 * /work/shared/spec/activations.md (never from the project's code) and evaluated
 * with decimal.js at REFERENCE_DIGITS = 64 significant digits (plus 16 guard digits),
 * then rounded once to the nearest float64 (Decimal#toNumber; V8's decimal string → double
 * conversion is correctly rounded). When a result lies within 10⁻⁶⁰ (relative) of a midpoint
 * between two floats, which happens systematically for subnormal results such as
 * gelu(2⁻¹⁰⁷⁴) ≈ 2⁻¹⁰⁷⁵, it is recomputed at 160, 400 and 640 digits, and one still undecided
 * is an exact midpoint and rounded half to even. So every result is the correctly rounded
 * true value.
 *
 * How exactness is kept:
 * - The float64 input x is converted to Decimal EXACTLY (all of its up to 767
 *   significant decimal digits); `new Decimal(0.1)` would silently use "0.1".
 *   Numeric parameters (negativeSlope = 0.01, upper = 1/3, …) are likewise taken at
 *   their exact float64 values, because that is what a kernel receives. Constants that
 *   belong to a formula (SELU's λ and α as printed in the spec, GELU's 0.044715 and
 *   √(2/π), 1/√(2π)) are exact decimals / computed at full precision, not float64.
 * - decimal.js has no expm1, log1p, tanh for huge arguments, or erf, and its exp and
 *   ln are slow, so the primitives are written here: exp/expm1 by argument reduction
 *   (x = k·ln 2 + r, r halved to |r| ≤ 2⁻¹²) with a Taylor series for expm1 and the
 *   doubling expm1(2r) = expm1(r)·(expm1(r) + 2), which keeps full relative accuracy
 *   at tiny arguments; log1p(u) by a 64-entry table of ln(1 + k/64) and the atanh
 *   series; erf by its all-positive series; erfc by 1 − erf at raised precision
 *   (precision chosen by magnitude: + 0.4343·y² digits) for y < 5 and by Laplace's
 *   continued fraction (its even contraction, evaluated backwards to a depth chosen by y and the precision)
 *   beyond, so that even erfc(30) ≈ 2.6e−393 is exact to 64 digits.
 * - Where a definition subtracts nearly equal quantities the reference uses an
 *   algebraically identical form without the subtraction (1 − σ(z) = σ(−z),
 *   1 − tanh²z = 4e^(−2|z|)/(1 + e^(−2|z|))², tanh(softplus x) = n/(n + 2) with
 *   n = e^x(e^x + 2), ln σ(x) = min(x, 0) − ln(1 + e^(−|x|)) as the spec itself writes it),
 *   or raises the precision by the digits the subtraction loses (tanhshrink:
 *   x − tanh x at 64 + 2·log10(1/|x|) digits). The only cancellations left are the
 *   ones intrinsic to the function: a derivative passing through an interior zero
 *   (silu, swish, gelu, mish), which still keeps ≥ 40 correct digits for any float64 x.
 *
 * Cross-checked during development against python3 mpmath 1.3.0 (not needed to run the tests):
 * - erf and erfc at 0, 1e−300, 1e−20, 1e−8, 1e−3, 0.1 … 5 (step 0.05), 5.25 … 30 (step 0.25),
 *   31 … 1000 and a few negative arguments, against mp.erf / mp.erfc at mp.dps = 120: all agree
 *   to 4.8e−64 relative at 64 digits (and to 4.3e−128 at 128 digits); erfc(30) =
 *   2.5646562037561116e−393.
 * - every case of `referenceCases`, value and derivative, at 3332 inputs (log-spaced
 *   ±1e−300 … ±1e300 at two per decade, [−40, 40] in steps of 0.1, the corners and subnormals,
 *   the kinks ± 1e−12, the derivative zeros ± k·1e−4): 103 292 (case, x) pairs computed in mpmath
 *   from the spec's LITERAL formulas (1 − σ, x − tanh x, ln(1 + e^x), ln σ(x), mp.ncdf, …) at
 *   mp.dps = 80 + the digits those formulas lose (up to ~2600), rounded to float64 exactly via
 *   fractions.Fraction: all 206 584 float64 results identical to this reference.
 * Some of those mpmath values are pinned in test/activations/accuracy.test.ts, so CI (without
 * python) still checks the reference against them.
 */
import { Decimal } from 'decimal.js';

/** Significant decimal digits of every reference result before the one rounding to float64. */
export const REFERENCE_DIGITS = 64;
/** Extra working digits carried through every evaluation. */
const GUARD_DIGITS = 16;

// ---------------------------------------------------------------------------
// Exact float64 → Decimal

const bitsView = new DataView(new ArrayBuffer(8));

/** The exact value of a finite float64 as a decimal string "digits e−k" (0.1 → 0.1000000000000000055511151231257827021181583404541015625). */
export function exactDecimalString(x: number): string {
  if (!Number.isFinite(x)) throw new RangeError(`not a finite number: ${x}`);
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  bitsView.setFloat64(0, x);
  const bits = bitsView.getBigUint64(0);
  const sign = bits >> 63n ? '-' : '';
  const biased = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & 0xfffffffffffffn;
  const mantissa = biased === 0 ? fraction : fraction | 0x10000000000000n;
  const exponent = (biased === 0 ? 1 : biased) - 1075;
  if (exponent >= 0) return sign + (mantissa << BigInt(exponent)).toString();
  return `${sign}${(mantissa * 5n ** BigInt(-exponent)).toString()}e-${-exponent}`;
}

// ---------------------------------------------------------------------------
// Precision contexts

/** A decimal.js constructor at a fixed working precision, with its constants (computed lazily). */
class Context {
  readonly D: Decimal.Constructor;
  readonly digits: number;
  private ln2Cache?: Decimal;
  private wideCache?: Decimal.Constructor;
  private piCache?: Decimal;
  private log1pTableCache?: Decimal[];
  private readonly constantCache = new Map<string, Decimal>();
  private readonly inputs = new Map<number, Decimal>();

  constructor(digits: number) {
    this.digits = digits;
    this.D = Decimal.clone({
      precision: digits,
      rounding: Decimal.ROUND_HALF_EVEN,
      minE: -9e15,
      maxE: 9e15,
      toExpNeg: -7,
      toExpPos: 21,
    });
  }

  /** The same constructor with 40 more digits, for the argument reduction x − k·ln 2 (|k| < 1.5e6). */
  get wide(): Decimal.Constructor {
    this.wideCache ??= this.D.clone({ precision: this.digits + 40 });
    return this.wideCache;
  }

  get ln2(): Decimal {
    this.ln2Cache ??= this.wide.ln(2);
    return this.ln2Cache;
  }

  get pi(): Decimal {
    this.piCache ??= this.D.acos(-1);
    return this.piCache;
  }

  constant(name: string, compute: () => Decimal): Decimal {
    let value = this.constantCache.get(name);
    if (value === undefined) {
      value = compute();
      this.constantCache.set(name, value);
    }
    return value;
  }

  /** ln(1 + k/64) for k = 0 … 64. */
  get log1pTable(): Decimal[] {
    if (this.log1pTableCache === undefined) {
      const table: Decimal[] = [];
      const D = this.D.clone({ precision: this.digits + 10 });
      for (let k = 0; k <= 64; k++) table.push(new this.D(D.ln(new D(1).plus(new D(k).div(64)))));
      this.log1pTableCache = table;
    }
    return this.log1pTableCache;
  }

  /** The float64 x as an exact Decimal (memoised: every case is evaluated at the same inputs). */
  of(x: number): Decimal {
    if (x === 0) return new this.D(Object.is(x, -0) ? '-0' : '0'); // a Map key does not tell −0 from 0
    let d = this.inputs.get(x);
    if (d === undefined) {
      d = new this.D(exactDecimalString(x));
      if (this.inputs.size >= 50_000) this.inputs.clear();
      this.inputs.set(x, d);
    }
    return d;
  }
}

const contexts = new Map<number, Context>();

/** The context with at least `digits` working digits (rounded up to a multiple of 8 to share contexts). */
function context(digits: number): Context {
  const rounded = Math.ceil(digits / 8) * 8;
  let c = contexts.get(rounded);
  if (c === undefined) {
    c = new Context(rounded);
    contexts.set(rounded, c);
  }
  return c;
}

// ---------------------------------------------------------------------------
// Elementary primitives (all with full relative accuracy in the context's precision)

/** log10 of |d| as a float (|d| may be far outside the float64 range). */
function log10Abs(d: Decimal): number {
  if (d.isZero()) return -Infinity;
  // d = m · 10^e with 1 ≤ |m| < 10.
  const mantissa = Number.parseFloat(d.toExponential(15).split('e')[0] ?? 'NaN');
  return d.e + Math.log10(Math.abs(mantissa));
}

/**
 * Memo of e^x and expm1(x) per (precision, x): most activations need e^(−|x|) or e^(−2|x|) at the same x,
 * and the accuracy test and the measurement script evaluate them all at the same inputs.
 */
const expMemo = new Map<string, Decimal>();

/** expm1(r) for |r| ≤ 1. */
function expm1Reduced(c: Context, r: Decimal): Decimal {
  if (r.isZero()) return r;
  const key = `${c.digits}:m${r.toString()}`;
  const cached = expMemo.get(key);
  if (cached !== undefined) return cached;
  const e = expm1Series(c, r);
  if (expMemo.size >= 50_000) expMemo.clear();
  expMemo.set(key, e);
  return e;
}

function expm1Series(c: Context, r: Decimal): Decimal {
  const { D } = c;
  let magnitude = log10Abs(r);
  let halvings = 0;
  // Halve until |r| ≤ 2^−12 ≈ 2.44e−4.
  while (magnitude > -3.61) {
    magnitude -= Math.LOG10E * Math.LN2;
    halvings++;
  }
  const t = halvings === 0 ? r : r.div(new D(2).pow(halvings));
  // Taylor degree n: the first omitted term t^(n+1)/(n+1)!, relative to t, is below 10^−(digits+2).
  let n = 1;
  let logTerm = magnitude - Math.log10(2); // log10(|t|^n/(n+1)!) for the current n
  while (logTerm > -(c.digits + 2)) {
    n++;
    logTerm += magnitude - Math.log10(n + 1);
  }
  // expm1(t) = t·(1 + t/2·(1 + t/3·(1 + … t/(n)·(1 + t/(n+1)))))
  let q = new D(1);
  for (let k = n; k >= 2; k--) q = q.times(t).div(k).plus(1);
  let e = t.times(q);
  for (let i = 0; i < halvings; i++) e = e.times(e.plus(2));
  return e;
}

/** e^x. Returns 0 below −1e6 and Infinity above 1e6 (no float64 result can depend on more). */
function exp(c: Context, x: Decimal): Decimal {
  const { D } = c;
  if (x.lt(-1e6)) return new D(0);
  if (x.gt(1e6)) return new D(Infinity);
  if (x.abs().lte(1)) return expm1Reduced(c, x).plus(1);
  const key = `${c.digits}:${x.toString()}`;
  const cached = expMemo.get(key);
  if (cached !== undefined) return cached;
  // x = k·ln 2 + r, |r| ≤ ln2/2, computed with 40 extra digits (|k| < 1.5e6).
  const W = c.wide;
  const xw = new W(x);
  const k = xw.div(c.ln2).round();
  const r = new D(xw.minus(k.times(c.ln2)));
  const result = expm1Reduced(c, r).plus(1).times(new D(2).pow(k.toNumber()));
  if (expMemo.size >= 50_000) expMemo.clear();
  expMemo.set(key, result);
  return result;
}

/** e^t and e^t − 1, each with full relative accuracy, for any t. */
function expAndExpm1(c: Context, t: Decimal): { e: Decimal; em1: Decimal } {
  if (t.abs().lte(1)) {
    const em1 = expm1Reduced(c, t);
    return { e: em1.plus(1), em1 };
  }
  const e = exp(c, t);
  return { e, em1: e.minus(1) };
}

function expm1(c: Context, t: Decimal): Decimal {
  return expAndExpm1(c, t).em1;
}

/** ln(1 + s')/2 = atanh(s) series part: Σ s^(2j+1)/(2j+1), for small |s|. */
function atanhSeries(c: Context, s: Decimal): Decimal {
  if (s.isZero()) return s;
  const s2 = s.times(s);
  const l = log10Abs(s2);
  let sum = s;
  let power = s;
  for (let j = 1; j * l > -(c.digits + 4); j++) {
    power = power.times(s2);
    sum = sum.plus(power.div(2 * j + 1));
  }
  return sum;
}

/** ln(1 + u) for 0 ≤ u ≤ 1. */
function log1p(c: Context, u: Decimal): Decimal {
  const { D } = c;
  if (u.isZero()) return u;
  if (u.lt(0) || u.gt(1)) throw new RangeError('log1p is only needed on [0, 1]');
  const k = Math.floor(u.toNumber() * 64);
  const node = new D(k).div(64);
  // 1 + u = (1 + k/64)·(1 + m), m = (u − k/64)/(1 + k/64) ∈ [0, 1/64]
  const m = u.minus(node).div(node.plus(1));
  const tail = atanhSeries(c, m.div(m.plus(2))).times(2);
  const table = c.log1pTable;
  const head = table[k];
  if (head === undefined) throw new Error('log1p table index out of range');
  return k === 0 ? tail : head.plus(tail);
}

/** σ(z) and σ(−z) from one exponential e^(−|z|). */
function logistic(c: Context, z: Decimal): { p: Decimal; q: Decimal } {
  const E = exp(c, z.abs().neg());
  const big = new c.D(1).div(E.plus(1));
  const small = E.div(E.plus(1));
  return z.gte(0) ? { p: big, q: small } : { p: small, q: big };
}

/** tanh z and 1 − tanh²z = sech²z, from e^(−2|z|). */
function tanhAndSech2(c: Context, z: Decimal): { t: Decimal; sech2: Decimal } {
  const { e: E, em1 } = expAndExpm1(c, z.abs().times(-2));
  const tAbs = em1.neg().div(E.plus(1)); // (1 − E)/(1 + E)
  const onePlusE = E.plus(1);
  const sech2 = E.times(4).div(onePlusE.times(onePlusE));
  return { t: z.isNeg() ? tAbs.neg() : tAbs, sech2 };
}

// ---------------------------------------------------------------------------
// erf, erfc, Φ

function sqrtPi(c: Context): Decimal {
  return c.constant('sqrtPi', () => c.pi.sqrt());
}

/** erf(y) for 0 ≤ y, by (2/√π)·e^(−y²)·Σ 2ⁿ y^(2n+1)/(1·3·…·(2n+1)) (all terms positive). */
function erfSeries(c: Context, y: Decimal): Decimal {
  if (y.isZero()) return y;
  const y2 = y.times(y);
  const twoY2 = y2.times(2);
  const ratio = twoY2.toNumber(); // term(n)/term(n−1) = 2y²/(2n+1)
  // Track log10 of the terms in floating point; stop once past the peak (2n+1 > 2y²) and a
  // term is below 10^−(digits+4) of the sum, which is at least the largest term.
  let logTerm = log10Abs(y);
  let logMax = logTerm;
  let term = y;
  let sum = y;
  for (let n = 1; n <= ratio || logTerm > logMax - (c.digits + 4); n++) {
    term = term.times(twoY2).div(2 * n + 1);
    sum = sum.plus(term);
    logTerm += Math.log10(ratio / (2 * n + 1));
    logMax = Math.max(logMax, logTerm);
  }
  return sum.times(exp(c, y2.neg())).times(2).div(sqrtPi(c));
}

/**
 * Depth of the backward continued fraction for erfc(y) so its truncation error is below 10^−(digits+2).
 * Measured (against depth 6000) at 80 and 120 digits for y = 3 … 28: the depth needed is
 * a²/2 + digits·(0.45 + 1.8/y) within a few percent, a = digits·ln10/(2y); 10 % more is used.
 */
function continuedFractionDepth(digits: number, y: number): number {
  const a = (digits * Math.LN10) / (2 * y);
  return Math.ceil(1.1 * ((a * a) / 2 + digits * (0.45 + 1.8 / y))) + 10;
}

/** erfc(y) for y ≥ 0, with full relative accuracy however small it is. */
export function erfcDecimal(y: Decimal, digits = REFERENCE_DIGITS): Decimal {
  const c = context(digits + GUARD_DIGITS);
  const { D } = c;
  const yy = new D(y);
  if (yy.isNeg()) return erfDecimal(yy.neg(), digits).plus(1);
  if (yy.isZero()) return new D(1);
  if (yy.gt(1e4)) return new D(0); // erfc(1e4) < 10^−43000000: below anything representable after scaling
  const yn = yy.toNumber();
  if (yn < 5) {
    // 1 − erf(y) cancels log10(1/erfc(y)) ≤ 0.4343·y² + log10(y√π) + 1 digits: raise the precision by that.
    const high = context(c.digits + Math.ceil(0.4343 * yn * yn) + 4);
    const e = erfSeries(high, new high.D(yy));
    return new D(new high.D(1).minus(e));
  }
  // Laplace's continued fraction erfc(y) = e^(−y²)/√π · 1/(y + (1/2)/(y + 1/(y + (3/2)/(y + …)))),
  // in its even contraction (two levels per step, one division):
  // erfc(y) = 2y·e^(−y²)/√π · 1/(2y² + 1 − 1·2/(2y² + 5 − 3·4/(2y² + 9 − …))), evaluated backwards.
  const depth = Math.ceil(continuedFractionDepth(c.digits, yn) / 2) + 5;
  const twoY2 = yy.times(yy).times(2);
  let f = twoY2.plus(4 * depth + 1);
  for (let k = depth; k >= 1; k--) f = twoY2.plus(4 * k - 3).minus(new D((2 * k - 1) * (2 * k)).div(f));
  return exp(c, yy.times(yy).neg()).times(yy).times(2).div(sqrtPi(c).times(f));
}

/** erf(y) for any y. */
export function erfDecimal(y: Decimal, digits = REFERENCE_DIGITS): Decimal {
  const c = context(digits + GUARD_DIGITS);
  const { D } = c;
  const yy = new D(y);
  if (yy.isNeg()) return erfDecimal(yy.neg(), digits).neg();
  const yn = yy.toNumber();
  if (yn < 5) return erfSeries(c, yy);
  // erf = 1 − erfc, and erfc(y) < e^(−y²)/(y√π) only needs c.digits − 0.4343·y² − log10(y√π)
  // significant digits for the difference to be exact to c.digits.
  const needed = c.digits + 2 - Math.floor(0.4343 * yn * yn + Math.log10(yn * Math.sqrt(Math.PI)));
  if (needed <= 0) return new D(1);
  return new D(1).minus(erfcDecimal(yy, Math.max(needed, 16)));
}

// ---------------------------------------------------------------------------
// The catalogue

/** Parameters as the API takes them (camelCase); missing ones take the spec's defaults. */
export type ReferenceParams = Readonly<Record<string, number | string | boolean | undefined>>;

/** Exact results before rounding. `terms` is |a| + |b| when f' = a + b can cancel (interior zero), else |f'|. */
interface ExactPoint {
  value: Decimal;
  derivative: Decimal;
  terms?: Decimal;
}

/** The reference at one float64 input, correctly rounded to float64. */
export interface ReferencePoint {
  value: number;
  derivative: number;
  /**
   * |a| + |b| when the derivative is a sum a + b of terms that cancel at an interior
   * zero of f' (silu, swish, gelu, mish); |f'| otherwise. An absolute error bound
   * `k · 2⁻⁵² · derivativeTerms` is what a float64 evaluation of a + b can promise.
   */
  derivativeTerms: number;
}

type Definition = (c: Context, x: Decimal, p: Readonly<Record<string, number | string | boolean>>) => ExactPoint;

const num = (p: Readonly<Record<string, number | string | boolean>>, key: string): number => {
  const v = p[key];
  if (typeof v !== 'number') throw new TypeError(`parameter ${key} must be a number`);
  return v;
};

function piecewise(value: Decimal, derivative: Decimal | number, c: Context): ExactPoint {
  return { value, derivative: new c.D(derivative) };
}

/** SELU's constants exactly as printed in the spec (and in PyTorch). */
const SELU_ALPHA = '1.6732632423543772848170429916717';
const SELU_LAMBDA = '1.0507009873554804934193349852946';
/** GELU's tanh-approximation coefficient, an exact decimal. */
const GELU_TANH_COEFFICIENT = '0.044715';

const definitions: Record<string, { defaults: Readonly<Record<string, number | string | boolean>>; f: Definition }> = {
  identity: { defaults: {}, f: (c, x) => piecewise(x, 1, c) },

  sigmoid: {
    defaults: {},
    f: (c, x) => {
      const { p, q } = logistic(c, x);
      return { value: p, derivative: p.times(q) };
    },
  },

  tanh: {
    defaults: {},
    f: (c, x) => {
      const { t, sech2 } = tanhAndSech2(c, x);
      return { value: t, derivative: sech2 };
    },
  },

  relu: { defaults: {}, f: (c, x) => piecewise(x.gt(0) ? x : new c.D(0), x.gt(0) ? 1 : 0, c) },

  relu6: {
    defaults: {},
    f: (c, x) => {
      const value = x.gt(6) ? new c.D(6) : x.gt(0) ? x : new c.D(0);
      return piecewise(value, x.gt(0) && x.lt(6) ? 1 : 0, c);
    },
  },

  leaky_relu: {
    defaults: { negativeSlope: 0.01 },
    f: (c, x, p) => {
      const s = c.of(num(p, 'negativeSlope'));
      return piecewise(x.gte(0) ? x : s.times(x), x.gt(0) ? new c.D(1) : s, c);
    },
  },

  prelu: {
    defaults: { alpha: 0.25 },
    f: (c, x, p) => {
      const a = c.of(num(p, 'alpha'));
      return piecewise(x.gte(0) ? x : a.times(x), x.gt(0) ? new c.D(1) : a, c);
    },
  },

  rrelu: {
    // Eval mode only: a leaky ReLU with the mean slope (lower + upper)/2 of the float64 parameters.
    defaults: { lower: 1 / 8, upper: 1 / 3 },
    f: (c, x, p) => {
      const slope = c.of(num(p, 'lower')).plus(c.of(num(p, 'upper'))).div(2);
      return piecewise(x.gte(0) ? x : slope.times(x), x.gt(0) ? new c.D(1) : slope, c);
    },
  },

  elu: {
    defaults: { alpha: 1 },
    f: (c, x, p) => {
      const alpha = c.of(num(p, 'alpha'));
      if (x.gt(0)) return piecewise(x, 1, c);
      const { e, em1 } = expAndExpm1(c, x);
      return { value: alpha.times(em1), derivative: alpha.times(e) };
    },
  },

  selu: {
    // For x > MAX_VALUE/λ ≈ 1.71e308, λx exceeds float64: its correctly rounded value is Infinity.
    defaults: {},
    f: (c, x) => {
      const lambda = new c.D(SELU_LAMBDA);
      if (x.gt(0)) return { value: lambda.times(x), derivative: lambda };
      const la = lambda.times(SELU_ALPHA);
      const { e, em1 } = expAndExpm1(c, x);
      return { value: la.times(em1), derivative: la.times(e) };
    },
  },

  celu: {
    defaults: { alpha: 1 },
    f: (c, x, p) => {
      const alpha = c.of(num(p, 'alpha'));
      const z = x.div(alpha);
      // max(0, x) + min(0, α(e^(x/α) − 1)); the second term is 0 whenever x/α ≥ 0 with α > 0.
      const positivePart = x.gt(0) ? x : new c.D(0);
      let negativePart = new c.D(0);
      if (!(alpha.gt(0) && x.gte(0))) {
        const candidate = alpha.times(expm1(c, z));
        if (candidate.lt(0)) negativePart = candidate;
      }
      const derivative = x.gt(0) ? new c.D(1) : exp(c, z);
      return { value: positivePart.plus(negativePart), derivative };
    },
  },

  gelu: {
    defaults: { approximate: 'none' },
    f: (c, x, p) => (p.approximate === 'tanh' ? geluTanh(c, x) : geluExact(c, x)),
  },

  silu: { defaults: {}, f: (c, x) => swishAt(c, x, new c.D(1)) },

  swish: { defaults: { beta: 1 }, f: (c, x, p) => swishAt(c, x, c.of(num(p, 'beta'))) },

  mish: {
    defaults: {},
    f: (c, x) => {
      const { D } = c;
      const one = new D(1);
      let th: Decimal;
      let sech2: Decimal;
      let sigma: Decimal;
      if (x.lte(0)) {
        // tanh(ln(1 + E)) = n/(n + 2), n = E(E + 2); 1 − tanh² = 4(1 + E)²/(n + 2)²; E = e^x.
        const E = exp(c, x);
        const n = E.times(E.plus(2));
        th = n.div(n.plus(2));
        const r = E.plus(1).div(n.plus(2));
        sech2 = r.times(r).times(4);
        sigma = E.div(E.plus(1));
      } else {
        // The same divided through by e^(2x): w = e^(−x), tanh = (1 + 2w)/(1 + 2w + 2w²),
        // 1 − tanh² = 4w²(1 + w)²/(1 + 2w + 2w²)².
        const w = exp(c, x.neg());
        const den = w.times(w).times(2).plus(w.times(2)).plus(1);
        th = w.times(2).plus(1).div(den);
        const r = w.times(w.plus(1)).div(den);
        sech2 = r.times(r).times(4);
        sigma = one.div(w.plus(1));
      }
      const a = th;
      const b = x.times(sigma).times(sech2);
      return { value: x.times(th), derivative: a.plus(b), terms: a.abs().plus(b.abs()) };
    },
  },

  hardsigmoid: {
    defaults: {},
    f: (c, x) => {
      const { D } = c;
      if (x.lte(-3)) return piecewise(new D(0), 0, c);
      if (x.gte(3)) return piecewise(new D(1), 0, c);
      return piecewise(x.div(6).plus(new D(1).div(2)), new D(1).div(6), c);
    },
  },

  hardswish: {
    defaults: {},
    f: (c, x) => {
      const { D } = c;
      if (x.lte(-3)) return piecewise(new D(0), 0, c);
      if (x.gte(3)) return piecewise(x, 1, c);
      return piecewise(x.times(x.plus(3)).div(6), x.div(3).plus(new D(1).div(2)), c);
    },
  },

  hardtanh: {
    defaults: { minVal: -1, maxVal: 1 },
    f: (c, x, p) => {
      const lo = c.of(num(p, 'minVal'));
      const hi = c.of(num(p, 'maxVal'));
      const value = x.lt(lo) ? lo : x.gt(hi) ? hi : x;
      return piecewise(value, x.gt(lo) && x.lt(hi) ? 1 : 0, c);
    },
  },

  softplus: {
    defaults: { beta: 1, threshold: 20 },
    f: (c, x, p) => {
      // The spec's definition includes PyTorch's switch: f = x and f' = 1 when βx > threshold.
      const beta = c.of(num(p, 'beta'));
      const z = beta.times(x);
      if (z.gt(c.of(num(p, 'threshold')))) return piecewise(x, 1, c);
      // ln(1 + e^z) = max(z, 0) + ln(1 + e^(−|z|))
      const tail = log1p(c, exp(c, z.abs().neg()));
      const sp = z.gt(0) ? z.plus(tail) : tail;
      const { p: sigma } = logistic(c, z);
      return { value: sp.div(beta), derivative: sigma };
    },
  },

  softsign: {
    defaults: {},
    f: (c, x) => {
      const d = x.abs().plus(1);
      return { value: x.div(d), derivative: new c.D(1).div(d.times(d)) };
    },
  },

  tanhshrink: {
    defaults: {},
    f: (c, x) => {
      // x − tanh x = x³/3 − … loses 2·log10(1/|x|) + 1 digits to cancellation: raise the precision by that.
      const lost = x.isZero() || x.abs().gte(1) ? 0 : Math.max(0, Math.ceil(-2 * log10Abs(x))) + 2;
      const high = lost > 0 ? context(c.digits + lost) : c;
      const xh = new high.D(x);
      const { t } = tanhAndSech2(high, xh);
      const value = new c.D(xh.minus(t));
      const tt = new c.D(t);
      return { value, derivative: tt.times(tt) };
    },
  },

  softshrink: {
    defaults: { lambda: 0.5 },
    f: (c, x, p) => {
      const l = c.of(num(p, 'lambda'));
      const value = x.gt(l) ? x.minus(l) : x.lt(l.neg()) ? x.plus(l) : new c.D(0);
      return piecewise(value, x.abs().gt(l) ? 1 : 0, c);
    },
  },

  hardshrink: {
    defaults: { lambda: 0.5 },
    f: (c, x, p) => {
      const l = c.of(num(p, 'lambda'));
      const outside = x.abs().gt(l);
      return piecewise(outside ? x : new c.D(0), outside ? 1 : 0, c);
    },
  },

  logsigmoid: {
    defaults: {},
    f: (c, x) => {
      // ln σ(x) = min(x, 0) − ln(1 + e^(−|x|)) (the spec's form of the same number); f' = σ(−x).
      const tail = log1p(c, exp(c, x.abs().neg()));
      const value = x.lt(0) ? x.minus(tail) : tail.neg();
      const { q } = logistic(c, x);
      return { value, derivative: q };
    },
  },

  threshold: {
    defaults: { threshold: 0, value: 0 },
    f: (c, x, p) => {
      const th = c.of(num(p, 'threshold'));
      return piecewise(x.gt(th) ? x : c.of(num(p, 'value')), x.gt(th) ? 1 : 0, c);
    },
  },
};

/** f = x·σ(βx), f' = σ(βx) + βx·σ(βx)·σ(−βx). */
function swishAt(c: Context, x: Decimal, beta: Decimal): ExactPoint {
  const z = beta.times(x);
  const { p, q } = logistic(c, z);
  const a = p;
  const b = z.times(p).times(q);
  return { value: x.times(p), derivative: a.plus(b), terms: a.abs().plus(b.abs()) };
}

/** f = x·Φ(x), f' = Φ(x) + x·φ(x), Φ(x) = ½·erfc(−x/√2), φ(x) = e^(−x²/2)/√(2π). */
function geluExact(c: Context, x: Decimal): ExactPoint {
  const { D } = c;
  const digits = c.digits - GUARD_DIGITS;
  const sqrt2 = c.constant('sqrt2', () => new D(2).sqrt());
  const y = x.div(sqrt2);
  const half = new D(1).div(2);
  const Phi = x.gte(0) ? erfDecimal(y, digits).plus(1).times(half) : erfcDecimal(y.neg(), digits).times(half);
  const invSqrt2Pi = c.constant('invSqrt2Pi', () => new D(1).div(c.pi.times(2).sqrt()));
  const phi = exp(c, x.times(x).div(2).neg()).times(invSqrt2Pi);
  const a = new D(Phi);
  const b = x.times(phi);
  return { value: x.times(a), derivative: a.plus(b), terms: a.abs().plus(b.abs()) };
}

/**
 * f = ½x(1 + tanh u) = x·σ(2u), u = √(2/π)(x + 0.044715x³);
 * f' = ½(1 + tanh u) + ½x(1 − tanh²u)·√(2/π)(1 + 3·0.044715x²) = σ(2u) + 2x·σ(2u)σ(−2u)·√(2/π)(1 + 0.134145x²).
 */
function geluTanh(c: Context, x: Decimal): ExactPoint {
  const { D } = c;
  const k = c.constant('sqrt2OverPi', () => new D(2).div(c.pi).sqrt());
  const coefficient = new D(GELU_TANH_COEFFICIENT);
  const x2 = x.times(x);
  const u = k.times(x.plus(coefficient.times(x2).times(x)));
  const { p, q } = logistic(c, u.times(2));
  const a = p;
  const b = x.times(2).times(p).times(q).times(k).times(coefficient.times(3).times(x2).plus(1));
  return { value: x.times(p), derivative: a.plus(b), terms: a.abs().plus(b.abs()) };
}

/** Every activation id the reference knows. */
export const referenceIds: readonly string[] = Object.keys(definitions);

/** The spec's default parameters merged with `params`. */
export function referenceParams(id: string, params: ReferenceParams = {}): Record<string, number | string | boolean> {
  const definition = definitions[id];
  if (definition === undefined) throw new Error(`no reference for activation ${id}`);
  const merged: Record<string, number | string | boolean> = { ...definition.defaults };
  for (const [key, v] of Object.entries(params)) if (v !== undefined) merged[key] = v;
  return merged;
}

/** The exact value and derivative as Decimals at `digits` significant digits (for self-checks). */
export function referenceDecimal(
  id: string,
  params: ReferenceParams,
  x: number,
  digits = REFERENCE_DIGITS,
): { value: Decimal; derivative: Decimal; terms: Decimal } {
  const definition = definitions[id];
  if (definition === undefined) throw new Error(`no reference for activation ${id}`);
  const c = context(digits + GUARD_DIGITS);
  const point = definition.f(c, c.of(x), referenceParams(id, params));
  return { value: point.value, derivative: point.derivative, terms: point.terms ?? point.derivative.abs() };
}

/**
 * Round d, known to within a relative 10^−(digits − 4) of the true value, to the nearest float64;
 * undefined when that interval straddles a rounding boundary (a midpoint between two floats).
 */
function roundIfUnambiguous(d: Decimal, digits: number): number | undefined {
  const nearest = d.toNumber();
  if (d.isZero() || !d.isFinite()) return nearest;
  const slack = d.abs().times(new Decimal(10).pow(4 - digits));
  const below = d.minus(slack).toNumber();
  const above = d.plus(slack).toNumber();
  return below === nearest && above === nearest ? nearest : undefined;
}

/** Of two adjacent floats, the one whose last significand bit is 0 (round-half-to-even). */
function evenOf(a: number, b: number): number {
  bitsView.setFloat64(0, a);
  return (bitsView.getBigUint64(0) & 1n) === 0n ? a : b;
}

/** Precisions tried in turn when a result lies within 10^−60 of a midpoint between two floats. */
const ESCALATION = [160, 400, 640];

/**
 * The true value and derivative of activation `id` at the float64 x, each correctly rounded to
 * float64. When a result is too close to a midpoint to round at `digits` (this happens at
 * subnormal results, e.g. gelu(2⁻¹⁰⁷⁴) = 2⁻¹⁰⁷⁵(1 + 2⁻¹⁰⁷⁴·0.798…), just above the midpoint),
 * it is recomputed at 160, 400 and 640 digits; a result still undecided at 640 digits is taken
 * to be an exact midpoint and rounded half to even.
 */
export function reference(id: string, params: ReferenceParams, x: number, digits = REFERENCE_DIGITS): ReferencePoint {
  const point = referenceDecimal(id, params, x, digits);
  let value = roundIfUnambiguous(point.value, digits);
  let derivative = roundIfUnambiguous(point.derivative, digits);
  let precise = point;
  let preciseDigits = digits;
  for (const higher of ESCALATION) {
    if (value !== undefined && derivative !== undefined) break;
    if (higher <= digits) continue;
    precise = referenceDecimal(id, params, x, higher);
    preciseDigits = higher;
    value ??= roundIfUnambiguous(precise.value, higher);
    derivative ??= roundIfUnambiguous(precise.derivative, higher);
  }
  const tie = (d: Decimal): number => {
    const slack = d.abs().times(new Decimal(10).pow(4 - preciseDigits));
    return evenOf(d.minus(slack).toNumber(), d.plus(slack).toNumber());
  };
  return {
    value: value ?? tie(precise.value),
    derivative: derivative ?? tie(precise.derivative),
    derivativeTerms: point.terms.toNumber(),
  };
}

/** One configuration the accuracy tests measure. */
export interface ReferenceCase {
  /** Unique label, e.g. `gelu (approximate: tanh)`. */
  label: string;
  id: string;
  params: Readonly<Record<string, number | string>>;
  /**
   * Where f' has an interior zero, near which f' = a + b cancels and only an absolute
   * accuracy (relative to |a| + |b|) is attainable in float64.
   */
  derivativeZero?: number;
}

/** The 25 activations at their defaults, plus the non-default settings the release note covers. */
export const referenceCases: readonly ReferenceCase[] = (
  [
    ...referenceIds.map((id) => ({ label: id, id, params: {} })),
    { label: 'gelu (approximate: tanh)', id: 'gelu', params: { approximate: 'tanh' } },
    { label: 'softplus (beta: 2)', id: 'softplus', params: { beta: 2 } },
    { label: 'elu (alpha: 0.5)', id: 'elu', params: { alpha: 0.5 } },
    { label: 'celu (alpha: 2)', id: 'celu', params: { alpha: 2 } },
    { label: 'swish (beta: 1.5)', id: 'swish', params: { beta: 1.5 } },
    { label: 'leaky_relu (negativeSlope: 0.2)', id: 'leaky_relu', params: { negativeSlope: 0.2 } },
  ] satisfies ReferenceCase[] as ReferenceCase[]
).map((testCase) => ({ ...testCase, ...derivativeZeroOf(testCase.id, testCase.params) }));

/** The interior zero of f' (mpmath findroot on the spec's formulas; it only centres a window). */
function derivativeZeroOf(id: string, params: Readonly<Record<string, number | string>>): { derivativeZero?: number } {
  const siluZero = -1.278464542761074;
  switch (id) {
    case 'silu':
      return { derivativeZero: siluZero };
    case 'swish':
      // x·σ(βx) = (1/β)·silu(βx): the zero scales by 1/β.
      return { derivativeZero: siluZero / (typeof params.beta === 'number' ? params.beta : 1) };
    case 'gelu':
      return { derivativeZero: params.approximate === 'tanh' ? -0.7524614220710163 : -0.7517915246935645 };
    case 'mish':
      return { derivativeZero: -1.1924312145154952 };
    default:
      return {};
  }
}
