import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { startProcess, type RunningProcess } from '../support/process.js';
import { useTestServer, type TestServer } from '../support/server.js';
import { describeJobApi, finished, followEvents, submit } from './job-api-suite.js';
import { BULL_PREFIX, QUEUE_NAME } from '../../src/jobs/redis-store.js';
import { redisAvailable, REDIS_SERVER, startRedis, type TestRedis } from '../support/redis-server.js';

/**
 * The distributed engine for real: a redis-server of the test's own, the API
 * in this process and two `src/worker.ts` processes. The same suite as the
 * embedded engine, then the faults: a worker killed mid-sweep, an API replica
 * restarted, Redis gone and back, a full queue.
 *
 * Needs Debian's redis-server (.ci/run installs it); skipped without it, except in CI.
 */

const runnable = redisAvailable() || process.env['CI'] !== undefined;
if (!runnable) console.warn(`test/jobs/distributed.test.ts is skipped: ${REDIS_SERVER} is missing (apt-get install -y redis-server).`);

/** Filled in before the API starts (useTestServer reads it in its own beforeAll). */
const environment: Record<string, string> = { SIMULATION_THREADS: '1', JOB_HEARTBEAT_MS: '200' };
let redis: TestRedis | undefined;
const workers: RunningProcess[] = [];

function startWorker(): RunningProcess {
  const worker = startProcess(process.execPath, ['--import', 'tsx', 'src/worker.ts'], {
    cwd: new URL('../..', import.meta.url).pathname,
    env: { ...process.env, REDIS_URL: redis?.url ?? '', SIMULATION_THREADS: '1', LOG_LEVEL: 'info', JOB_LOCK_MS: '2000' },
  });
  workers.push(worker);
  return worker;
}

async function ready(worker: RunningProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!worker.output().includes('worker ready')) {
    if (Date.now() > deadline || worker.child.exitCode !== null) throw new Error(`the worker did not start:\n${worker.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A sweep of 16 cells of a few hundred milliseconds each. */
const slowSweep = {
  base: { kind: 'feedforward', request: { network: { depth: 60, width: 256, activation: 'tanh', init: { scheme: 'lecun_normal', gain: 1 } }, input: { batchSize: 256 } } },
  axes: [
    { path: 'network.init.gain', grid: { start: 0.8, stop: 1.5, count: 4 } },
    { path: 'network.depth', values: [40, 60, 80, 100] },
  ],
};

describe.skipIf(!runnable)('the distributed engine (BullMQ on Redis, two worker processes)', () => {
  beforeAll(async () => {
    redis = await startRedis();
    environment['REDIS_URL'] = redis.url;
    await Promise.all([startWorker(), startWorker()].map(ready));
  }, 90_000);
  const server: TestServer = useTestServer(environment);
  afterAll(async () => {
    for (const worker of workers) if (worker.child.exitCode === null && worker.child.signalCode === null) worker.child.kill('SIGTERM');
    await Promise.all(workers.map((worker) => worker.exited));
    await redis?.destroy();
  });

  describeJobApi('distributed', server);

  it('retries the cells of a worker killed mid-sweep on the other, and the result holds every cell exactly once', async () => {
    const { job } = await submit(server, { kind: 'sweep', request: slowSweep });
    const stream = followEvents(server, job.id);
    // Wait until both workers are busy and some cells are done, then kill one outright.
    for (;;) {
      const current = (await server.http().get(`/v1/jobs/${job.id}`).expect(200)).body as { progress: { done: number } };
      if (current.progress.done >= 3) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const victim = workers[0] as RunningProcess;
    victim.child.kill('SIGKILL');
    await victim.exited;
    const { events } = await stream;
    expect(events.at(-1)?.event).toBe('succeeded');
    const partialIndices = events.filter((event) => event.event === 'partial').map((event) => (event.data as { index: number }).index);
    expect(partialIndices.sort((a, b) => a - b)).toEqual([...Array(16).keys()]);
    // The survivor found the victim's run stalled and took it again.
    expect((workers[1] as RunningProcess).output()).toContain('a run whose worker stopped goes back to the queue');
    const result = (await server.http().get(`/v1/jobs/${job.id}/result`).expect(200)).body as { cells: { index: number; summary: unknown }[] };
    expect(result.cells.map((cell) => cell.index)).toEqual([...Array(16).keys()]);
    expect(result.cells.every((cell) => cell.summary !== null)).toBe(true);
    await ready(startWorker());
  }, 120_000);

  it('takes the waiting runs of a cancelled sweep out of the queue and records no cell after the cancellation', async () => {
    const { job } = await submit(server, { kind: 'sweep', request: slowSweep });
    const cancelled = (await server.http().delete(`/v1/jobs/${job.id}`).expect(200)).body as { state: string; progress: { done: number } };
    expect(cancelled.state).toBe('cancelled');
    const queue = new Queue(QUEUE_NAME, { prefix: BULL_PREFIX, connection: { host: '127.0.0.1', port: redis?.port ?? 0 } });
    try {
      expect(await queue.getWaitingCount()).toBe(0);
    } finally {
      await queue.close();
    }
    // Whatever was running stops without recording its cell: the cells done are those done before.
    await finished(server, job.id);
    const after = (await server.http().get(`/v1/jobs/${job.id}`).expect(200)).body as { progress: { done: number } };
    expect(after.progress.done).toBe(cancelled.progress.done);
    expect((await followEvents(server, job.id)).events.filter((event) => event.event === 'partial')).toHaveLength(cancelled.progress.done);
  });

  it('keeps a job through a restart of the API replica: a new one answers for it', async () => {
    const { job } = await submit(server, { kind: 'feedforward', request: { network: { depth: 3, width: 8, activation: 'relu' }, seed: 9 } });
    const done = await finished(server, job.id);
    const replica = await buildApp(loadConfig({ LOG_LEVEL: 'silent', SIMULATION_THREADS: '1', REDIS_URL: redis?.url ?? '' }));
    try {
      const response = await replica.inject({ method: 'GET', url: `/v1/jobs/${job.id}` });
      expect(response.statusCode).toBe(200);
      expect(JSON.parse(response.body)).toEqual(done);
    } finally {
      await replica.close();
    }
  });

  it('answers submissions with 503 and Retry-After while Redis is unreachable, and recovers (API and workers) when it is back', async () => {
    const request = { kind: 'feedforward', request: { network: { depth: 2, width: 4, activation: 'tanh' } } };
    await redis?.stop();
    try {
      const refused = await server.http().post('/v1/jobs').send(request);
      expect(refused.status).toBe(503);
      expect(refused.headers['retry-after']).toBe('5');
      expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    } finally {
      await redis?.restart();
    }
    let accepted: { status: number; body: { id: string } } = { status: 0, body: { id: '' } };
    for (let attempt = 0; attempt < 100 && accepted.status !== 202; attempt += 1) {
      accepted = await server.http().post('/v1/jobs').send(request);
      if (accepted.status !== 202) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(accepted.status).toBe(202);
    // The workers reconnected too: the job runs.
    expect((await finished(server, accepted.body.id)).state).toBe('succeeded');
  }, 60_000);

  it('refuses a sweep that would pass the queue bound with 503', async () => {
    const replica = await buildApp(loadConfig({ LOG_LEVEL: 'silent', SIMULATION_THREADS: '1', REDIS_URL: redis?.url ?? '', JOB_MAX_QUEUED_RUNS: '10' }));
    try {
      const response = await replica.inject({ method: 'POST', url: '/v1/jobs', payload: { kind: 'sweep', request: slowSweep } });
      expect(response.statusCode).toBe(503);
      expect(JSON.parse(response.body).detail).toMatch(/JOB_MAX_QUEUED_RUNS \(10\)/);
    } finally {
      await replica.close();
    }
  });
});
