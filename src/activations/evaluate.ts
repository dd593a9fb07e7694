import { createRandom } from '../random.js';
import type { ActivationId } from './registry.js';
import type { ResolvedActivation } from './resolve.js';
import type { EvaluationMode } from './types.js';

export type EvaluationOutput = 'value' | 'derivative' | 'paramGradients';

export interface EvaluationOptions {
  outputs: readonly EvaluationOutput[];
  mode: EvaluationMode;
  /** Seeds the stochastic activations (RReLU in train mode); ignored by the others. */
  seed: number;
}

/** Somewhere to put results, written in index order from 0. */
export interface Batch {
  length: number;
  [index: number]: number;
}

/**
 * Makes the array a result is written into: a Float64Array of the length
 * (the default, for binary answers and computation), or a growing plain
 * array (for JSON: JSON.stringify cannot write typed arrays, copying one
 * costs more than filling a plain array, and a packed array of doubles is
 * stringified twice as fast as a preallocated, holey one).
 */
export type BatchAllocator<B extends Batch> = (length: number) => B;

export const float64Batch: BatchAllocator<Float64Array<ArrayBuffer>> = (length) => new Float64Array(length);
export const plainBatch: BatchAllocator<number[]> = () => [];

export interface Evaluation<B extends Batch = Float64Array<ArrayBuffer>> {
  value?: B;
  derivative?: B;
  /** One array per learnable parameter; empty for activations without one. */
  paramGradients?: Record<string, B>;
}

/**
 * Thrown when a result is not finite. Kernels never produce NaN for finite
 * input, so this only happens when the true value exceeds the float64 range
 * (e.g. leaky_relu with negativeSlope 1e10 at x = −1e300).
 */
export class NonFiniteResultError extends Error {
  override name = 'NonFiniteResultError';
  constructor(
    readonly activationId: ActivationId,
    readonly output: string,
    readonly index: number,
    readonly x: number,
  ) {
    super(`${activationId}: the ${output} at x[${index}] = ${x} overflows float64.`);
  }
}

function fill<B extends Batch>(
  activationId: ActivationId,
  output: string,
  x: ArrayLike<number>,
  f: (value: number, index: number) => number,
  allocate: BatchAllocator<B>,
): B {
  const result = allocate(x.length);
  for (let index = 0; index < x.length; index++) {
    const y = f(x[index] as number, index);
    if (!Number.isFinite(y)) throw new NonFiniteResultError(activationId, output, index, x[index] as number);
    result[index] = y;
  }
  return result;
}

/** Evaluates one activation over a batch of inputs. */
export function evaluateActivation(activation: ResolvedActivation, x: ArrayLike<number>, options: EvaluationOptions): Evaluation;
export function evaluateActivation<B extends Batch>(
  activation: ResolvedActivation,
  x: ArrayLike<number>,
  options: EvaluationOptions,
  allocate: BatchAllocator<B>,
): Evaluation<B>;
export function evaluateActivation<B extends Batch>(
  { record, params }: ResolvedActivation,
  x: ArrayLike<number>,
  { outputs, mode, seed }: EvaluationOptions,
  allocate: BatchAllocator<B> = float64Batch as unknown as BatchAllocator<B>,
): Evaluation<B> {
  // Only stochastic kernels draw; seeding a Mersenne Twister costs more than evaluating a small batch.
  let random: ReturnType<typeof createRandom> | undefined;
  const uniform = (): number => (random ??= createRandom(seed)).uniform();
  const kernel = record.kernel(params, { mode, count: x.length, uniform });
  const evaluation: Evaluation<B> = {};
  if (outputs.includes('value')) evaluation.value = fill(record.id, 'value', x, kernel.value, allocate);
  if (outputs.includes('derivative')) evaluation.derivative = fill(record.id, 'derivative', x, kernel.derivative, allocate);
  if (outputs.includes('paramGradients')) {
    evaluation.paramGradients = Object.fromEntries(
      Object.entries(kernel.paramGradients).map(([name, gradient]) => [
        name,
        fill(record.id, `gradient with respect to ${name}`, x, gradient, allocate),
      ]),
    );
  }
  return evaluation;
}

/** `count` evenly spaced points from `start` to `stop`, both included. */
export function gridPoints(start: number, stop: number, count: number): Float64Array<ArrayBuffer>;
export function gridPoints<B extends Batch>(start: number, stop: number, count: number, allocate: BatchAllocator<B>): B;
export function gridPoints<B extends Batch>(
  start: number,
  stop: number,
  count: number,
  allocate: BatchAllocator<B> = float64Batch as unknown as BatchAllocator<B>,
): B {
  const points = allocate(count);
  if (count === 1) {
    points[0] = start;
    return points;
  }
  // start·(1 − t) + stop·t cannot overflow, unlike start + (stop − start)·t for ±1e308 ends.
  for (let index = 0; index < count - 1; index++) {
    const t = index / (count - 1);
    points[index] = start * (1 - t) + stop * t;
  }
  if (count > 1) points[count - 1] = stop;
  return points;
}
