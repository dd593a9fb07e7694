import type { z } from 'zod';
import { ProblemError, type FieldError } from '../problems.js';
import { toFieldErrors } from '../validation-issues.js';

/** The one 400 for an invalid request part, wherever it was validated (Fastify on the event loop, or a worker). */

/** A problem lists at most this many field errors; `errorCount` then says how many there were. */
export const MAX_FIELD_ERRORS = 20;

export function validationProblem(location: string, errors: readonly FieldError[]): ProblemError {
  const count = errors.length === 1 ? '1 error' : `${errors.length} errors`;
  if (errors.length <= MAX_FIELD_ERRORS) {
    return new ProblemError('validation', `The request ${location} is invalid: ${count}.`, { errors });
  }
  return new ProblemError('validation', `The request ${location} is invalid: ${count}; the first ${MAX_FIELD_ERRORS} are listed.`, {
    errors: errors.slice(0, MAX_FIELD_ERRORS),
    errorCount: errors.length,
  });
}

/** Validates a request body with its schema, as Fastify's validator would, throwing the same problem. */
export function validateBody<Output>(schema: z.ZodType<Output>, value: unknown): Output {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw validationProblem('body', toFieldErrors(parsed.error.issues));
}
