import { z } from 'zod';

/**
 * Arrays of finite numbers that validate in one tight loop and report at most
 * `MAX_ELEMENT_ISSUES` bad elements (plus one issue counting the rest).
 * `z.array(z.number())` makes one issue per bad element: a body of a million
 * `{}` would build a million issue objects (hundreds of MB) before the 400.
 * In the OpenAPI document they read as plain arrays of numbers.
 */

export const MAX_ELEMENT_ISSUES = 20;

const isFinite = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

interface Reporter {
  bad: number;
  report(issue: { path: PropertyKey[]; message: string; input: unknown }): void;
}

function reporterFor(ctx: z.core.ParsePayload<unknown>): Reporter {
  return {
    bad: 0,
    report({ path, message, input }) {
      this.bad += 1;
      if (this.bad <= MAX_ELEMENT_ISSUES) ctx.issues.push({ code: 'custom', path, message, input });
    },
  };
}

/** One issue that counts the bad elements beyond the listed ones (the problem's `errorCount` adds them; it is not listed itself). */
function reportTheRest(ctx: z.core.ParsePayload<unknown>, reporter: Reporter, what: string): void {
  if (reporter.bad > MAX_ELEMENT_ISSUES) {
    ctx.issues.push({
      code: 'custom',
      path: [],
      input: undefined,
      params: { unlisted: reporter.bad - MAX_ELEMENT_ISSUES },
      message: `${reporter.bad} ${what} in all are not finite numbers (the first ${MAX_ELEMENT_ISSUES} are listed).`,
    });
  }
}

/** zod's own wording for a bad number, so that clients see the same message as before. */
function notANumber(input: unknown): string {
  const received = input === null ? 'null' : Array.isArray(input) ? 'array' : typeof input;
  return `Invalid input: expected number, received ${received}`;
}

/** A list of finite numbers, at least `min` long. */
export function finiteNumbers(min = 1) {
  return z
    .custom<number[]>((value) => Array.isArray(value), 'Invalid input: expected array')
    .check((ctx) => {
      const reporter = reporterFor(ctx);
      const values: unknown[] = ctx.value;
      if (values.length < min) ctx.issues.push({ code: 'custom', path: [], input: undefined, message: `Too small: expected array to have >=${min} items` });
      for (let index = 0; index < values.length; index++) {
        const value = values[index];
        if (!isFinite(value)) reporter.report({ path: [index], message: notANumber(value), input: undefined });
      }
      reportTheRest(ctx, reporter, 'elements');
    })
    .meta({ type: 'array', minItems: min, items: { type: 'number' } });
}

/** Rows of finite numbers (at least one row, at most `maxRows`, each at least one number). */
export function finiteMatrix(maxRows?: number) {
  return z
    .custom<number[][]>((value) => Array.isArray(value), 'Invalid input: expected array')
    .check((ctx) => {
      const reporter = reporterFor(ctx);
      const rows: unknown[] = ctx.value;
      if (rows.length === 0 || (maxRows !== undefined && rows.length > maxRows)) {
        ctx.issues.push({ code: 'custom', path: [], input: undefined, message: `Expected 1 to ${maxRows ?? 'any number of'} rows, got ${rows.length}` });
        return;
      }
      for (let row = 0; row < rows.length; row++) {
        const values = rows[row];
        if (!Array.isArray(values) || values.length === 0) {
          reporter.report({ path: [row], message: 'Expected a non-empty list of numbers', input: undefined });
          continue;
        }
        for (let column = 0; column < values.length; column++) {
          const value: unknown = values[column];
          if (!isFinite(value)) reporter.report({ path: [row, column], message: notANumber(value), input: undefined });
        }
      }
      reportTheRest(ctx, reporter, 'entries');
    })
    .meta({ type: 'array', minItems: 1, ...(maxRows === undefined ? {} : { maxItems: maxRows }), items: { type: 'array', minItems: 1, items: { type: 'number' } } });
}
