import type { FastifyReply, FastifyRequest } from 'fastify';
import type { JobEngine } from './engine.js';

/**
 * A job's events as Server-Sent Events (text/event-stream): every event with
 * its `id:`, so that a client reconnecting with Last-Event-ID gets what it
 * missed and nothing twice; a comment line every `heartbeatMs` keeps proxies
 * and idle timeouts from closing a quiet stream. The stream ends after the
 * final event (succeeded, failed or cancelled), or when the client leaves.
 */

export const EVENT_STREAM_MEDIA_TYPE = 'text/event-stream';

/** How long a client waits before reconnecting after the stream broke (the `retry:` field). */
const RECONNECT_MS = 2000;

const frame = (id: string, event: string, data: unknown): string => `id: ${id}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

export async function streamEvents(engine: JobEngine, id: string, after: string | undefined, request: FastifyRequest, reply: FastifyReply, heartbeatMs: number): Promise<void> {
  const controller = new AbortController();
  const raw = reply.raw;
  raw.once('close', () => controller.abort());
  reply.hijack();
  raw.writeHead(200, {
    ...(reply.getHeaders() as Record<string, string>),
    'content-type': `${EVENT_STREAM_MEDIA_TYPE}; charset=utf-8`,
    'cache-control': 'no-store',
    // nginx would otherwise buffer the stream.
    'x-accel-buffering': 'no',
  });
  raw.write(`retry: ${RECONNECT_MS}\n\n`);
  const heartbeat = setInterval(() => raw.write(': heartbeat\n\n'), heartbeatMs);
  try {
    for await (const event of engine.events(id, after, controller.signal)) {
      if (raw.destroyed) break;
      raw.write(frame(event.id, event.event, event.data));
    }
  } catch (error) {
    // The store went away mid-stream: the client reconnects with its Last-Event-ID and misses nothing.
    request.log.warn({ err: error }, 'a job event stream ended early');
  } finally {
    clearInterval(heartbeat);
    raw.end();
  }
}
