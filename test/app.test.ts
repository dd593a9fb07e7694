import { describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';

describe('buildApp shutdown', () => {
  it('answers new requests with 503 while an in-flight simulation finishes, then closes', async () => {
    const app = await buildApp(loadConfig({ LOG_LEVEL: 'silent', SIMULATION_THREADS: '1' }));
    const base = await app.listen({ host: '127.0.0.1', port: 0 });
    const inFlight = fetch(`${base}/v1/simulations/feedforward`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ network: { depth: 60, width: 512, activation: 'tanh' }, input: { batchSize: 256 } }),
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const closing = app.close();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(503);
    expect(ready.headers.get('retry-after')).toBe('1');
    expect(((await ready.json()) as { detail: string }).detail).toContain('shutting down');
    expect(ready.headers.get('content-security-policy')).toBe("default-src 'none';frame-ancestors 'none'");
    expect(ready.headers.get('x-content-type-options')).toBe('nosniff');
    const finished = await inFlight;
    expect(finished.status).toBe(200);
    await closing;
  });
});
