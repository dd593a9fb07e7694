/**
 * Accuracy of every activation record against the independent high-precision reference
 * (test/support/high-precision.ts: the spec's definitions in decimal.js at 64 digits, correctly
 * rounded to float64). The spec asks for values and derivatives within a few ulp of the true
 * value for every finite input, tiny (1e−300 … 1e−3) and huge (up to 1e300) included.
 *
 * Criterion: ulpDistance(kernel, reference) ≤ the case's bound (4 ulp unless `bounds` says
 * otherwise), for the value and for the derivative, with one exception. Where f' has an
 * interior zero (silu' near −1.2785, swish' near −1.2785/β, gelu' near −0.7518 and its tanh
 * form near −0.7525, mish' near −1.1924), f' = a + b is a sum of two terms that cancel, and no
 * float64 evaluation of it can be relatively accurate right at the zero: the terms' own rounding
 * errors, ~2⁻⁵²·(|a| + |b|), are larger than the result. Within ±0.5 of the zero the derivative
 * therefore passes if it is within the bound in ulp OR its absolute error is at most
 * bound·2⁻⁵²·(|a| + |b|) (the reference supplies |a| + |b|). Everywhere else the ulp bound holds.
 *
 * scripts/measure-accuracy.ts runs the same comparison over ~200k inputs and prints the worst cases.
 */
import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { activations } from '../../src/activations/registry.js';
import type { ScalarKernel } from '../../src/activations/types.js';
import {
  erfcDecimal,
  erfDecimal,
  exactDecimalString,
  reference,
  referenceCases,
  type ReferenceCase,
} from '../support/high-precision.js';
import { hostileInputs, nextDown, nextUp, ulpDistance } from '../support/numeric.js';
import { createRandom } from '../../src/random.js';

/** The spec's "a few ulp". */
const DEFAULT_BOUND_ULP = 4;
/**
 * Per-case bounds in ulp where they differ from DEFAULT_BOUND_ULP. These
 * derivatives are sums of two terms of opposite sign (tanh(sp) + x·σ·sech²(sp)
 * for mish; σ(2u)·(1 + 2x·σ(−2u)·u′) for gelu-tanh; σ(βx)(1 + βx·σ(−βx)) for
 * swish) that partly cancel over a wide band of negative x, well beyond the
 * ±0.5 window around their zero: measured worst 10, 7 and 6 ulp
 * (scripts/measure-accuracy.ts, 200,000 points each).
 */
const bounds: Readonly<Record<string, { value: number; derivative: number }>> = {
  mish: { value: DEFAULT_BOUND_ULP, derivative: 10 },
  'gelu (approximate: tanh)': { value: DEFAULT_BOUND_ULP, derivative: 8 },
  'swish (beta: 1.5)': { value: DEFAULT_BOUND_ULP, derivative: 6 },
};
/** Half-width of the window around an interior zero of f' where the absolute criterion applies. */
const ZERO_WINDOW = 0.5;
const EPSILON = 2 ** -52;

function boundsOf(testCase: ReferenceCase): { value: number; derivative: number } {
  return bounds[testCase.label] ?? { value: DEFAULT_BOUND_ULP, derivative: DEFAULT_BOUND_ULP };
}

function kernelOf(testCase: ReferenceCase): ScalarKernel {
  const record = activations.find((candidate) => candidate.id === testCase.id);
  if (record === undefined) throw new Error(`the registry has no record ${testCase.id}`);
  // In eval mode no kernel draws random numbers (RReLU uses its mean slope).
  return record.kernel(record.paramsSchema.parse({ ...testCase.params }), {
    mode: 'eval',
    count: 1,
    uniform: Math.random,
  });
}

// ---------------------------------------------------------------------------
// Inputs (deterministic)


/** Mantissas cycled through the log sweeps so they do not only hit powers of ten. */
const MANTISSAS = [1, 1.7, 2.9, 4.3, 6.1, 8.8];

/** m·10^e for e in [from, to] at `perDecade` points per decade (0.5: every other decade), both signs. */
function logSweep(from: number, to: number, perDecade: number): number[] {
  const xs: number[] = [];
  for (let i = 0; i <= (to - from) * perDecade; i++) {
    const e = from + i / perDecade;
    const x = Number(`${MANTISSAS[i % MANTISSAS.length]}e${Math.floor(e)}`) * 10 ** (e - Math.floor(e));
    xs.push(x, -x);
  }
  return xs;
}

/** Deterministic uniforms in [0, 1) from the service's one seeded generator. */
function seeded(seed: number): () => number {
  const { uniform } = createRandom(seed);
  return uniform;
}

function randomInputs(): number[] {
  const uniform = seeded(20_240_611);
  const xs: number[] = [];
  for (let i = 0; i < 100; i++) xs.push(-40 + 80 * uniform());
  for (let i = 0; i < 100; i++) xs.push((uniform() < 0.5 ? -1 : 1) * 10 ** (-300 + 600 * uniform()));
  for (let i = 0; i < 100; i++) xs.push((2 * uniform() - 1) * 10 ** (-5 + 7 * uniform()));
  return xs;
}

/** Kinks and thresholds of the cases, with their float neighbours. */
const KINKS = [0, 0.5, -0.5, 1, -1, 3, -3, 6, 10, 20, 30, -30, 40, -40];

function cornerInputs(): number[] {
  const xs = new Set<number>(hostileInputs);
  for (const k of KINKS) for (const x of [k, nextUp(k), nextDown(k)]) xs.add(x);
  for (const x of [2 ** -1022, 2 ** -1023, 1e-320, 3 * Number.MIN_VALUE, 2 ** 1023, 1e-3 / 3]) {
    xs.add(x);
    xs.add(-x);
  }
  return [...xs];
}

/** Points in and around the windows of the derivative zeros. */
function zeroWindowInputs(zero: number): number[] {
  const xs: number[] = [];
  for (let k = -20; k <= 20; k++) xs.push(zero + k * 0.025);
  for (let k = -3; k <= 3; k++) xs.push(zero + k * 1e-9, zero + k * 1e-14);
  return xs;
}

/** 4 < |x| ≤ 40 in steps of 0.2, every other point shifted off the decimal grid by π/1000. */
const coarseSweep = Array.from({ length: 401 }, (_, i) => (i - 200) / 5 + (i % 2 === 1 ? Math.PI / 1000 : 0)).filter(
  (x) => Math.abs(x) > 4,
);
/** −4 … 4 in steps of 0.01 (where the sigmoids bend and the derivatives cross zero), likewise shifted. */
const fineSweep = Array.from({ length: 801 }, (_, i) => (i - 400) / 100 + (i % 2 === 1 ? Math.PI / 10_000 : 0));

const inputGroups: readonly { name: string; xs: readonly number[] }[] = [
  { name: 'tiny inputs (±1e−300 … ±1e−3)', xs: logSweep(-300, -3, 0.5) },
  {
    name: 'moderate inputs (a dense sweep of −40 … 40, denser in −4 … 4, and ±1e−3 … ±1e3)',
    xs: [...coarseSweep, ...fineSweep, ...logSweep(-3, 3, 6)],
  },
  { name: 'huge inputs (±1e3 … ±1e300)', xs: logSweep(3, 300, 0.5) },
  { name: 'the corners (zeros, subnormals, kinks and their neighbours, the extremes)', xs: cornerInputs() },
  { name: 'seeded pseudo-random inputs', xs: randomInputs() },
];

// ---------------------------------------------------------------------------
// The comparison

interface Mismatch {
  x: number;
  what: 'value' | 'derivative';
  got: number;
  want: number;
  ulp: number;
}

function compare(testCase: ReferenceCase, kernel: ScalarKernel, xs: readonly number[]): Mismatch[] {
  const bound = boundsOf(testCase);
  const mismatches: Mismatch[] = [];
  for (const x of xs) {
    const want = reference(testCase.id, testCase.params, x);
    const value = kernel.value(x, 0);
    const valueUlp = ulpDistance(value, want.value);
    if (!(valueUlp <= bound.value)) mismatches.push({ x, what: 'value', got: value, want: want.value, ulp: valueUlp });
    const derivative = kernel.derivative(x, 0);
    const derivativeUlp = ulpDistance(derivative, want.derivative);
    if (derivativeUlp <= bound.derivative) continue;
    const zero = testCase.derivativeZero;
    if (
      zero !== undefined &&
      Math.abs(x - zero) <= ZERO_WINDOW &&
      Math.abs(derivative - want.derivative) <= bound.derivative * EPSILON * want.derivativeTerms
    ) {
      continue;
    }
    mismatches.push({ x, what: 'derivative', got: derivative, want: want.derivative, ulp: derivativeUlp });
  }
  return mismatches;
}

const describeMismatches = (mismatches: readonly Mismatch[]): string[] =>
  mismatches
    .slice(0, 12)
    .map((m) => `${m.what} at x = ${m.x}: got ${m.got}, true ${m.want} (${m.ulp} ulp)`)
    .concat(mismatches.length > 12 ? [`… and ${mismatches.length - 12} more`] : []);

describe('accuracy of every activation against a 64-digit reference', () => {
  for (const testCase of referenceCases) {
    describe(testCase.label, () => {
      const kernel = kernelOf(testCase);
      const bound = boundsOf(testCase);
      const within =
        bound.value === bound.derivative
          ? `within ${bound.value} ulp`
          : `within ${bound.value} ulp (value) and ${bound.derivative} ulp (derivative)`;
      for (const group of inputGroups) {
        it(`computes ${testCase.label} and its derivative ${within} for ${group.name}`, () => {
          expect(describeMismatches(compare(testCase, kernel, group.xs))).toEqual([]);
        });
      }
      const zero = testCase.derivativeZero;
      if (zero !== undefined) {
        it(`computes the derivative of ${testCase.label} to ${bound.derivative}·2⁻⁵²·(|a| + |b|) near its zero at x ≈ ${zero.toFixed(4)}`, () => {
          expect(describeMismatches(compare(testCase, kernel, zeroWindowInputs(zero)))).toEqual([]);
        });
      }
    });
  }
});

// ---------------------------------------------------------------------------
// The reference itself

/**
 * Values computed once with python3 mpmath 1.3.0 (mp.dps = 60; the activations from the spec's
 * literal formulas at 80 + digits-lost-to-cancellation digits), pinned here so the reference is
 * checked in CI without python.
 */
const MPMATH_ERFC: readonly [string, string][] = [
  ['0.5', '4.7950012218695346231725334610803547126354842424204e-1'],
  ['3', '2.209049699858544137277612958232037984770708739925e-5'],
  ['5.5', '7.3578479179743980630683623985700902082230849694519e-15'],
  ['10', '2.0884875837625447570007862949577886115608181193212e-45'],
  ['27', '5.2370489237892556850160676828495470909339125479687e-319'],
  ['30', '2.5646562037561116000333972775014471465488897227786e-393'],
];
const MPMATH_ERF: readonly [string, string][] = [
  ['1e-300', '1.128379167095512573896158903121545171688101258658e-300'],
  ['0.5', '5.2049987781304653768274665389196452873645157575796e-1'],
  ['2', '9.9532226501895273416206925636725292861089179704006e-1'],
  ['6', '9.9999999999999997848026328750108688340664960081262e-1'],
];
/** [id, params, x, f(x), f'(x)], each rounded to float64 from mpmath. */
const MPMATH_ACTIVATIONS: readonly [string, Record<string, number | string>, number, number, number][] = [
  ['tanhshrink', {}, 1e-100, 3.3333333333333334e-301, 1e-200],
  ['tanhshrink', {}, 0.5, 0.03788284273999024, 0.2135522670340726],
  ['gelu', {}, -10.0, -7.619853024160526e-23, -7.618400096464814e-22],
  ['gelu', {}, -30.0, -1.472014178144456e-196, -4.416031690708495e-195],
  ['gelu', { approximate: 'tanh' }, -10.0, -1.204092348209806e-37, -2.7576380638540315e-36],
  ['mish', {}, -1.1924, -0.3088434128871985, 8.332849279897465e-6],
  ['logsigmoid', {}, 40.0, -4.248354255291589e-18, 4.248354255291589e-18],
  ['softplus', {}, -700.0, 9.85967654375977e-305, 9.85967654375977e-305],
  ['softplus', { beta: 2.0 }, 9.75, 9.750000001699133, 0.9999999966017322],
  ['selu', {}, -1e-300, -1.758099340847377e-300, 1.7580993408473768],
  ['sigmoid', {}, 700.0, 1.0, 9.85967654375977e-305],
  ['silu', {}, -1.278464542761074, -0.2784645427610738, -2.452007938935708e-17],
  ['elu', { alpha: 0.5 }, -1e-10, -4.9999999997500004e-11, 0.49999999995],
  ['celu', { alpha: 2.0 }, -3.5, -1.6524521130991097, 0.17377394345044514],
  ['swish', { beta: 1.5 }, -20.0, -1.8715245937678596e-12, -2.713710660963134e-12],
  ['tanh', {}, 1e-8, 1e-8, 0.9999999999999999],
  ['rrelu', {}, -3.0, -0.6875, 0.22916666666666666],
];

describe('the high-precision reference', () => {
  const agreeTo48Digits = (got: Decimal, want: string): boolean =>
    got.minus(want).abs().lte(new Decimal(want).abs().times('1e-48'));

  it('agrees with mpmath on erfc to 48 digits, down to erfc(30) ≈ 2.6e−393', () => {
    for (const [y, want] of MPMATH_ERFC) expect(agreeTo48Digits(erfcDecimal(new Decimal(y)), want), `erfc(${y})`).toBe(true);
  });

  it('agrees with mpmath on erf to 48 digits, from erf(1e−300) to erf(6)', () => {
    for (const [y, want] of MPMATH_ERF) expect(agreeTo48Digits(erfDecimal(new Decimal(y)), want), `erf(${y})`).toBe(true);
  });

  it('reproduces values and derivatives computed with mpmath from the literal definitions', () => {
    for (const [id, params, x, value, derivative] of MPMATH_ACTIVATIONS) {
      expect(reference(id, params, x), `${id} ${JSON.stringify(params)} at ${x}`).toMatchObject({ value, derivative });
    }
  });

  it('rounds a result that lies on or next to a midpoint between two floats correctly', () => {
    const tiny = Number.MIN_VALUE;
    // prelu(−2·2⁻¹⁰⁷⁴) = −2⁻¹⁰⁷⁵ exactly: half way between −0 and −2⁻¹⁰⁷⁴, so half to even gives −0.
    expect(reference('prelu', {}, -2 * tiny).value).toBe(-0);
    // prelu(−6·2⁻¹⁰⁷⁴) = −1.5·2⁻¹⁰⁷⁴: half to even gives −2·2⁻¹⁰⁷⁴.
    expect(reference('prelu', {}, -6 * tiny).value).toBe(-2 * tiny);
    // gelu(2⁻¹⁰⁷⁴) = 2⁻¹⁰⁷⁵(1 + 2⁻¹⁰⁷⁴·2φ(0) + …): just above the midpoint, so it rounds up.
    expect(reference('gelu', {}, tiny).value).toBe(tiny);
    expect(reference('gelu', {}, -tiny).value).toBe(-0);
  });

  it('converts float64 inputs to Decimal exactly', () => {
    expect(new Decimal(exactDecimalString(0.1)).eq('0.1000000000000000055511151231257827021181583404541015625')).toBe(true);
    expect(new Decimal(exactDecimalString(-3)).eq(-3)).toBe(true);
    const Wide = Decimal.clone({ precision: 1000 });
    expect(new Wide(exactDecimalString(Number.MIN_VALUE)).eq(new Wide(2).pow(-1074))).toBe(true);
    expect(new Wide(exactDecimalString(Number.MAX_VALUE)).eq(new Wide(2).pow(1024).minus(new Wide(2).pow(971)))).toBe(true);
  });

  it('gives the same float64 results at 64 and at 128 digits', () => {
    const xs = [-745.3, -37.2, -7.1, -1.2784, -0.75, -1e-7, 3e-200, 0.3, 2.5, 19.99, 41.7, 1e100];
    for (const testCase of referenceCases) {
      for (const x of xs) {
        const at64 = reference(testCase.id, testCase.params, x);
        const at128 = reference(testCase.id, testCase.params, x, 128);
        expect(at64, `${testCase.label} at ${x}`).toMatchObject({ value: at128.value, derivative: at128.derivative });
      }
    }
  });
});
