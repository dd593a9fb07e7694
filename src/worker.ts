import closeWithGrace from 'close-with-grace';
import pino from 'pino';
import { loadConfigOrExit } from './config.js';
import { jobLimitsOf } from './jobs/index.js';
import { startQueueWorker } from './jobs/queue-worker.js';
import { createPipeline } from './requests/pipeline.js';
import { WorkPool } from './workers/pool.js';

/**
 * `npm run worker`: a process that takes the runs of jobs (sweep cells, whole
 * simulations and trainings) from the BullMQ queue in REDIS_URL and runs them
 * on its own worker pool, SIMULATION_THREADS at a time. Start any number, on
 * any number of machines; each needs only REDIS_URL.
 */

/** Jobs' runs have this long to finish after SIGTERM before they are left to another worker (their locks expire). */
const SHUTDOWN_GRACE_MS = 30_000;

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  if (config.jobs.redisUrl === null) {
    console.error('REDIS_URL is not set: a worker takes its runs from the BullMQ queue in Redis.');
    process.exit(78);
  }
  const log = pino({ level: config.logLevel });
  const { simulation } = config;
  const pool = new WorkPool({ ...simulation, keepThreadsWarm: true });
  await pool.warmUp();
  pool.onWorkerError = (error) => log.error({ err: error }, 'a worker thread failed');
  const pipeline = createPipeline({
    pool,
    limits: { maxSeconds: simulation.maxSeconds, maxFlops: simulation.maxFlops, maxBytes: simulation.maxBytes, maxAnswerBytes: simulation.maxAnswerBytes, maxElements: config.maxElements },
    inlineSeconds: 0,
  });
  const worker = await startQueueWorker({
    redisUrl: config.jobs.redisUrl,
    pipeline,
    limits: jobLimitsOf(config),
    timeoutMs: config.jobs.timeoutMs,
    concurrency: simulation.threads,
    lockMs: config.jobs.lockMs,
    resultTtlSeconds: config.jobs.resultTtlSeconds,
    onError: (error) => log.error({ err: error }, 'the job queue failed'),
    onRun: (data, outcome) => log.debug({ ...data, outcome }, 'run finished'),
    onStalled: (run) => log.warn({ run }, 'a run whose worker stopped goes back to the queue'),
  });
  log.info({ threads: simulation.threads }, 'worker ready');
  closeWithGrace({ delay: SHUTDOWN_GRACE_MS }, async ({ signal, err }) => {
    if (err) log.error({ err }, 'closing after an uncaught error');
    else log.info({ signal }, 'worker shutting down');
    await worker.close();
    await pool.close({ graceMs: 0 });
  });
}

await main();
