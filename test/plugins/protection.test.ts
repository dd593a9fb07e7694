import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import helmet from 'helmet';
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { apiHeaderOptions, CORS_EXPOSED_HEADERS, documentHeaderOptions, helmetHeaders } from '../../src/plugins/protection.js';
import { useTestServer } from '../support/server.js';

/** What helmet's own middleware sets on a real Node response. */
function headersHelmetSets(options: Parameters<typeof helmet>[0]): Record<string, string> {
  const request = new IncomingMessage(new Socket());
  const response = new ServerResponse(request);
  helmet(options)(request, response, () => undefined);
  return Object.fromEntries(Object.entries(response.getHeaders()).map(([name, value]) => [name, String(value)]));
}

/** The Access-Control-Allow-Origin a GET of `path` from `origin` is answered with (undefined: none). */
async function allowedOrigin(server: ReturnType<typeof useTestServer>, path: string, origin: string): Promise<string | undefined> {
  const response = await server.http().get(path).set('origin', origin).expect(200);
  return response.headers['access-control-allow-origin'];
}

describe('the security headers, computed once', () => {
  it.each([
    ['document', documentHeaderOptions],
    ['API', apiHeaderOptions],
  ])('are exactly the %s headers helmet sets on a real response', (_name, options) => {
    expect(helmetHeaders(options)).toEqual(headersHelmetSets(options));
  });
});

describe('security headers and CORS by default', () => {
  const server = useTestServer();

  it("sends helmet's document headers on Swagger UI, with a CSP that keeps it working", async () => {
    const response = await server.http().get('/docs/').expect(200);
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['content-security-policy']).toContain("default-src 'self'");
    expect(response.headers['content-security-policy']).toContain("script-src 'self'");
    expect(response.headers['cross-origin-opener-policy']).toBe('same-origin');
  });

  it.each([
    ['a JSON answer', '/v1/activations/relu', 200],
    ['a chart', '/v1/activations/relu/plot', 200],
    ['a refusal', '/v1/activations/nope', 404],
  ])('sends the API headers on %s: nothing loads, runs or frames it, no sniffing', async (_what, path, status) => {
    const response = await server.http().get(path).expect(status);
    expect(response.headers['content-security-policy']).toBe("default-src 'none';frame-ancestors 'none'");
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['x-frame-options']).toBe('DENY');
    expect(response.headers['strict-transport-security']).toContain('max-age=');
    expect(response.headers['cross-origin-opener-policy']).toBeUndefined();
  });

  it.each([
    ['a malformed URL (400)', '/v1/activations/%E0%A4%A', 400],
    ['an over-long path parameter (404)', `/v1/activations/${'a'.repeat(200)}`, 404],
  ])('sends the API headers on %s, answered before any hook runs', async (_what, path, status) => {
    const response = await server.http().get(path).expect(status);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.headers['content-security-policy']).toBe("default-src 'none';frame-ancestors 'none'");
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['x-request-id']).toBeDefined();
  });

  it('gives the document headers to /docs and its assets only, not to paths that merely start alike', async () => {
    const docs = await server.http().get('/docs?x=1');
    expect(docs.headers['content-security-policy']).toContain("script-src 'self'");
    const lookalike = await server.http().get('/docsX').expect(404);
    expect(lookalike.headers['content-security-policy']).toBe("default-src 'none';frame-ancestors 'none'");
  });

  it('sends no CORS headers unless origins are configured', async () => {
    expect(await allowedOrigin(server, '/healthz', 'https://example.org')).toBeUndefined();
  });
});

describe('CORS when configured', () => {
  const server = useTestServer({ CORS_ORIGINS: 'https://notebook.example' });

  it('allows the configured origin and exposes the request id', async () => {
    const response = await server.http().get('/healthz').set('origin', 'https://notebook.example').expect(200);
    expect(response.headers['access-control-allow-origin']).toBe('https://notebook.example');
    expect(response.headers['access-control-expose-headers']).toContain('x-request-id');
  });

  const preflight = (path: string, method: string, headers?: string) => {
    const request = server.http().options(path).set('origin', 'https://notebook.example').set('access-control-request-method', method);
    return headers === undefined ? request : request.set('access-control-request-headers', headers);
  };

  it('answers a preflight for POST', async () => {
    const response = await preflight('/v1/evaluate', 'POST', 'content-type');
    expect(response.status).toBe(204);
    expect(response.headers['access-control-allow-methods']).toContain('POST');
  });

  it('answers a preflight for DELETE (cancelling a job) and for the Last-Event-ID header of an event stream', async () => {
    const job = '/v1/jobs/0b7a3c52-5f5e-4a39-9a3e-1c0d4b7e2f61';
    const cancel = await preflight(job, 'DELETE');
    expect(cancel.status).toBe(204);
    expect(cancel.headers['access-control-allow-methods']?.split(', ')).toContain('DELETE');
    const follow = await preflight(`${job}/events`, 'GET', 'last-event-id, x-request-id');
    expect(follow.status).toBe(204);
    expect(follow.headers['access-control-allow-headers']).toBe('last-event-id, x-request-id');
  });

  it('exposes every response header the OpenAPI document declares, so a page on another origin can read the binary layout and a job\'s Location', async () => {
    const document = JSON.parse(readFileSync(new URL('../../openapi/openapi.json', import.meta.url), 'utf8')) as { paths: Record<string, Record<string, { responses: Record<string, { headers?: Record<string, unknown> }> }>> };
    const declared = new Set(Object.values(document.paths).flatMap((methods) => Object.values(methods).flatMap((operation) => Object.values(operation.responses).flatMap((response) => Object.keys(response.headers ?? {})))));
    expect([...declared].toSorted()).toEqual([...CORS_EXPOSED_HEADERS].toSorted());
    const binary = await server
      .http()
      .post('/v1/activations/elu/evaluate/binary?alpha=0.5')
      .set('origin', 'https://notebook.example')
      .set('content-type', 'application/octet-stream')
      .send(Buffer.from(new Float64Array([-1, 0, 1]).buffer))
      .expect(200);
    expect(binary.headers['access-control-allow-origin']).toBe('https://notebook.example');
    expect(binary.headers['access-control-expose-headers']?.split(', ')).toEqual(expect.arrayContaining(['x-count', 'x-outputs', 'location', 'retry-after']));
  });

  it('sends no CORS headers to another origin', async () => {
    expect(await allowedOrigin(server, '/healthz', 'https://elsewhere.example')).toBeUndefined();
  });
});

describe('CORS for any origin', () => {
  const server = useTestServer({ CORS_ORIGINS: '*' });

  it('allows every origin with `*`', async () => {
    expect(await allowedOrigin(server, '/v1/activations/relu', 'http://localhost:8888')).toBe('*');
  });
});

describe('rate limiting when configured', () => {
  const server = useTestServer({ RATE_LIMIT_MAX: '3', RATE_LIMIT_WINDOW_MS: '60000' });

  it('answers the request past the limit with a 429 problem and Retry-After, and never limits the probes', async () => {
    for (let index = 0; index < 3; index++) await server.http().get('/v1/activations/relu').expect(200);
    const limited = await server.http().get('/v1/activations/relu').expect(429);
    expect(limited.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.body).toMatchObject({ status: 429, type: 'urn:activation-lab:problem:too-many-requests' });
    for (let index = 0; index < 5; index++) await server.http().get('/healthz').expect(200);
  });
});

describe('rate limiting behind a trusted proxy', () => {
  const server = useTestServer({ RATE_LIMIT_MAX: '2', RATE_LIMIT_WINDOW_MS: '60000', TRUST_PROXY: 'loopback' });

  it('counts each client named in X-Forwarded-For separately', async () => {
    const from = (client: string) => server.http().get('/v1/activations/relu').set('x-forwarded-for', client);
    for (let index = 0; index < 2; index++) await from('203.0.113.1').expect(200);
    await from('203.0.113.1').expect(429);
    await from('203.0.113.2').expect(200);
  });
});

describe('rate limiting behind an untrusted proxy', () => {
  const server = useTestServer({ RATE_LIMIT_MAX: '2', RATE_LIMIT_WINDOW_MS: '60000' });

  it('ignores X-Forwarded-For: a client cannot escape its limit by naming another address', async () => {
    const from = (client: string) => server.http().get('/v1/activations/relu').set('x-forwarded-for', client);
    await from('203.0.113.1').expect(200);
    await from('203.0.113.2').expect(200);
    await from('203.0.113.3').expect(429);
  });
});

describe('event-loop protection', () => {
  const server = useTestServer({ MAX_EVENT_LOOP_DELAY_MS: '30' });

  it('answers 503 with Retry-After while the event loop lags, but keeps /healthz answering', async () => {
    // Block this process's event loop (the server shares it) well past the threshold.
    const until = Date.now() + 400;
    while (Date.now() < until) {
      // busy wait on purpose
    }
    const refused = await server.http().get('/v1/activations/relu');
    expect(refused.status).toBe(503);
    expect(refused.headers['retry-after']).toBe('2');
    expect(refused.body.type).toBe('urn:activation-lab:problem:unavailable');
    await server.http().get('/healthz').expect(200);
  });
});
