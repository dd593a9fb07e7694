import secureJson from 'secure-json-parse';
import { ProblemError } from '../problems.js';

/**
 * JSON bodies. Small ones are parsed on the event loop as Fastify would;
 * larger ones are handed on unparsed (`DeferredJsonBody`) and parsed and
 * validated on a worker thread, so a 64 MiB body cannot hold the loop. Both
 * refuse `__proto__` and `constructor.prototype` keys, as Fastify does.
 */

/** Bodies up to this size are parsed on the event loop (JSON.parse runs at a few hundred MB/s: ~2 ms). */
export const INLINE_JSON_BYTES = 512 * 1024;

/** A JSON body too large to parse on the event loop, carried to a worker as bytes. */
export class DeferredJsonBody {
  constructor(readonly bytes: Uint8Array) {}
}

export function parseJson(text: string | Uint8Array): unknown {
  const source = typeof text === 'string' ? text : Buffer.from(text.buffer, text.byteOffset, text.byteLength).toString('utf8');
  if (source.trim() === '') throw new ProblemError('malformed', 'The body is empty; send a JSON object.');
  try {
    return secureJson.parse(source, undefined, { protoAction: 'error', constructorAction: 'error' });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new ProblemError('malformed', `The body is not valid JSON: ${message}`);
  }
}
