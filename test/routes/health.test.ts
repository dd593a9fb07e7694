import { describe, expect, it } from 'vitest';
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
