import { setTimeout as sleep } from 'node:timers/promises';
import { Queue } from 'bullmq';
import { ProblemError } from '../problems.js';
import { decodeCursor, encodeCursor, isFinalEvent, isFinished, jobIdFor, type JobEngine, type JobEvent, type JobListQuery, type StoredJob } from './engine.js';
import { conflictingKey } from './embedded.js';
import { BULL_PREFIX, CANCEL_CHANNEL, keys, QUEUE_NAME, RedisStore, redisOptions, runId, unavailable, type RunData } from './redis-store.js';
import { problemOf } from './runner.js';
import type { JobPlan } from './submission.js';

/**
 * The distributed engine, API side: a job is a hash in Redis and its runs
 * (sweep cells, or the one run of any other job) are BullMQ jobs that
 * `npm run worker` processes take (src/jobs/queue-worker.ts). A replica holds
 * nothing of its own: any replica answers for any job, and one restarted
 * finds every job where it was. Redis unreachable: 503 with Retry-After.
 */

export interface DistributedEngineOptions {
  redisUrl: string;
  resultTtlSeconds: number;
  maxActive: number;
  maxStored: number;
  maxQueuedRuns: number;
  /** A run a worker takes is retried this often (a worker that died, a pool that was full). */
  attempts?: number;
  onError: (error: unknown) => void;
  /** How often an event stream looks for new events. */
  pollMs?: number;
}

/** How long a request waits for a connection to Redis that is being made before it is answered 503. */
const CONNECT_WAIT_MS = 1000;

/** Runs added to the queue in one call. */
const BULK = 500;

export class DistributedEngine implements JobEngine {
  readonly name: JobEngine['name'] = 'distributed';
  private closed = false;

  private constructor(
    private readonly options: DistributedEngineOptions,
    private readonly store: RedisStore,
    private readonly queue: Queue<RunData>,
  ) {}

  static async connect(options: DistributedEngineOptions): Promise<DistributedEngine> {
    const store = new RedisStore({ redisUrl: options.redisUrl, resultTtlSeconds: options.resultTtlSeconds, failFast: true, onError: options.onError });
    const connection = store.redis.duplicate(redisOptions(true));
    connection.on('error', (error: unknown) => options.onError(error));
    const queue = new Queue<RunData>(QUEUE_NAME, { prefix: BULL_PREFIX, connection });
    queue.on('error', (error: unknown) => options.onError(error));
    return new DistributedEngine(options, store, queue);
  }

  /** Runs a store call, answering Redis's absence as a 503. */
  private async guarded<T>(call: () => Promise<T>): Promise<T> {
    if (this.closed) throw new ProblemError('unavailable', 'The service is shutting down; retry on another instance.', {}, { 'retry-after': '1' });
    try {
      // A connection just made, or coming back, is given a moment before the client is told to retry.
      await this.store.ready(CONNECT_WAIT_MS);
      return await call();
    } catch (error) {
      throw unavailable(error);
    }
  }

  async submit(plan: JobPlan, idempotencyKey?: string): Promise<{ job: StoredJob; created: boolean }> {
    return this.guarded(async () => {
      const id = jobIdFor(idempotencyKey);
      const waiting = await this.queue.getWaitingCount();
      if (waiting + plan.cells.length > this.options.maxQueuedRuns) {
        throw new ProblemError('unavailable', `The queue holds ${waiting} runs; ${plan.cells.length} more would pass JOB_MAX_QUEUED_RUNS (${this.options.maxQueuedRuns}). Retry when workers have caught up.`, {}, { 'retry-after': '30' });
      }
      const fields: Record<string, string | number> = {
        id,
        kind: plan.kind,
        state: 'queued',
        createdAt: new Date().toISOString(),
        done: 0,
        total: plan.total,
        estimateSeconds: plan.estimateSeconds,
        fingerprint: plan.fingerprint,
        request: JSON.stringify(plan.request),
        sweep: plan.sweep === null ? '' : JSON.stringify(plan.sweep),
        cells: JSON.stringify(plan.cells),
      };
      // Unfinished jobs are kept for as long as their runs may take, and JOB_RESULT_TTL_S from the end.
      const ttl = 7 * 24 * 3600 + this.store.ttl;
      const [outcome, detail] = await this.store.redis.createJob(keys.job(id), keys.index, keys.active, keys.sequence, keys.events(id), ...Object.entries(fields).flat(), this.options.maxActive, ttl);
      if (outcome === -1) throw new ProblemError('unavailable', `${detail} jobs are queued or running (JOB_MAX_ACTIVE is ${this.options.maxActive}); retry when some have finished.`, {}, { 'retry-after': '10' });
      if (outcome === 0) {
        if (detail !== plan.fingerprint) throw conflictingKey(idempotencyKey ?? '', id);
        const job = await this.store.get(id);
        if (job === undefined) throw new ProblemError('unavailable', 'The job was forgotten while it was looked up; submit it again.', {}, { 'retry-after': '1' });
        return { job, created: false };
      }
      try {
        await this.enqueue(id, plan);
      } catch (error) {
        // Redis went away between storing the job and queueing its runs: the job is failed, not left queued.
        const problem = unavailable(error);
        await this.store.finish(id, 'failed', { problem: problemOf(problem, `/v1/jobs/${id}`) }).catch(() => false);
        throw problem;
      }
      await this.forgetOldest();
      return { job: (await this.store.get(id)) as StoredJob, created: true };
    });
  }

  private async enqueue(id: string, plan: JobPlan): Promise<void> {
    for (let start = 0; start < plan.cells.length; start += BULK) {
      await this.queue.addBulk(
        plan.cells.slice(start, start + BULK).map((cell) => ({
          name: plan.kind,
          data: { jobId: id, index: cell.index },
          opts: { jobId: runId(id, cell.index), attempts: this.options.attempts ?? 3, backoff: { type: 'exponential', delay: 1000 }, removeOnComplete: true, removeOnFail: { age: this.store.ttl } },
        })),
      );
    }
  }

  /** Past JOB_MAX_STORED jobs, the oldest finished ones are forgotten. */
  private async forgetOldest(): Promise<void> {
    const excess = (await this.store.redis.zcard(keys.index)) - this.options.maxStored;
    if (excess <= 0) return;
    const oldest = await this.store.redis.zrange(keys.index, 0, excess + 20);
    let forgotten = 0;
    for (const id of oldest) {
      if (forgotten >= excess) break;
      const job = await this.store.get(id);
      if (job !== undefined && !isFinished(job.state)) continue;
      await this.store.redis.del(keys.job(id), keys.events(id), keys.cells(id), keys.result(id));
      await this.store.redis.zrem(keys.index, id);
      forgotten += 1;
    }
  }

  get(id: string): Promise<StoredJob | undefined> {
    return this.guarded(() => this.store.get(id));
  }

  result(id: string): Promise<Uint8Array | undefined> {
    return this.guarded(() => this.store.result(id));
  }

  request(id: string): Promise<{ kind: StoredJob['kind']; request: unknown } | undefined> {
    return this.guarded(async () => {
      const spec = await this.store.spec(id);
      return spec === undefined ? undefined : { kind: spec.kind, request: spec.request };
    });
  }

  list({ state, limit, cursor }: JobListQuery): Promise<{ jobs: StoredJob[]; nextCursor: string | null }> {
    const before = decodeCursor(cursor);
    return this.guarded(async () => {
      const jobs: (StoredJob & { sequence: number })[] = [];
      let upper = before === undefined ? '+inf' : `(${before}`;
      // Scans newest first in batches until the page is full (bounded: a page never reads more than 50 batches).
      for (let batch = 0; batch < 50 && jobs.length <= limit; batch += 1) {
        const page = await this.store.redis.zrevrangebyscore(keys.index, upper, '-inf', 'WITHSCORES', 'LIMIT', 0, 100);
        if (page.length === 0) break;
        for (let index = 0; index < page.length; index += 2) {
          const id = page[index] as string;
          const job = await this.store.get(id);
          if (job === undefined) await this.store.redis.zrem(keys.index, id);
          else if (state === undefined || job.state === state) jobs.push({ ...job, sequence: Number(page[index + 1]) });
          if (jobs.length > limit) break;
        }
        upper = `(${page.at(-1) as string}`;
      }
      const pageJobs = jobs.slice(0, limit);
      const last = pageJobs.at(-1);
      return { jobs: pageJobs.map(({ sequence: _sequence, ...job }) => job), nextCursor: jobs.length > limit && last !== undefined ? encodeCursor(last.sequence) : null };
    });
  }

  cancel(id: string): Promise<StoredJob | undefined> {
    return this.guarded(async () => {
      const job = await this.store.get(id);
      if (job === undefined || isFinished(job.state)) return job;
      if (await this.store.finish(id, 'cancelled')) {
        // Running runs stop (every worker hears this); waiting ones are taken out of the queue (a worker skips any it takes anyway).
        await this.store.redis.publish(CANCEL_CHANNEL, id);
        const cells = JSON.parse((await this.store.redis.hget(keys.job(id), 'cells')) ?? '[]') as { index: number }[];
        await Promise.all(cells.map((cell) => this.queue.remove(runId(id, cell.index)).catch(() => 0)));
      }
      return this.store.get(id);
    });
  }

  isEventId(id: string): boolean {
    return /^\d{1,16}-\d{1,10}$/.test(id);
  }

  async *events(id: string, after: string | undefined, signal: AbortSignal): AsyncIterable<JobEvent> {
    let last = after;
    while (!signal.aborted && !this.closed) {
      const events = await this.store.eventsAfter(id, last, 200);
      for (const event of events) {
        yield event;
        last = event.id;
        if (isFinalEvent(event.event)) return;
      }
      if (events.length === 0) {
        // The final event is written with the final state: a finished job with nothing after `last` has no more.
        const job = await this.store.get(id);
        if (job === undefined || isFinished(job.state)) return;
        await sleep(this.options.pollMs ?? 200, undefined, { signal }).catch(() => undefined);
      }
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.queue.close().catch(() => undefined);
    await this.store.close();
  }
}
