import type { z } from 'zod';
import { ProblemError, type FieldError } from '../problems.js';
import { toFieldErrors, unlistedErrors } from '../validation-issues.js';

/** The one 400 for an invalid request part, wherever it was validated (Fastify on the event loop, or a worker). */

/** A problem lists at most this many field errors; `errorCount` then says how many there were. */
export const MAX_FIELD_ERRORS = 20;

/** `unlisted`: errors counted but not listed by the schema (capped number lists). */
export function validationProblem(location: string, errors: readonly FieldError[], unlisted = 0): ProblemError {
  const total = errors.length + unlisted;
  const count = total === 1 ? '1 error' : `${total} errors`;
  if (total <= MAX_FIELD_ERRORS) {
    return new ProblemError('validation', `The request ${location} is invalid: ${count}.`, { errors });
  }
  const listed = errors.slice(0, MAX_FIELD_ERRORS);
  return new ProblemError('validation', `The request ${location} is invalid: ${count}; the first ${listed.length} are listed.`, {
    errors: listed,
    errorCount: total,
  });
}

/** Validates a request body with its schema, as Fastify's validator would, throwing the same problem. */
export function validateBody<Output>(schema: z.ZodType<Output>, value: unknown): Output {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw validationProblem('body', toFieldErrors(parsed.error.issues), unlistedErrors(parsed.error.issues));
}
