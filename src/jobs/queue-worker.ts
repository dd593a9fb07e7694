import { Worker, type Job } from 'bullmq';
import { ProblemError } from '../problems.js';
import type { CostLimits } from '../requests/cost.js';
import { problemFromError } from '../requests/errors.js';
import type { Pipeline } from '../requests/pipeline.js';
import type { CellKind } from '../schemas/jobs.js';
import { isFinished } from './engine.js';
import { BULL_PREFIX, CANCEL_CHANNEL, keys, QUEUE_NAME, RedisStore, redisOptions, type RunData } from './redis-store.js';
import { isTransient, problemOf, runCell, runWhole, sweepResultOf, type RunContext } from './runner.js';
import type { CellPlan } from './submission.js';

/**
 * The distributed engine, worker side (`npm run worker`): takes runs from the
 * BullMQ queue, `concurrency` at a time, and runs each through this process's
 * own pipeline and worker pool. A run's outcome is written to Redis by the
 * store's scripts, once; a worker that dies mid-run loses its lock after
 * JOB_LOCK_MS and BullMQ gives the run to another worker.
 */

export interface QueueWorkerOptions {
  redisUrl: string;
  pipeline: Pipeline;
  limits: CostLimits;
  timeoutMs: number;
  concurrency: number;
  lockMs: number;
  resultTtlSeconds: number;
  onError: (error: unknown) => void;
  onRun?: (data: RunData, outcome: string) => void;
  onStalled?: (runKey: string) => void;
}

export interface QueueWorker {
  close(): Promise<void>;
}

export async function startQueueWorker(options: QueueWorkerOptions): Promise<QueueWorker> {
  const store = new RedisStore({ redisUrl: options.redisUrl, resultTtlSeconds: options.resultTtlSeconds, failFast: false, onError: options.onError });
  /** Running runs by job id, to stop when a job is cancelled. */
  const running = new Map<string, Set<AbortController>>();
  const subscriber = store.subscriber();
  await subscriber.subscribe(CANCEL_CHANNEL);
  subscriber.on('message', (_channel: string, jobId: string) => {
    for (const controller of running.get(jobId) ?? []) controller.abort(new ProblemError('unavailable', 'The job was cancelled.'));
  });

  async function process(job: Job<RunData>): Promise<string> {
    const { jobId, index } = job.data;
    const spec = await store.spec(jobId);
    if (spec === undefined || isFinished(spec.state)) return 'skipped';
    await store.start(jobId);
    const controller = new AbortController();
    const controllers = running.get(jobId) ?? new Set<AbortController>();
    controllers.add(controller);
    running.set(jobId, controllers);
    const context: RunContext = { pipeline: options.pipeline, limits: options.limits, timeoutMs: options.timeoutMs, signal: controller.signal, instance: `/v1/jobs/${jobId}` };
    try {
      if (spec.sweep !== null) {
        const cells = JSON.parse((await store.redis.hget(keys.job(jobId), 'cells')) ?? '[]') as CellPlan[];
        const cell = cells[index];
        if (cell === undefined) throw new Error(`job ${jobId} has no cell ${index}`);
        const outcome = await store.finishCell(jobId, await runCell(spec.sweep, cell, context));
        if (outcome === 'last') {
          const result = Buffer.from(JSON.stringify(sweepResultOf(spec.sweep, await store.cells(jobId))));
          await store.finish(jobId, 'succeeded', { result });
        }
        return outcome;
      }
      let partials = Promise.resolve();
      const result = await runWhole(spec.kind as CellKind, spec.request, context, (message) => {
        partials = partials.then(() => store.addPartial(jobId, message));
      });
      await partials;
      await store.finish(jobId, 'succeeded', { result });
      return 'finished';
    } catch (error) {
      if (controller.signal.aborted) return 'cancelled';
      const attemptsLeft = (job.opts.attempts ?? 1) - job.attemptsMade - 1 > 0;
      // Another attempt (here or on another worker) for a pool that was full, or a failure of this worker's own.
      if (attemptsLeft && (isTransient(error) || !(error instanceof ProblemError))) throw error;
      const problem = problemFromError(error) ?? new ProblemError('internal', 'A run of the job failed unexpectedly on a worker.');
      await store.finish(jobId, 'failed', { problem: problemOf(problem, context.instance) });
      return 'failed';
    } finally {
      controllers.delete(controller);
      if (controllers.size === 0) running.delete(jobId);
    }
  }

  const connection = store.redis.duplicate(redisOptions(false));
  connection.on('error', (error: unknown) => options.onError(error));
  const worker = new Worker<RunData, string>(QUEUE_NAME, process, {
    prefix: BULL_PREFIX,
    connection,
    concurrency: options.concurrency,
    lockDuration: options.lockMs,
    stalledInterval: options.lockMs,
    // A run whose worker died goes back to the queue this often before it counts as failed.
    maxStalledCount: 3,
  });
  worker.on('error', (error: unknown) => options.onError(error));
  worker.on('completed', (job, outcome) => options.onRun?.(job.data, outcome));
  // This worker found a run whose worker stopped renewing its lock, and put it back in the queue.
  worker.on('stalled', (runKey: string) => options.onStalled?.(runKey));

  return {
    async close() {
      for (const controllers of running.values()) for (const controller of controllers) controller.abort(new ProblemError('unavailable', 'The worker is shutting down.'));
      await worker.close();
      await subscriber.quit().catch(() => subscriber.disconnect());
      await store.close();
    },
  };
}
