import { describe, expect, it } from 'vitest';
import { useTestServer } from '../support/server.js';

describe('GET /', () => {
  const server = useTestServer();

  it('redirects to the API documentation with 302', async () => {
    const response = await server.http().get('/').expect(302);
    expect(response.headers.location).toBe('/docs');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
  });

  it('answers other methods on / with a 405 problem allowing GET', async () => {
    const response = await server.http().post('/').expect(405);
    expect(response.headers.allow).toBe('GET, HEAD, OPTIONS');
    expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
  });
});
