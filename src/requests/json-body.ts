import { ProblemError } from '../problems.js';

/**
 * JSON bodies. Small ones are parsed on the event loop as Fastify would;
 * larger ones are handed on unparsed (`DeferredJsonBody`) and parsed and
 * validated on a worker thread, so a 64 MiB body cannot hold the loop. Both
 * refuse `__proto__` and `constructor.prototype` keys, as Fastify does.
 *
 * The key check is our own rather than secure-json-parse's (which Fastify
 * uses): that one walks arrays with `for…in`, making a string of every index,
 * and a 64 MiB array with a `"constructor"` key elsewhere ran a worker out of
 * memory. Here arrays are walked by index and only objects' keys are read.
 */

/** Bodies up to this size are parsed on the event loop (JSON.parse runs at a few hundred MB/s: ~2 ms). */
export const INLINE_JSON_BYTES = 512 * 1024;

/** The charset a JSON Content-Type names when it is not UTF-8 (RFC 8259: JSON between systems is UTF-8), else null. */
export function jsonCharset(contentType: string | undefined): string | null {
  const match = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType ?? '');
  if (match === null) return null;
  const charset = (match[1] as string).toLowerCase();
  return charset === 'utf-8' || charset === 'utf8' ? null : charset.slice(0, 40);
}

/** A JSON body too large to parse on the event loop, carried to a worker as bytes. */
export class DeferredJsonBody {
  constructor(readonly bytes: Uint8Array) {}
}

export function parseJson(text: string | Uint8Array): unknown {
  const source = typeof text === 'string' ? text : Buffer.from(text.buffer, text.byteOffset, text.byteLength).toString('utf8');
  let value: unknown;
  try {
    value = JSON.parse(source);
  } catch (error) {
    // Told apart only once parsing failed: trimming every body first copied it.
    if (source.trim() === '') throw new ProblemError('malformed', 'The body is empty; send a JSON object.');
    const message = error instanceof Error ? error.message : String(error);
    throw new ProblemError('malformed', `The body is not valid JSON: ${message}`);
  }
  if (mayPollute(source)) refusePollutingKeys(value);
  return value;
}

/**
 * Whether a body could spell `__proto__` or `constructor` as a key. Either is spelt out in plain letters or
 * holds a \u escape, so two substring searches rule most bodies out before the pattern runs (the pattern
 * alone, run over every small body, cost more than parsing it).
 */
function mayPollute(source: string): boolean {
  return (source.includes('__proto__') || source.includes('constructor') || source.includes('\\u')) && MAY_POLLUTE.test(source);
}

/** Only a body that spells one of the two keys can hold them (the same pre-check secure-json-parse makes). */
const MAY_POLLUTE = /"(?:_|\\u005[Ff])(?:_|\\u005[Ff])(?:p|\\u0070)(?:r|\\u0072)(?:o|\\u006[Ff])(?:t|\\u0074)(?:o|\\u006[Ff])(?:_|\\u005[Ff])(?:_|\\u005[Ff])"|"(?:c|\\u0063)(?:o|\\u006[Ff])(?:n|\\u006[Ee])(?:s|\\u0073)(?:t|\\u0074)(?:r|\\u0072)(?:u|\\u0075)(?:c|\\u0063)(?:t|\\u0074)(?:o|\\u006[Ff])(?:r|\\u0072)"/;

const hasOwn = (value: object, key: string): boolean => Object.prototype.hasOwnProperty.call(value, key);

/** Refuses `__proto__` keys and `constructor` objects with a `prototype` key, anywhere in the value (iteratively: no recursion limit). */
function refusePollutingKeys(root: unknown): void {
  const pending: unknown[] = [root];
  while (pending.length > 0) {
    const node = pending.pop();
    if (node === null || typeof node !== 'object') continue;
    if (Array.isArray(node)) {
      for (let index = 0; index < node.length; index++) {
        const item: unknown = node[index];
        if (item !== null && typeof item === 'object') pending.push(item);
      }
      continue;
    }
    if (hasOwn(node, '__proto__')) throw new ProblemError('malformed', 'The body is not valid JSON: Object contains forbidden prototype property');
    const record = node as Record<string, unknown>;
    const constructor = record['constructor'];
    if (hasOwn(node, 'constructor') && constructor !== null && typeof constructor === 'object' && hasOwn(constructor, 'prototype')) {
      throw new ProblemError('malformed', 'The body is not valid JSON: Object contains forbidden prototype property');
    }
    for (const key of Object.keys(record)) {
      const item = record[key];
      if (item !== null && typeof item === 'object') pending.push(item);
    }
  }
}
