import type { Config } from '../config.js';
import type { Pipeline } from '../requests/pipeline.js';
import { EmbeddedEngine } from './embedded.js';
import type { JobEngine } from './engine.js';
import type { JobLimits } from './submission.js';

/**
 * Jobs and sweeps: the engine a service runs with. Nothing configured: the
 * embedded engine (jobs in this process's memory, run on its worker pool).
 * REDIS_URL set: the distributed one (BullMQ on Redis), whose runs
 * `npm run worker` processes do.
 */

/** The limits every job is priced against (a sweep: each run, and all of them together). */
export function jobLimitsOf(config: Config): JobLimits {
  return {
    maxSeconds: config.jobs.maxSeconds,
    maxFlops: config.jobs.maxFlops,
    maxBytes: config.simulation.maxBytes,
    maxAnswerBytes: config.simulation.maxAnswerBytes,
    maxCells: config.jobs.maxCells,
  };
}

export async function createJobEngine(config: Config, pipeline: Pipeline, onError: (error: unknown) => void): Promise<JobEngine> {
  const { jobs } = config;
  if (jobs.redisUrl === null) {
    return new EmbeddedEngine({
      pipeline,
      limits: jobLimitsOf(config),
      timeoutMs: jobs.timeoutMs,
      concurrency: jobs.concurrency,
      maxStored: jobs.maxStored,
      maxActive: jobs.maxActive,
      maxStoredBytes: jobs.maxStoredBytes,
      resultTtlSeconds: jobs.resultTtlSeconds,
    });
  }
  // Loaded only when used: the embedded engine needs nothing of BullMQ.
  const { DistributedEngine } = await import('./distributed.js');
  return DistributedEngine.connect({ redisUrl: jobs.redisUrl, resultTtlSeconds: jobs.resultTtlSeconds, maxActive: jobs.maxActive, maxStored: jobs.maxStored, maxQueuedRuns: jobs.maxQueuedRuns, onError });
}
