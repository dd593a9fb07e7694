import type { Config } from '../config.js';
import type { Pipeline } from '../requests/pipeline.js';
import { EmbeddedEngine } from './embedded.js';
import type { JobEngine } from './engine.js';
import type { JobLimits } from './submission.js';

/**
 * Jobs and sweeps: the engine a service runs with — the embedded one (jobs in
 * this process's memory, run on its worker pool). The distributed engine
 * (BullMQ on Redis) is designed for in engine.ts's interface but not built:
 * the configuration refuses REDIS_URL rather than ignore it.
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

export function createJobEngine(config: Config, pipeline: Pipeline): JobEngine {
  const { jobs } = config;
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
