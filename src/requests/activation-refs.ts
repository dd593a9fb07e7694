import { findActivation } from '../activations/registry.js';
import { InvalidParametersError, resolveActivation, type ResolvedActivation } from '../activations/resolve.js';
import { ProblemError } from '../problems.js';
import { toFieldErrors } from '../validation-issues.js';

/**
 * Activations as plans carry them: the canonical id and the validated, completed
 * parameters. Plain data, so a plan can cross into a worker; `bind` gives the
 * record back without validating again.
 */
export interface ActivationRef {
  id: string;
  params: Record<string, number | string>;
}

/** An activation reference as a request spells it: an id, or `{ id, params }`. */
export type ActivationReference = string | { id: string; params?: Record<string, number | string> | undefined };

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

/** Validates a reference found at `path` of the request (its parameters at `path.params`). */
export function refOf(reference: ActivationReference, path: readonly PropertyKey[]): ActivationRef {
  const resolved =
    typeof reference === 'string'
      ? resolveReference(reference, {}, [...path, 'params'])
      : resolveReference(reference.id, reference.params ?? {}, [...path, 'params']);
  return refOfResolved(resolved);
}

export const refOfResolved = ({ record, params }: ResolvedActivation): ActivationRef => ({ id: record.id, params });

/** The record of a reference made by `refOf`; its parameters are trusted as they are. */
export function bind(ref: ActivationRef): ResolvedActivation {
  const record = findActivation(ref.id);
  if (record === undefined) throw new Error(`bind: no activation ${ref.id} (a plan must come from refOf)`);
  return { record, params: ref.params };
}
