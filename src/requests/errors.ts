import { NonFiniteResultError } from '../activations/evaluate.js';
import { PlotInputError } from '../plots/index.js';
import { ProblemError, type ProblemKind } from '../problems.js';
import { NetworkShapeError, SimulationOverflowError } from '../simulation/errors.js';
import { InitializationError } from '../simulation/init.js';
import { RecurrentOverflowError } from '../simulation/recurrent/index.js';

/**
 * The one place where the numeric core's errors become problems, on whichever
 * thread the work ran. Anything not listed is a bug and becomes a 500.
 */
export function problemFromError(error: unknown): ProblemError | undefined {
  if (error instanceof ProblemError) return error;
  if (error instanceof NetworkShapeError) {
    const path = error.layer === null ? error.field : `network.layers.${error.layer - 1}.${error.field}`;
    return new ProblemError('validation', error.message, { errors: [{ path, message: error.message }] });
  }
  if (error instanceof InitializationError || error instanceof PlotInputError) {
    return new ProblemError('validation', error.message, { errors: [{ path: '', message: error.message }] });
  }
  if (error instanceof SimulationOverflowError || error instanceof RecurrentOverflowError) {
    return new ProblemError('unprocessable', error.message);
  }
  if (error instanceof NonFiniteResultError) {
    return new ProblemError('unprocessable', `${error.message} Narrow the inputs or the parameters.`, {
      activation: error.activationId,
      index: error.index,
    });
  }
  return undefined;
}

/** A problem as it crosses the thread boundary (error classes do not survive structured clone). */
export interface SerializedProblem {
  kind: ProblemKind;
  detail: string;
  extensions: Record<string, unknown>;
  headers: Record<string, string>;
}

export const serializeProblem = ({ kind, detail, extensions, headers }: ProblemError): SerializedProblem => ({ kind, detail, extensions, headers });

export const deserializeProblem = ({ kind, detail, extensions, headers }: SerializedProblem): ProblemError =>
  new ProblemError(kind, detail, extensions, headers);
