import type { z } from 'zod';
import { findActivation, type ActivationId, type RegisteredActivation } from './registry.js';

/** An activation with its parameters validated and every default filled in. */
export interface ResolvedActivation {
  record: RegisteredActivation;
  params: Record<string, number | string>;
}

/** Thrown when a reference names no activation. */
export class UnknownActivationError extends Error {
  override name = 'UnknownActivationError';
  constructor(readonly activationName: string) {
    super(`Unknown activation "${activationName}".`);
  }
}

/** Thrown when parameters fail the activation's schema; `issues` are zod's, paths relative to `params`. */
export class InvalidParametersError extends Error {
  override name = 'InvalidParametersError';
  constructor(
    readonly activationId: ActivationId,
    readonly issues: readonly z.core.$ZodIssue[],
  ) {
    super(`Invalid parameters for ${activationId}.`);
  }
}

export function resolveActivation(name: string, params: unknown = {}): ResolvedActivation {
  const record = findActivation(name);
  if (record === undefined) throw new UnknownActivationError(name);
  const parsed = record.paramsSchema.safeParse(params);
  if (!parsed.success) throw new InvalidParametersError(record.id, parsed.error.issues);
  return { record, params: parsed.data as Record<string, number | string> };
}
