import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort, startProcess, waitForHealthy, type RunningProcess } from './support/process.js';

const root = fileURLToPath(new URL('..', import.meta.url));
let running: RunningProcess | undefined;

afterEach(() => {
  running?.child.kill('SIGKILL');
  running = undefined;
});

/** From source every worker thread compiles the TypeScript it runs before the service listens: generous on a loaded machine. */
const STARTUP_MS = 60_000;

function startServer(environment: Record<string, string>): RunningProcess {
  running = startProcess(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: root,
    env: { ...process.env, LOG_LEVEL: 'info', ...environment },
  });
  return running;
}

describe('the server entry point', () => {
  it('listens on HOST:PORT and logs a JSON line per request, buffered lines written out before it exits', async () => {
    const port = await freePort();
    const server = startServer({ PORT: String(port), HOST: '127.0.0.1' });
    await waitForHealthy(`http://127.0.0.1:${port}/healthz`, STARTUP_MS);
    await fetch(`http://127.0.0.1:${port}/v1/activations/relu`, { headers: { 'x-request-id': 'log-me-123' } });
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    const lines = server.output().trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.find((line) => line['requestId'] === 'log-me-123')).toMatchObject({
      msg: 'request completed',
      method: 'GET',
      route: '/v1/activations/:id',
      statusCode: 200,
      durationMs: expect.any(Number),
    });
  }, STARTUP_MS + 30_000);

  it('finishes an in-flight request on SIGTERM, then exits 0', async () => {
    const port = await freePort();
    const server = startServer({ PORT: String(port), LOG_LEVEL: 'warn' });
    await waitForHealthy(`http://127.0.0.1:${port}/healthz`, STARTUP_MS);
    const inFlight = fetch(`http://127.0.0.1:${port}/v1/activations/gelu/evaluate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ grid: { start: -10, stop: 10, count: 1_000_000 } }),
    });
    await new Promise((resolve) => setTimeout(resolve, 150));
    server.child.kill('SIGTERM');
    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(((await response.json()) as { count: number }).count).toBe(1_000_000);
    expect(await server.exited).toBe(0);
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
  }, STARTUP_MS + 30_000);

  it('refuses to start on a bad variable, naming it', async () => {
    const server = startServer({ PORT: 'eighty' });
    expect(await server.exited).toBe(78);
    expect(server.output()).toContain('PORT="eighty"');
  });
});
