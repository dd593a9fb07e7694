import { createRandom } from '../random.js';
import type { ResolvedActivation } from './resolve.js';
import type { EvaluationMode } from './types.js';

export type EvaluationOutput = 'value' | 'derivative' | 'paramGradients';

export interface EvaluationOptions {
  outputs: readonly EvaluationOutput[];
  mode: EvaluationMode;
  /** Seeds the stochastic activations (RReLU in train mode); ignored by the others. */
  seed: number;
}

export interface Evaluation {
  value?: Float64Array;
  derivative?: Float64Array;
  /** One array per learnable parameter; empty for activations without one. */
  paramGradients?: Record<string, Float64Array>;
}

/**
 * Thrown when a result is not finite. Kernels never produce NaN for finite
 * input, so this only happens when the true value exceeds the float64 range
 * (e.g. leaky_relu with negativeSlope 1e10 at x = −1e300).
 */
export class NonFiniteResultError extends Error {
  override name = 'NonFiniteResultError';
  constructor(
    readonly activationId: string,
    readonly output: string,
    readonly index: number,
    readonly x: number,
  ) {
    super(`${activationId}: the ${output} at x[${index}] = ${x} overflows float64.`);
  }
}

function fill(
  activationId: string,
  output: string,
  x: ArrayLike<number>,
  f: (value: number, index: number) => number,
): Float64Array {
  const result = new Float64Array(x.length);
  for (let index = 0; index < x.length; index++) {
    const y = f(x[index] as number, index);
    if (!Number.isFinite(y)) throw new NonFiniteResultError(activationId, output, index, x[index] as number);
    result[index] = y;
  }
  return result;
}

/** Evaluates one activation over a batch of inputs. */
export function evaluateActivation(
  { record, params }: ResolvedActivation,
  x: ArrayLike<number>,
  { outputs, mode, seed }: EvaluationOptions,
): Evaluation {
  // Only stochastic kernels draw; seeding a Mersenne Twister costs more than evaluating a small batch.
  let random: ReturnType<typeof createRandom> | undefined;
  const uniform = (): number => (random ??= createRandom(seed)).uniform();
  const kernel = record.kernel(params, { mode, count: x.length, uniform });
  const evaluation: Evaluation = {};
  if (outputs.includes('value')) evaluation.value = fill(record.id, 'value', x, kernel.value);
  if (outputs.includes('derivative')) evaluation.derivative = fill(record.id, 'derivative', x, kernel.derivative);
  if (outputs.includes('paramGradients')) {
    evaluation.paramGradients = Object.fromEntries(
      Object.entries(kernel.paramGradients).map(([name, gradient]) => [
        name,
        fill(record.id, `gradient with respect to ${name}`, x, gradient),
      ]),
    );
  }
  return evaluation;
}

/** `count` evenly spaced points from `start` to `stop`, both included. */
export function gridPoints(start: number, stop: number, count: number): Float64Array<ArrayBuffer> {
  const points = new Float64Array(count);
  if (count === 1) {
    points[0] = start;
    return points;
  }
  // start·(1 − t) + stop·t cannot overflow, unlike start + (stop − start)·t for ±1e308 ends.
  for (let index = 0; index < count; index++) {
    const t = index / (count - 1);
    points[index] = start * (1 - t) + stop * t;
  }
  points[count - 1] = stop;
  return points;
}
