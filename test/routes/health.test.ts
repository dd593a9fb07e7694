import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { useTestServer } from '../support/server.js';

const server = useTestServer();

describe('GET /healthz', () => {
  it('answers ok', async () => {
    const { body } = await server.http().get('/healthz').expect(200);
    expect(body).toEqual({ status: 'ok' });
  });

  it('echoes the caller’s x-request-id', async () => {
    const response = await server.http().get('/healthz').set('x-request-id', 'trace-123').expect(200);
    expect(response.headers['x-request-id']).toBe('trace-123');
  });

  it('generates a request id when none is given or the given one is unsafe', async () => {
    const generated = await server.http().get('/healthz').expect(200);
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const unsafe = await server.http().get('/healthz').set('x-request-id', 'bad id\twith spaces').expect(200);
    expect(unsafe.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('GET /readyz', () => {
  it('answers ok while serving', async () => {
    const { body } = await server.http().get('/readyz').expect(200);
    expect(body).toEqual({ status: 'ok' });
  });

  it("answers 503 while shutting down from the app's onRequest hook, before any route handler runs", async () => {
    const app = await buildApp(loadConfig({ LOG_LEVEL: 'silent' }));
    const base = await app.listen({ host: '127.0.0.1', port: 0 });
    // Half a request body keeps one request in flight, so the app stays in its shutting-down state.
    const body = '{"x":[1],"activations":["tanh"]}';
    const held = connect(Number(new URL(base).port), '127.0.0.1');
    held.write(`POST /v1/evaluate HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 5)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const closing = app.close();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const ready = await fetch(`${base}/readyz`);
    held.end(body.slice(5));
    await closing;
    expect(ready.status).toBe(503);
    expect(ready.headers.get('retry-after')).toBe('1');
    expect(((await ready.json()) as { detail: string }).detail).toBe('The service is shutting down; retry on another instance.');
  });
});

describe('unknown routes', () => {
  it('answer 404 with a problem', async () => {
    const response = await server.http().get('/v2/nothing').set('x-request-id', 'req-nothing').expect(404);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchInlineSnapshot(`
      {
        "detail": "No route GET /v2/nothing.",
        "instance": "/v2/nothing",
        "requestId": "req-nothing",
        "status": 404,
        "title": "Not found",
        "type": "urn:activation-lab:problem:not-found",
      }
    `);
  });
});
