import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ProblemError } from '../../src/problems.js';
import { validateBody, validationProblem } from '../../src/requests/validation.js';
import { finiteNumbers } from '../../src/schemas/numbers.js';
import { MAX_ECHO_LENGTH } from '../../src/validation-issues.js';

const problemOf = (schema: z.ZodType, value: unknown): ProblemError => {
  try {
    validateBody(schema, value);
  } catch (error) {
    if (error instanceof ProblemError) return error;
    throw error;
  }
  throw new Error('the value was accepted');
};

describe('validationProblem', () => {
  it('lists every error when there are at most 20', () => {
    const problem = validationProblem('body', [{ path: 'x', message: 'bad' }]);
    expect(problem.detail).toBe('The request body is invalid: 1 error.');
    expect(problem.extensions).toEqual({ errors: [{ path: 'x', message: 'bad' }] });
  });

  it('lists the first 20 and counts the rest, including errors counted but not listed', () => {
    const errors = Array.from({ length: 25 }, (_, index) => ({ path: `x.${index}`, message: 'bad' }));
    const problem = validationProblem('body', errors, 1000);
    expect(problem.detail).toBe('The request body is invalid: 1025 errors; the first 20 are listed.');
    expect(problem.extensions['errors']).toHaveLength(20);
    expect(problem.extensions['errorCount']).toBe(1025);
  });
});

describe('validateBody with capped number lists', () => {
  const schema = z.object({ x: finiteNumbers() }).strict();

  it('counts every bad element of a long list but lists only the first 20', () => {
    const x = Array.from({ length: 100_000 }, (_, index) => (index % 2 === 0 ? {} : 1));
    const problem = problemOf(schema, { x });
    expect(problem.extensions['errorCount']).toBe(50_000);
    expect(problem.extensions['errors']).toHaveLength(20);
    expect((problem.extensions['errors'] as { path: string }[])[0]).toEqual({ path: 'x.0', message: 'Invalid input: expected number, received object' });
  });

  it('does not echo a huge unknown key back', () => {
    const key = 'k'.repeat(1_000_000);
    const problem = problemOf(schema, { x: [1], [key]: 0 });
    const [error] = problem.extensions['errors'] as { path: string; message: string }[];
    expect(error?.path.length).toBeLessThan(MAX_ECHO_LENGTH + 40);
    expect(error?.message.length).toBeLessThan(MAX_ECHO_LENGTH + 60);
    expect(error?.path).toMatch(/… \(1000000 characters\)$/);
  });
});
