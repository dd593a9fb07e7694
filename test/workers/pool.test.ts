import { afterEach, describe, expect, it } from 'vitest';
import type { WorkOutcome, WorkTask } from '../../src/requests/task.js';
import { operationById } from '../../src/requests/operations/index.js';
import { phaseDiagramBodySchema, meanFieldBodySchema } from '../../src/schemas/theory.js';
import { PoolSaturatedError, ShuttingDownError, WorkPool, WorkTimeoutError, type WorkPoolOptions } from '../../src/workers/pool.js';

/** Real tasks on real worker threads: a quick mean-field curve and a phase diagram that takes seconds. */
function meanFieldTask(depth: number): WorkTask {
  const body = meanFieldBodySchema.parse({ activation: 'tanh', sigmaW2: 1.5, depth });
  const plan = operationById('meanField').plan({ body, query: {}, params: {}, representation: 'json', limits: { maxElements: 1e6 } });
  return { operation: 'meanField', representation: 'json', scale: 2, input: { plan } };
}

function slowTask(): WorkTask {
  const body = phaseDiagramBodySchema.parse({ activation: 'gelu', sigmaW2: { start: 0.5, stop: 4, count: 150 }, sigmaB2: { start: 0, stop: 0.5, count: 150 }, nodeCount: 400 });
  const plan = operationById('phaseDiagram').plan({ body, query: {}, params: {}, representation: 'json', limits: { maxElements: 1e6 } });
  return { operation: 'phaseDiagram', representation: 'json', scale: 2, input: { plan } };
}

const pools: WorkPool[] = [];
function poolOf(options: Partial<WorkPoolOptions> = {}): WorkPool {
  const pool = new WorkPool({ threads: 1, queue: 4, maxQueuedBytes: 1 << 20, timeoutMs: 60_000, maxHeapMb: 256, ...options });
  pools.push(pool);
  return pool;
}
afterEach(async () => {
  await Promise.all(pools.splice(0).map((pool) => pool.close()));
});

/** What a task was rejected with (handled at once, so that a rejection during close is never unhandled). */
const rejection = (promise: Promise<unknown>): Promise<unknown> => promise.then(() => new Error('resolved'), (error: unknown) => error);

describe('WorkPool', () => {
  it('starts every thread before the first task when kept warm, and none otherwise', async () => {
    const warm = poolOf({ threads: 2, keepThreadsWarm: true });
    await warm.warmUp();
    expect(warm.statistics().startedThreads).toBe(2);
    expect(poolOf({ threads: 2 }).statistics().startedThreads).toBe(0);
  });

  it('runs a task on a worker thread and hands back its answer', async () => {
    const outcome = await poolOf().run<WorkOutcome>(meanFieldTask(5));
    expect(outcome.ok).toBe(true);
    if (outcome.ok) expect(JSON.parse(Buffer.from(outcome.answer.body).toString())).toMatchObject({ depth: 5, activation: 'tanh' });
  });

  it('refuses a task at once when the queue is full', async () => {
    const pool = poolOf({ queue: 1 });
    const running = rejection(pool.run(slowTask()));
    const queued = rejection(pool.run(meanFieldTask(3)));
    expect(await rejection(pool.run(meanFieldTask(3)))).toBeInstanceOf(PoolSaturatedError);
    await pool.close();
    await Promise.all([running, queued]);
  });

  it('sheds a task whose wait, by the estimates of the work ahead, exceeds maxWaitSeconds, saying when to retry', async () => {
    const pool = poolOf({ maxWaitSeconds: 10 });
    const running = rejection(pool.run(slowTask(), { estimateSeconds: 100 }));
    const refused = await rejection(pool.run(meanFieldTask(3), { estimateSeconds: 0.01 }));
    expect(refused).toBeInstanceOf(PoolSaturatedError);
    expect((refused as PoolSaturatedError).retryAfterSeconds).toBe(50);
    expect((refused as Error).message).toMatch(/about 50 s/);
    await pool.close();
    await running;
  });

  it('drops a queued task whose client has gone: it never starts', async () => {
    const pool = poolOf();
    const running = rejection(pool.run(slowTask()));
    const controller = new AbortController();
    let started = false;
    const queued = pool.run(meanFieldTask(3), { signal: controller.signal, onStart: () => (started = true) });
    controller.abort(new Error('client gone'));
    expect(((await rejection(queued)) as Error).message).toBe('client gone');
    expect(pool.statistics().queued).toBe(0);
    await pool.close();
    await running;
    expect(started).toBe(false);
  });

  it('stops a running task when its client goes away', async () => {
    const pool = poolOf();
    const controller = new AbortController();
    const running = pool.run(slowTask(), { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('client gone')), 200);
    // Had it run to its end, it would have resolved: the rejection is the stop.
    expect(((await rejection(running)) as Error).message).toBe('client gone');
    expect(pool.statistics().running).toBe(0);
  });

  it('stops a task that runs past its time limit with WorkTimeoutError', async () => {
    const pool = poolOf({ timeoutMs: 300 });
    const error = await rejection(pool.run(slowTask()));
    expect(error).toBeInstanceOf(WorkTimeoutError);
    expect((error as WorkTimeoutError).timeoutMs).toBe(300);
  });

  it('answers every queued task with ShuttingDownError at once on close, and lets the running one finish within the grace period', async () => {
    const pool = poolOf();
    const running = pool.run<WorkOutcome>(meanFieldTask(200));
    const queued = [rejection(pool.run(meanFieldTask(3))), rejection(pool.run(meanFieldTask(3)))];
    const closed = pool.close({ graceMs: 30_000 });
    for (const task of queued) expect(await task).toBeInstanceOf(ShuttingDownError);
    expect((await running).ok).toBe(true);
    await closed;
    expect(await rejection(pool.run(meanFieldTask(3)))).toBeInstanceOf(ShuttingDownError);
  });
});
