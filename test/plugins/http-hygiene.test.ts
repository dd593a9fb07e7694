import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { CORS_METHODS } from '../../src/plugins/protection.js';
import { useTestServer } from '../support/server.js';

/** Small timeouts, so that slow clients are cut off within a second or two. */
const quickTimeouts = { REQUEST_TIMEOUT_MS: '2000', HEADERS_TIMEOUT_MS: '800', KEEP_ALIVE_TIMEOUT_MS: '300' };

interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** From the first byte sent to the server closing the connection. */
  closedAfterMs: number;
}

/**
 * Sends `chunks` on a raw TCP connection, `gapMs` apart, and reads until the server closes it. Writing stops
 * once the server has closed (a slow client cut off).
 */
function rawExchange(app: App, chunks: readonly string[], gapMs = 0): Promise<RawAnswer> {
  const { port } = app.server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    const received: Buffer[] = [];
    const started = Date.now();
    let closed = false;
    socket.on('data', (data) => received.push(data));
    socket.on('error', () => undefined); // a reset after the answer is what a cut-off client sees
    socket.on('close', () => {
      closed = true;
      const text = Buffer.concat(received).toString('utf8');
      const [head = '', ...rest] = text.split('\r\n\r\n');
      const [statusLine = '', ...fields] = head.split('\r\n');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(statusLine)?.[1] ?? Number.NaN);
      const headers = Object.fromEntries(fields.map((field) => [field.slice(0, field.indexOf(':')).toLowerCase(), field.slice(field.indexOf(':') + 1).trim()]));
      resolve({ status, headers, body: rest.join('\r\n\r\n'), closedAfterMs: Date.now() - started });
    });
    socket.once('connect', async () => {
      try {
        for (const chunk of chunks) {
          if (closed) return;
          socket.write(chunk);
          if (gapMs > 0) await sleep(gapMs);
        }
      } catch (error) {
        reject(error);
      }
    });
  });
}

/** A problem answer in the service's one shape, with the API security headers and a body as long as it says. */
function expectProblem(answer: RawAnswer, status: number, type: string, instance: string): void {
  expect(answer.status).toBe(status);
  expect(answer.headers['content-type']).toBe('application/problem+json; charset=utf-8');
  expect(answer.headers.connection).toBe('close');
  expect(answer.headers['content-security-policy']).toBe("default-src 'none';frame-ancestors 'none'");
  expect(answer.headers['x-content-type-options']).toBe('nosniff');
  expect(Number(answer.headers['content-length'])).toBe(Buffer.byteLength(answer.body));
  expect(JSON.parse(answer.body)).toEqual({ type: `urn:activation-lab:problem:${type}`, title: expect.any(String), status, detail: expect.any(String), instance });
}

/** Repeats a header line one byte at a time: a slowloris client. */
const trickle = (text: string): string[] => [...text];

describe('requests Node refuses before routing', () => {
  const server = useTestServer(quickTimeouts);

  afterAll(async () => {
    // None of the refusals below took the server down.
    await server.http().get('/healthz').expect(200);
  });

  it.each([
    ['a Content-Length that is no number', 'POST /v1/evaluate HTTP/1.1\r\nHost: x\r\nContent-Length: ten\r\n\r\n', '/v1/evaluate'],
    ['a chunk size that is no hex number', 'POST /v1/evaluate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n', '/v1/evaluate'],
    ['a control character in a header value', 'GET /healthz HTTP/1.1\r\nHost: x\r\nX-Note: a\u0001b\r\n\r\n', '/healthz'],
    ['a space inside a header name', 'GET /healthz HTTP/1.1\r\nHost: x\r\nX Note: a\r\n\r\n', '/healthz'],
    ['a method no one knows', 'FROB /healthz HTTP/1.1\r\nHost: x\r\n\r\n', '/healthz'],
  ])('answers %s with a 400 problem and closes the connection', async (_what, request, instance) => {
    const answer = await rawExchange(server.app, [request]);
    expectProblem(answer, 400, 'malformed', instance);
    expect(JSON.parse(answer.body).detail).toMatch(/^The request is not valid HTTP\/1\.1 \(.+\)\.$/);
  });

  it('answers headers larger than Node accepts with a 431 problem', async () => {
    const answer = await rawExchange(server.app, [`GET /healthz HTTP/1.1\r\nHost: x\r\nX-Padding: ${'a'.repeat(20_000)}\r\n\r\n`]);
    expectProblem(answer, 431, 'request-header-fields-too-large', '/healthz');
  });

  it('answers CONNECT with a 405 problem whose Allow is empty: this is not a proxy', async () => {
    const answer = await rawExchange(server.app, ['CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n']);
    expectProblem(answer, 405, 'method-not-allowed', '');
    expect(answer.headers.allow).toBe('');
  });

  it('cuts off a client that trickles its headers a byte at a time with a 408 problem, within the headers timeout', async () => {
    const answer = await rawExchange(server.app, ['GET /healthz HTTP/1.1\r\n', ...trickle('X-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n')], 100);
    expectProblem(answer, 408, 'request-timeout', '');
    expect(answer.closedAfterMs).toBeGreaterThanOrEqual(700);
    expect(answer.closedAfterMs).toBeLessThan(1400);
  });

  it('cuts off a client that trickles its body with a 408 problem naming the path, within the request timeout', async () => {
    const head = 'POST /v1/activations/relu/evaluate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 60\r\n\r\n';
    const answer = await rawExchange(server.app, [head, ...trickle('{"x":[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20]}')], 100);
    expectProblem(answer, 408, 'request-timeout', '/v1/activations/relu/evaluate');
    expect(answer.closedAfterMs).toBeGreaterThanOrEqual(1900);
    expect(answer.closedAfterMs).toBeLessThan(2800);
  });

  it('closes a connection that never sends a byte with a 408 problem', async () => {
    const answer = await rawExchange(server.app, []);
    expectProblem(answer, 408, 'request-timeout', '');
    expect(answer.closedAfterMs).toBeLessThan(1400);
  });

  it('closes an idle keep-alive connection after the keep-alive timeout (and Node\'s 1 s grace), without another answer', async () => {
    const answer = await rawExchange(server.app, ['GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n']);
    expect(answer.status).toBe(200);
    expect(answer.body).toContain('{"status":"ok"}');
    expect(answer.body).not.toContain('HTTP/1.1 408');
    expect(answer.closedAfterMs).toBeGreaterThanOrEqual(1200);
    expect(answer.closedAfterMs).toBeLessThan(1800);
  });
});

describe('answers that take their time', () => {
  let app: App;
  beforeAll(async () => {
    app = await buildApp(loadConfig({ LOG_LEVEL: 'silent', ...quickTimeouts }));
    // Stands in for a long simulation: the request arrives at once, the answer takes longer than the timeout.
    app.get('/test/slow', async () => {
      await sleep(2500);
      return { status: 'done' };
    });
    // An answer written in two parts, 300 ms apart.
    app.get('/test/streamed', (_request, reply) => {
      reply.hijack();
      reply.raw.writeHead(200, { 'content-type': 'text/plain', 'content-length': '10' });
      reply.raw.write('first');
      setTimeout(() => reply.raw.end('-last'), 300);
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => app.close());

  it('does not cut an answer that takes longer than receiving the request may', async () => {
    const answer = await rawExchange(app, ['GET /test/slow HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n']);
    expect(answer.status).toBe(200);
    expect(answer.body).toBe('{"status":"done"}');
    expect(answer.closedAfterMs).toBeGreaterThanOrEqual(2500);
  });

  it('never writes a problem into the middle of an answer already under way; it closes the connection', async () => {
    const answer = await rawExchange(app, ['GET /test/streamed HTTP/1.1\r\nHost: x\r\n\r\n', 'NOT HTTP\r\n\r\n'], 100);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatch(/^first/);
    expect(answer.body).not.toContain('HTTP/1.1 400');
  });
});

describe('methods on known and unknown paths', () => {
  const server = useTestServer();

  it.each([
    ['DELETE', '/v1/activations', 'GET, HEAD, OPTIONS'],
    ['PUT', '/healthz', 'GET, HEAD, OPTIONS'],
    ['GET', '/v1/activations/relu/evaluate', 'OPTIONS, POST'],
    ['PATCH', '/v1/activations/anything-at-all', 'GET, HEAD, OPTIONS'],
  ])('answers %s %s with a 405 problem whose Allow lists the methods the path takes', async (method, path, allow) => {
    const response = await server.http()[method.toLowerCase() as 'delete'](path).expect(405);
    expect(response.headers.allow).toBe(allow);
    expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(response.headers['content-security-policy']).toBe("default-src 'none';frame-ancestors 'none'");
    expect(response.body).toEqual({
      type: 'urn:activation-lab:problem:method-not-allowed',
      title: 'Method not allowed',
      status: 405,
      detail: `${method} is not allowed on ${path}; it allows ${allow}.`,
      instance: path,
      requestId: expect.any(String),
    });
  });

  it('answers a method no route uses (PROPFIND, TRACE) on a known path with the same 405 problem', async () => {
    for (const method of ['PROPFIND', 'TRACE']) {
      const answer = await rawExchange(server.app, [`${method} /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`]);
      expect(answer.status).toBe(405);
      expect(answer.headers.allow).toBe('GET, HEAD, OPTIONS');
      expect(JSON.parse(answer.body)).toMatchObject({ type: 'urn:activation-lab:problem:method-not-allowed', instance: '/healthz' });
    }
  });

  it('answers OPTIONS on a known path with 204 and Allow', async () => {
    const response = await server.http().options('/v1/activations/relu/evaluate?x=1').expect(204);
    expect(response.headers.allow).toBe('OPTIONS, POST');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
  });

  it.each(['/docs', '/docs/'])('lists GET for %s, the Swagger UI page at both its addresses', async (path) => {
    const response = await server.http().options(path).expect(204);
    expect(response.headers.allow).toBe('GET, HEAD, OPTIONS');
  });

  it('keeps unknown paths 404 problems, for OPTIONS too', async () => {
    for (const method of ['get', 'delete', 'options'] as const) {
      const response = await server.http()[method]('/v2/nothing').expect(404);
      expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
      expect(response.headers.allow).toBeUndefined();
      expect(response.body).toMatchObject({ type: 'urn:activation-lab:problem:not-found', status: 404, instance: '/v2/nothing' });
    }
  });

  it('answers HEAD where GET is, as Fastify does', async () => {
    const response = await server.http().head('/v1/activations').expect(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
  });
});

describe('OPTIONS when CORS is configured', () => {
  const server = useTestServer({ CORS_ORIGINS: 'https://app.example' });

  it("leaves a browser's preflight to @fastify/cors", async () => {
    const response = await server
      .http()
      .options('/v1/activations/relu/evaluate')
      .set('origin', 'https://app.example')
      .set('access-control-request-method', 'POST')
      .expect(204);
    expect(response.headers['access-control-allow-origin']).toBe('https://app.example');
    expect(response.headers['access-control-allow-methods']).toBe(CORS_METHODS.join(', '));
  });

  it('answers a plain OPTIONS with 204 and Allow, not @fastify/cors\'s bare 400', async () => {
    const response = await server.http().options('/v1/activations').expect(204);
    expect(response.headers.allow).toBe('GET, HEAD, OPTIONS');
  });

  it('answers a plain OPTIONS on an unknown path with a 404 problem', async () => {
    const response = await server.http().options('/v2/nothing').expect(404);
    expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(response.headers['content-security-policy']).toBe("default-src 'none';frame-ancestors 'none'");
  });
});

describe('a client that stops reading its answer', () => {
  const server = useTestServer({ ...quickTimeouts, SIMULATION_TIMEOUT_MS: '100', SOCKET_IDLE_TIMEOUT_MS: '1000' });
  const openConnections = (): Promise<number> =>
    new Promise((resolve, reject) => server.app.server.getConnections((error, count) => (error ? reject(error) : resolve(count))));

  it('is disconnected once the connection has been silent for the socket idle timeout', async () => {
    const { port } = server.app.server.address() as AddressInfo;
    const body = JSON.stringify({ grid: { start: 0, stop: 1, count: 1_000_000 } });
    const socket = connect({ host: '127.0.0.1', port });
    socket.on('error', () => undefined);
    socket.pause(); // never reads: a million numbers fill the socket buffers and the answer stalls
    socket.write(`POST /v1/activations/relu/evaluate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
    await sleep(300);
    expect(await openConnections()).toBe(1);
    const deadline = Date.now() + 6000;
    while ((await openConnections()) > 0 && Date.now() < deadline) await sleep(100);
    expect(await openConnections()).toBe(0);
    socket.destroy();
  });
});
