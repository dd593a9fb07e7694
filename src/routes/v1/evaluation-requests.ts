import {
  evaluateActivation,
  gridPoints,
  NonFiniteResultError,
  plainBatch,
  type Batch,
  type BatchAllocator,
  type Evaluation,
  type EvaluationOptions,
} from '../../activations/evaluate.js';
import { InvalidParametersError, resolveActivation, type ResolvedActivation } from '../../activations/resolve.js';
import { ProblemError } from '../../problems.js';
import { toFieldErrors } from '../../validation-issues.js';

/** What the evaluate routes share: inputs, activation references, limits, and turning results into JSON. */

interface InputFields {
  x?: number[] | undefined;
  grid?: { start: number; stop: number; count: number } | undefined;
}

/** Refuses with 413 a request for more than `maxElements` evaluated elements (inputs × activations). */
export function refuseTooManyElements(count: number, activationCount: number, maxElements: number): void {
  const elements = count * activationCount;
  if (elements > maxElements) {
    const what = activationCount === 1 ? `${count} inputs` : `${count} inputs × ${activationCount} activations = ${elements} elements`;
    throw new ProblemError('tooLarge', `The request asks for ${what}; the limit is ${maxElements} elements.`, {
      elements,
      limit: maxElements,
    });
  }
}

/**
 * The inputs of a JSON request as a plain array (answered back as `x`), refused first when too many;
 * a grid is checked before anything is allocated.
 */
export function requestInputs(body: InputFields, activationCount: number, maxElements: number): number[] {
  refuseTooManyElements(body.x?.length ?? body.grid?.count ?? 0, activationCount, maxElements);
  if (body.x !== undefined) return body.x;
  const grid = body.grid as NonNullable<InputFields['grid']>;
  return gridPoints(grid.start, grid.stop, grid.count, plainBatch);
}

/** Resolves an activation, reporting bad parameters as validation errors under `paramsPath`. */
export function resolveReference(name: string, params: unknown, paramsPath: readonly PropertyKey[]): ResolvedActivation {
  try {
    return resolveActivation(name, params);
  } catch (error) {
    if (error instanceof InvalidParametersError) {
      const errors = toFieldErrors(error.issues, paramsPath);
      throw new ProblemError('validation', `Invalid parameters for ${error.activationId}.`, { errors });
    }
    throw error;
  }
}

/** Evaluates, refusing with 422 a result that overflows float64 (neither JSON nor a client could use it). */
export function evaluateOrRefuse<B extends Batch>(
  activation: ResolvedActivation,
  x: ArrayLike<number>,
  options: EvaluationOptions,
  allocate: BatchAllocator<B>,
): Evaluation<B> {
  try {
    return evaluateActivation(activation, x, options, allocate);
  } catch (error) {
    if (error instanceof NonFiniteResultError) {
      throw new ProblemError('unprocessable', `${error.message} Narrow the inputs or the parameters.`, {
        activation: error.activationId,
        index: error.index,
      });
    }
    throw error;
  }
}

/** Evaluates into plain arrays, ready for JSON. */
export function evaluateToJson(activation: ResolvedActivation, x: ArrayLike<number>, options: EvaluationOptions): Evaluation<number[]> {
  return evaluateOrRefuse(activation, x, options, plainBatch);
}
