import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { installErrorHandlers } from '../src/error-handler.js';
import { ProblemError } from '../src/problems.js';

function appThatThrows(error: unknown) {
  const app = Fastify({ logger: false });
  installErrorHandlers(app);
  app.get('/boom', async () => {
    throw error;
  });
  return app;
}

describe('the error handler', () => {
  it('answers an unexpected error with a 500 problem that leaks nothing', async () => {
    const app = appThatThrows(new Error('database password is hunter2 at /srv/secret.ts:42'));
    const response = await app.inject({ method: 'GET', url: '/boom', headers: { 'x-request-id': 'r-1' } });
    expect(response.statusCode).toBe(500);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).not.toMatch(/hunter2|secret|\.ts/);
    expect(response.json()).toMatchObject({ status: 500, type: 'urn:activation-lab:problem:internal', title: 'Internal server error' });
    await app.close();
  });

  it('sends a ProblemError as it is, with its headers', async () => {
    const app = appThatThrows(new ProblemError('unavailable', 'Busy.', { queue: 3 }, { 'retry-after': '7' }));
    const response = await app.inject({ method: 'GET', url: '/boom?x=1' });
    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toBe('7');
    expect(response.json()).toMatchObject({ status: 503, detail: 'Busy.', queue: 3, instance: '/boom' });
    await app.close();
  });

  it('keeps the status of a client error thrown by a plugin', async () => {
    const error = Object.assign(new Error('Too many requests'), { statusCode: 429 });
    const app = appThatThrows(error);
    const response = await app.inject({ method: 'GET', url: '/boom' });
    expect(response.statusCode).toBe(429);
    expect(response.json()).toMatchObject({ type: 'urn:activation-lab:problem:too-many-requests' });
    await app.close();
  });
});
