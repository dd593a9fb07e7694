import type { z } from 'zod';

/**
 * The contract every activation file fulfils. A record is pure data plus a
 * kernel factory; the registry derives the catalogue, the request schemas and
 * the OpenAPI text from these records, and the simulators look kernels up here.
 */

/** Per-element functions of one activation with its parameters bound. */
export interface ScalarKernel {
  /** f(x). `index` is the element's position in the batch (only RReLU in train mode uses it). */
  value(x: number, index: number): number;
  /** f'(x), with PyTorch's autograd convention at the corners. */
  derivative(x: number, index: number): number;
  /** ∂f/∂θ for each learnable parameter θ (empty for functions without one). */
  paramGradients: Readonly<Record<string, (x: number, index: number) => number>>;
  /**
   * values[i] = f(x[i]) and derivatives[i] = f'(x[i]) for i < count, the same numbers as
   * `value` and `derivative`, for a function where one shared step gives both (tanh: one
   * expm1). The feed-forward simulator uses it when it is there.
   */
  valuesAndDerivatives?: (x: Float32Array | Float64Array, values: Float32Array | Float64Array, derivatives: Float32Array | Float64Array, count: number) => void;
}

export type EvaluationMode = 'eval' | 'train';

export interface KernelContext {
  /** `train` only changes stochastic activations (RReLU draws a slope per element). */
  mode: EvaluationMode;
  /** Number of elements the kernel will be applied to (indices 0 … count − 1). */
  count: number;
  /** Seeded uniform generator on [0, 1); the only randomness a kernel may use. */
  uniform: () => number;
}

export interface ActivationProperties {
  monotonic: boolean;
  smooth: boolean;
  zeroCentered: boolean;
  saturatesNegative: boolean;
  saturatesPositive: boolean;
}

export interface ActivationRange {
  /** Infimum at the default parameters; null when unbounded below. */
  min: number | null;
  /** Supremum at the default parameters; null when unbounded above. */
  max: number | null;
  /** The interval in mathematical notation, e.g. "(0, 1)" or "[0, \\infty)". */
  notation: string;
}

export interface Kink {
  /** Where f has no derivative (at the default parameters). */
  x: number;
  /** What is returned there and why (the catalogue adds the number itself from the kernel). */
  convention: string;
}

export interface Introduction {
  year: number;
  authors: string;
  reference: string;
}

export interface ActivationRecord<Schema extends z.ZodObject = z.ZodObject, Id extends string = string> {
  /** PyTorch's functional name, snake_case: `leaky_relu` (a literal type: the registry derives `ActivationId` from it). */
  id: Id;
  name: string;
  aliases: readonly string[];
  description: string;
  /** LaTeX. */
  formula: string;
  /** LaTeX. */
  derivativeFormula: string;
  /**
   * Strict zod object of the parameters (camelCase), every one with a default,
   * bounds and a `.describe()`; learnable ones carry `.meta({ learnable: true })`.
   * Cross-parameter rules (hardtanh minVal < maxVal) are refinements on the object.
   */
  paramsSchema: Schema;
  range: ActivationRange;
  properties: ActivationProperties;
  /** sup |f'| at the default parameters; null when unbounded. */
  maxDerivative: number | null;
  kinks: readonly Kink[];
  introduced: Introduction;
  /**
   * Where φ stops being analytic, as a function of the parameters: every x where
   * φ, φ′ or φ″ jumps (`kinks` lists only the φ′ jumps, at the defaults). The
   * mean-field integrals (src/theory) are split there: Gauss–Hermite across a
   * kink converges only algebraically, and every piece between two breakpoints
   * is then a polynomial of degree ≤ 2 or analytic. Omitted for an analytic φ.
   * test/theory/breakpoints.test.ts scans every kernel for jumps this misses.
   */
  breakpoints?(params: z.output<Schema>): readonly number[];
  /**
   * The x-scale s on which φ varies, which sets how finely the integrals resolve
   * φ(√q z) near z = 0 and the breakpoints, and how far Gauss–Hermite is trusted
   * (q ≤ s²). For an analytic φ it is the distance of its nearest complex
   * singularity from the real axis in units of π/2, the distance for tanh
   * (poles at ±iπ/2; Gauss–Hermite converges like e^{−c·s·√(n/q)}). Parameters
   * that stretch x stretch s. Omitted means 1.
   */
  featureScale?(params: z.output<Schema>): number;
  /**
   * The slope a of a leaky ReLU's negative branch (prelu's learnable one at its
   * initial value), which PReLU-aware He initialisation corrects for: variance
   * 2/((1 + a²)·fanIn), He et al. 2015. Stated by leaky_relu and prelu only;
   * every other activation is initialised as if a = 0 (rrelu too: its slope is random in training).
   */
  negativeSlope?(params: z.output<Schema>): number;
  /** Binds parameters (already validated, defaults filled in) to per-element functions. */
  kernel(params: z.output<Schema>, context: KernelContext): ScalarKernel;
}

/** Identity function that gives a record its precise parameter type and its id as a literal type. */
export function defineActivation<Schema extends z.ZodObject, Id extends string>(
  record: ActivationRecord<Schema, Id>,
): ActivationRecord<Schema, Id> {
  return record;
}

/** A kernel's parameter-gradient map for an activation without learnable parameters. */
export const noParamGradients: ScalarKernel['paramGradients'] = Object.freeze({});
