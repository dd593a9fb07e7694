import type { ResolvedActivation } from '../activations/resolve.js';

/**
 * Where each activation stops being analytic, as a function of its parameters:
 * the points x where φ, φ′ or φ″ jumps. The Gaussian integrals are split there
 * (Gauss–Hermite across a kink converges only algebraically), and every piece
 * between two breakpoints is then either a polynomial of degree ≤ 2 (integrated
 * in closed form) or analytic (integrated numerically).
 *
 * The records list kinks at their default parameters only, and only where φ′
 * jumps; this table adds the parameter dependence and the φ″ jumps of the
 * ELU family. test/theory/breakpoints.test.ts checks it against the records'
 * kinks and scans every kernel for derivative jumps the table would miss.
 *
 * Not listed, deliberately: rrelu in train mode (the mean-field integrals use
 * the eval-mode kernel, slope (lower + upper)/2).
 */
type BreakpointRule = (params: Record<string, number | string>) => readonly number[];

function numberParam(params: Record<string, number | string>, name: string): number {
  const value = params[name];
  if (typeof value !== 'number') throw new TypeError(`breakpoints: parameter ${name} is not a number`);
  return value;
}

const atZero: BreakpointRule = () => [0];

/** Relative size (in units of 1/β) below which softplus's jump at its threshold is ignored. */
const SOFTPLUS_NEGLIGIBLE_JUMP = 1e-8;

const rules: Readonly<Record<string, BreakpointRule>> = {
  relu: atZero,
  relu6: () => [0, 6],
  leaky_relu: atZero,
  prelu: atZero,
  rrelu: atZero,
  // φ″ jumps at 0 for every α (φ′ too unless α = 1); SELU's φ′ jumps from λα to λ.
  elu: atZero,
  selu: atZero,
  celu: atZero,
  // x/(1 + |x|): φ″ jumps from 2 to −2 at 0.
  softsign: atZero,
  hardtanh: (params) => [numberParam(params, 'minVal'), numberParam(params, 'maxVal')],
  hardsigmoid: () => [-3, 3],
  hardswish: () => [-3, 3],
  softshrink: (params) => [-numberParam(params, 'lambda'), numberParam(params, 'lambda')],
  hardshrink: (params) => [-numberParam(params, 'lambda'), numberParam(params, 'lambda')],
  threshold: (params) => [numberParam(params, 'threshold')],
  // PyTorch's switch to x above βx = t leaves a jump of ln(1 + e^{−t})/β ≈ e^{−t}/β: a breakpoint
  // only when that is not negligible (t < 18.4). At the default t = 20 it is 2e−9/β and moves the
  // integrals by < 1e−9 relative, while splitting there would double the kernel calls per integral.
  softplus: (params) => {
    const threshold = numberParam(params, 'threshold');
    return Math.exp(-threshold) > SOFTPLUS_NEGLIGIBLE_JUMP ? [threshold / numberParam(params, 'beta')] : [];
  },
};

/**
 * The x-scale s on which φ varies, which sets how finely the integrals resolve
 * φ(√q z) near z = 0 and the breakpoints, and how far Gauss–Hermite is trusted
 * (q ≤ s²). For an analytic φ it is the distance of its nearest complex
 * singularity from the real axis in units of π/2, the distance for tanh
 * (poles at ±iπ/2; Gauss–Hermite converges like e^{−c·s·√(n/q)}): 2 for
 * sigmoid, SiLU, logsigmoid and softplus (poles or branch points at ±iπ), 1.5 for
 * mish (branch points at 0.35 ± 2.36i), 2 for exact GELU (entire; its
 * tanh form has tanh's poles, 1). Parameters that stretch x stretch s: 1/β for
 * softplus and swish, |α| for CELU. 1 for every other activation.
 */
const featureScales: Readonly<Record<string, (params: Record<string, number | string>) => number>> = {
  sigmoid: () => 2,
  silu: () => 2,
  logsigmoid: () => 2,
  mish: () => 1.5,
  gelu: (params) => (params.approximate === 'tanh' ? 1 : 2),
  softplus: (params) => 2 / numberParam(params, 'beta'),
  swish: (params) => 2 / Math.abs(numberParam(params, 'beta')),
  celu: (params) => Math.abs(numberParam(params, 'alpha')),
};

/** The activation's feature scale (see `featureScales`); 1 when unset, and 1 for swish with β = 0 (x/2). */
export function featureScaleOf(activation: ResolvedActivation): number {
  const scale = featureScales[activation.record.id]?.(activation.params) ?? 1;
  return Number.isFinite(scale) && scale > 0 ? scale : 1;
}

/** The activation's breakpoints, ascending and distinct (empty for an analytic φ). */
export function breakpointsOf(activation: ResolvedActivation): number[] {
  const rule = rules[activation.record.id];
  if (rule === undefined) return [];
  return [...new Set(rule(activation.params))].sort((a, b) => a - b);
}
