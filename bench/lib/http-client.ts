/**
 * One request on its own fresh connection (no keep-alive pool), with every
 * outcome classified: a status and a complete body, a refused connection, or
 * a broken one (reset, or a body cut short). The load tests need to tell a
 * clean refusal from a reset mid-response, which fetch() blurs.
 */
import { request } from 'node:http';

export interface Outcome {
  /** 'response' when a complete response arrived; otherwise what went wrong. */
  kind: 'response' | 'refused' | 'broken';
  status?: number;
  contentType?: string;
  body?: string;
  /** The error code (ECONNREFUSED, ECONNRESET, …) or a description. */
  error?: string;
}

export interface SendOptions {
  method?: 'GET' | 'POST';
  body?: string;
  headers?: Record<string, string>;
  /** Called when the status line and headers have arrived. */
  onHeaders?: (status: number) => void;
  /** Stop reading the body after the headers until this settles (a slow client). */
  holdBodyUntil?: Promise<unknown>;
  timeoutMs?: number;
}

export function send(url: string, options: SendOptions = {}): Promise<Outcome> {
  const { method = 'GET', body, headers = {}, onHeaders, holdBodyUntil, timeoutMs = 30_000 } = options;
  return new Promise((resolve) => {
    let settled = false;
    const settle = (outcome: Outcome): void => {
      if (settled) return;
      settled = true;
      resolve(outcome);
    };
    const outgoing = request(
      url,
      {
        method,
        agent: false,
        timeout: timeoutMs,
        headers: body === undefined ? headers : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers },
      },
      (response) => {
        const status = response.statusCode ?? 0;
        onHeaders?.(status);
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.once('end', () => {
          settle({ kind: 'response', status, contentType: response.headers['content-type'], body: Buffer.concat(chunks).toString() });
        });
        // 'aborted' then 'close' without 'end': the body was cut short.
        response.once('close', () => {
          if (!response.complete) settle({ kind: 'broken', status, error: 'response body cut short' });
        });
        if (holdBodyUntil !== undefined) {
          response.pause();
          void holdBodyUntil.finally(() => response.resume());
        }
      },
    );
    outgoing.once('timeout', () => outgoing.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    outgoing.once('error', (error: NodeJS.ErrnoException) => {
      settle({ kind: error.code === 'ECONNREFUSED' ? 'refused' : 'broken', error: error.code ?? error.message });
    });
    outgoing.end(body);
  });
}
