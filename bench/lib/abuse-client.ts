/**
 * The abuse suite's HTTP clients: one request with every outcome classified and
 * its size counted without keeping a 200 MB answer in memory (`exchange`), and
 * a raw TCP conversation for what an HTTP client will not send: trickled
 * headers, bad framing, CONNECT, pipelining (`rawExchange`). Loopback only.
 */
import { request, type Agent, type IncomingHttpHeaders } from 'node:http';
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** How much of a body is kept for inspection (problems are small; a larger body is only counted). */
const KEPT_BODY_BYTES = 1024 * 1024;

export interface Exchange {
  /** 'response': a complete response; otherwise how it ended. */
  kind: 'response' | 'refused' | 'broken' | 'timeout' | 'abandoned';
  method: string;
  path: string;
  status?: number;
  headers?: IncomingHttpHeaders;
  /** Body bytes received (all of them, even past what is kept). */
  bytes: number;
  /** The body's first KEPT_BODY_BYTES, as text. */
  body: string;
  /** Whether `body` is only the beginning. */
  truncated: boolean;
  /** From sending to the end of the response (or of the attempt). */
  ms: number;
  error?: string;
}

export interface ExchangeOptions {
  method?: string;
  headers?: Record<string, string | number>;
  body?: string | Buffer;
  /** Give up (destroying the connection) after this long. */
  timeoutMs?: number;
  /** Destroy the connection after this long on purpose: a client that goes away (kind 'abandoned'). */
  abandonAfterMs?: number;
  /** A keep-alive agent for floods; a fresh connection per request by default. */
  agent?: Agent;
}

export function exchange(baseUrl: string, path: string, options: ExchangeOptions = {}): Promise<Exchange> {
  const { method = options.body === undefined ? 'GET' : 'POST', body, timeoutMs = 30_000, abandonAfterMs, agent } = options;
  const headers: Record<string, string | number> =
    body === undefined ? { ...options.headers } : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...options.headers };
  const started = performance.now();
  return new Promise((resolve) => {
    let settled = false;
    let bytes = 0;
    const kept: Buffer[] = [];
    let keptBytes = 0;
    let status: number | undefined;
    let responseHeaders: IncomingHttpHeaders | undefined;
    const timers: NodeJS.Timeout[] = [];
    const settle = (kind: Exchange['kind'], error?: string): void => {
      if (settled) return;
      settled = true;
      for (const timer of timers) clearTimeout(timer);
      resolve({
        kind,
        method,
        path,
        ...(status === undefined ? {} : { status }),
        ...(responseHeaders === undefined ? {} : { headers: responseHeaders }),
        bytes,
        body: Buffer.concat(kept).toString(),
        truncated: bytes > keptBytes,
        ms: performance.now() - started,
        ...(error === undefined ? {} : { error }),
      });
    };
    const outgoing = request(`${baseUrl}${path}`, { method, headers, agent: agent ?? false }, (response) => {
      status = response.statusCode;
      responseHeaders = response.headers;
      response.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        if (keptBytes < KEPT_BODY_BYTES) {
          kept.push(chunk.subarray(0, KEPT_BODY_BYTES - keptBytes));
          keptBytes += Math.min(chunk.length, KEPT_BODY_BYTES - keptBytes);
        }
      });
      response.once('end', () => settle('response'));
      response.once('close', () => {
        if (!response.complete) settle('broken', 'response body cut short');
      });
    });
    timers.push(
      setTimeout(() => {
        settle('timeout', `no complete answer within ${timeoutMs} ms`);
        outgoing.destroy();
      }, timeoutMs),
    );
    if (abandonAfterMs !== undefined) {
      timers.push(
        setTimeout(() => {
          settle('abandoned');
          outgoing.destroy();
        }, abandonAfterMs),
      );
    }
    outgoing.once('error', (error: NodeJS.ErrnoException) => settle(error.code === 'ECONNREFUSED' ? 'refused' : 'broken', error.code ?? error.message));
    outgoing.end(body);
  });
}

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface RawConversation {
  /** Every byte the server sent. */
  received: Buffer;
  /** The responses in it (status line, headers, Content-Length body), in order. */
  responses: RawResponse[];
  /** Whether the server closed (or reset) the connection before the deadline. */
  closedByServer: boolean;
  /** When it closed, from the first byte sent. */
  closedAtMs?: number;
  /** When the first response's first byte arrived. */
  firstByteAtMs?: number;
  /** Bytes of the request the server took before closing. */
  sentBytes: number;
  error?: string;
}

export interface RawOptions {
  /** Sent at once. */
  data?: string | Buffer;
  /** Then this, one piece every `trickleEveryMs` (a slow client), while the connection is open. */
  trickle?: { pieces: readonly string[]; everyMs: number };
  /** Stop listening after this long (the connection is destroyed). */
  deadlineMs: number;
  /** Stop early once this many responses are complete. */
  responses?: number;
}

/** Parses the HTTP/1.1 responses in `bytes` (Content-Length framed, or up to the end). */
export function parseResponses(bytes: Buffer): RawResponse[] {
  const responses: RawResponse[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    const headerEnd = bytes.indexOf('\r\n\r\n', offset);
    if (headerEnd < 0) break;
    const [statusLine = '', ...lines] = bytes.subarray(offset, headerEnd).toString('latin1').split('\r\n');
    const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1] ?? Number.NaN);
    const headers: Record<string, string> = {};
    for (const line of lines) {
      const colon = line.indexOf(':');
      if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    const length = headers['content-length'] === undefined ? bytes.length - headerEnd - 4 : Number(headers['content-length']);
    const bodyEnd = Math.min(bytes.length, headerEnd + 4 + length);
    responses.push({ status, headers, body: bytes.subarray(headerEnd + 4, bodyEnd).toString() });
    offset = bodyEnd;
  }
  return responses;
}

/** One raw TCP conversation with the server on 127.0.0.1, bounded by `deadlineMs`. */
export function rawExchange(port: number, options: RawOptions): Promise<RawConversation> {
  const started = performance.now();
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const chunks: Buffer[] = [];
    let closedAtMs: number | undefined;
    let firstByteAtMs: number | undefined;
    let sentBytes = 0;
    let error: string | undefined;
    let finished = false;
    const finish = (closedByServer: boolean): void => {
      if (finished) return;
      finished = true;
      clearTimeout(deadline);
      socket.destroy();
      const received = Buffer.concat(chunks);
      resolve({
        received,
        responses: parseResponses(received),
        closedByServer,
        ...(closedAtMs === undefined ? {} : { closedAtMs }),
        ...(firstByteAtMs === undefined ? {} : { firstByteAtMs }),
        sentBytes,
        ...(error === undefined ? {} : { error }),
      });
    };
    const deadline = setTimeout(() => finish(false), options.deadlineMs);
    socket.on('data', (chunk: Buffer) => {
      firstByteAtMs ??= performance.now() - started;
      chunks.push(chunk);
      if (options.responses !== undefined && parseResponses(Buffer.concat(chunks)).length >= options.responses) finish(false);
    });
    socket.once('error', (socketError: NodeJS.ErrnoException) => (error = socketError.code ?? socketError.message));
    socket.once('close', () => {
      closedAtMs = performance.now() - started;
      finish(true);
    });
    const write = (piece: string | Buffer): void => {
      if (socket.destroyed || socket.writableEnded) return;
      sentBytes += Buffer.byteLength(piece);
      socket.write(piece);
    };
    socket.once('connect', () => {
      if (options.data !== undefined) write(options.data);
      const { trickle } = options;
      if (trickle === undefined) return;
      void (async () => {
        for (const piece of trickle.pieces) {
          await sleep(trickle.everyMs);
          if (finished || socket.destroyed) return;
          write(piece);
        }
      })();
    });
  });
}
