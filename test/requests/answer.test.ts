import { describe, expect, it } from 'vitest';
import { ProblemError } from '../../src/problems.js';
import { jsonOf } from '../../src/requests/answer.js';
import type { Operation } from '../../src/requests/operation.js';

/** jsonOf reads only the operation's `json` (absent: the result is the JSON value). */
const plain = {} as Operation;

const refusal = (result: unknown): ProblemError => {
  try {
    jsonOf(plain, result, undefined);
  } catch (error) {
    if (error instanceof ProblemError) return error;
    throw error;
  }
  throw new Error(`${JSON.stringify(result)} was accepted`);
};

describe('jsonOf', () => {
  it('passes a finite result through unchanged', () => {
    const result = { x: [0, 1], results: [{ value: [0.5, -2], params: { alpha: 1 } }], label: 'ok', missing: null };
    expect(jsonOf(plain, result, undefined)).toBe(result);
  });

  it('refuses a non-finite number with 422, naming where it is in the result', () => {
    const problem = refusal({ x: [0, 1], results: [{ value: [0.5, -2] }, { value: [1, Number.POSITIVE_INFINITY] }] });
    expect(problem.kind).toBe('unprocessable');
    expect(problem.detail).toContain('(result.results.1.value.1)');
    expect(refusal(Number.NaN).detail).toContain('(result)');
    expect(refusal([[1], [2, Number.NaN]]).detail).toContain('(result.1.1)');
  });
});
