import { LogController, type FastifyReply, type FastifyRequest, type FastifyServerOptions, type HookHandlerDoneFunction } from 'fastify';
import pino from 'pino';
import type { Config } from './config.js';

/**
 * The service's logging: pino JSON lines on stdout, one per request (written
 * when the response ends, with the request id, route template, status and
 * duration) plus whatever the service reports itself.
 */

/**
 * JSON lines to stdout, collected into ~4 KB chunks, each written asynchronously by sonic-boom, and written
 * out at least every second. Measured per request line: an unbuffered asynchronous write (a thread-pool round
 * trip each) cost ~30 µs of CPU, a synchronous one ~5 µs. Left to sonic-boom's own buffer (minLength), a line
 * cost ~3 µs even written to /dev/null: each write measures the byte length of the whole buffered string, so
 * buffering n lines costs n² (16 KB: ~9 µs a line). Here the lines wait in an array and are joined once per
 * chunk: ~0.8 µs a line. What is left is written out when the process exits, however it exits; only a
 * process killed outright (SIGKILL, the kernel's out-of-memory killer, a crash in native code) loses up to a
 * second of lines.
 *
 * One stream per process, shared by every app built in it (the tests build many): each stream has its own
 * flush timer and exit hook, and two buffers on one descriptor could interleave out of order.
 */
const CHUNK_CHARACTERS = 4096;
const FLUSH_INTERVAL_MS = 1000;

type Destination = ReturnType<typeof pino.destination>;

/** pino's stream: lines gathered into chunks for a sonic-boom destination that writes each chunk as it comes. */
export class LineBatch {
  private lines: string[] = [];
  private characters = 0;

  constructor(
    private readonly destination: Pick<Destination, 'write' | 'flushSync'>,
    private readonly chunkCharacters = CHUNK_CHARACTERS,
  ) {}

  write(line: string): boolean {
    this.lines.push(line);
    this.characters += line.length;
    if (this.characters >= this.chunkCharacters) this.flush();
    return true;
  }

  /** Hands the lines gathered so far to the destination, which writes them asynchronously. */
  flush(): void {
    if (this.lines.length === 0) return;
    const chunk = this.lines.join('');
    this.lines = [];
    this.characters = 0;
    this.destination.write(chunk);
  }

  /** Writes everything out before returning (at exit, when there is no event loop left). */
  flushSync(): void {
    this.flush();
    this.destination.flushSync();
  }
}

let stdout: LineBatch | undefined;

function stdoutBatch(): LineBatch {
  // Registered before the destination exists, so that these run before pino's own exit hooks (which end
  // sonic-boom on 'beforeExit' and write out its buffer on 'exit'): the gathered lines reach it first.
  process.on('beforeExit', () => stdout?.flush());
  process.on('exit', () => stdout?.flushSync());
  const batch = new LineBatch(pino.destination({ dest: 1, sync: false }));
  setInterval(() => batch.flush(), FLUSH_INTERVAL_MS).unref();
  return batch;
}

export function loggerOptions(level: Config['logLevel']): NonNullable<FastifyServerOptions['logger']> {
  stdout ??= stdoutBatch();
  return { level, stream: stdout };
}

/** Request ids under the key `requestId`; Fastify's own two lines per request replaced by logCompletedRequest. */
export function requestLogController(): LogController {
  return new LogController({ requestIdLogLabel: 'requestId', disableRequestLogging: true });
}

/** The one line per request, as an onResponse hook (callback style: no promise per request). */
export function logCompletedRequest(request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void {
  request.log.info(
    {
      method: request.method,
      url: request.url,
      route: request.routeOptions.url,
      statusCode: reply.statusCode,
      durationMs: Math.round(reply.elapsedTime * 100) / 100,
    },
    'request completed',
  );
  done();
}
