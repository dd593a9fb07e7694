import { setMaxListeners } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { ProblemError } from '../problems.js';
import { problemFromError } from '../requests/errors.js';
import type { CellKind, SweepCell } from '../schemas/jobs.js';
import { decodeCursor, encodeCursor, isFinalEvent, isFinished, jobIdFor, progressData, viewOf, type JobEngine, type JobEvent, type JobEventType, type JobListQuery, type StoredJob } from './engine.js';
import { isTransient, problemOf, runCell, runWhole, sweepResultOf, type RunContext } from './runner.js';
import type { CellPlan, JobPlan } from './submission.js';

/**
 * The embedded engine: jobs live in this process's memory and run on its own
 * worker pool, at most `concurrency` runs at once (first submitted, first
 * served), beside the synchronous requests. Nothing survives a restart.
 */

export interface EmbeddedEngineOptions extends Omit<RunContext, 'signal' | 'instance'> {
  concurrency: number;
  maxStored: number;
  maxActive: number;
  maxStoredBytes: number;
  resultTtlSeconds: number;
  /** Waits before another attempt at a run the pool refused for now (default 1 s). */
  retryDelayMs?: number;
}

interface EmbeddedJob extends StoredJob {
  sequence: number;
  plan: JobPlan;
  events: JobEvent[];
  wake: Set<() => void>;
  controller: AbortController;
  result?: Uint8Array;
}

/** Attempts at a run the pool keeps refusing (it is full) before the job fails. */
const MAX_TRANSIENT_ATTEMPTS = 60;

/** Runs at most `size` functions at once, the others waiting in order. */
class Slots {
  private free: number;
  private readonly waiting: (() => void)[] = [];
  constructor(size: number) {
    this.free = size;
  }
  async run<T>(signal: AbortSignal, work: () => Promise<T>): Promise<T> {
    if (this.free > 0) this.free -= 1;
    else {
      await new Promise<void>((resolve, reject) => {
        const turn = (): void => {
          signal.removeEventListener('abort', leave);
          resolve();
        };
        const leave = (): void => {
          const index = this.waiting.indexOf(turn);
          if (index !== -1) this.waiting.splice(index, 1);
          reject(signal.reason);
        };
        this.waiting.push(turn);
        signal.addEventListener('abort', leave, { once: true });
      });
    }
    try {
      signal.throwIfAborted();
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next === undefined) this.free += 1;
      else next();
    }
  }
}

export class EmbeddedEngine implements JobEngine {
  readonly name: JobEngine['name'] = 'embedded';
  private readonly jobs = new Map<string, EmbeddedJob>();
  private readonly slots: Slots;
  private sequence = 0;
  private storedBytes = 0;
  private closed = false;

  constructor(private readonly options: EmbeddedEngineOptions) {
    this.slots = new Slots(options.concurrency);
  }

  async submit(plan: JobPlan, idempotencyKey?: string): Promise<{ job: StoredJob; created: boolean }> {
    if (this.closed) throw new ProblemError('unavailable', 'The service is shutting down; submit the job to another instance.', {}, { 'retry-after': '1' });
    this.forgetExpired();
    const id = jobIdFor(idempotencyKey);
    if (idempotencyKey !== undefined) {
      const existing = this.jobs.get(id);
      if (existing !== undefined) {
        if (existing.plan.fingerprint !== plan.fingerprint) throw conflictingKey(idempotencyKey, existing.id);
        return { job: existing, created: false };
      }
    }
    const active = [...this.jobs.values()].filter((job) => !isFinished(job.state)).length;
    if (active >= this.options.maxActive) {
      throw new ProblemError('unavailable', `${active} jobs are queued or running (JOB_MAX_ACTIVE is ${this.options.maxActive}); retry when some have finished.`, {}, { 'retry-after': '10' });
    }
    while (this.jobs.size >= this.options.maxStored) {
      if (!this.forgetOldestFinished()) throw new ProblemError('unavailable', 'Every stored job is still unfinished; retry when some have finished.', {}, { 'retry-after': '10' });
    }
    this.sequence += 1;
    const job: EmbeddedJob = {
      id,
      kind: plan.kind,
      state: 'queued',
      createdAt: new Date().toISOString(),
      startedAt: null,
      finishedAt: null,
      done: 0,
      total: plan.total,
      estimateSeconds: plan.estimateSeconds,
      sequence: this.sequence,
      plan,
      events: [],
      wake: new Set(),
      controller: new AbortController(),
    };
    // Every run of a sweep listens to the job's signal (its slot, its pool task).
    setMaxListeners(0, job.controller.signal);
    this.jobs.set(job.id, job);
    void this.run(job);
    return { job, created: true };
  }

  async get(id: string): Promise<StoredJob | undefined> {
    this.forgetExpired();
    return this.jobs.get(id);
  }

  async result(id: string): Promise<Uint8Array | undefined> {
    return (await this.get(id)) === undefined ? undefined : this.jobs.get(id)?.result;
  }

  async request(id: string): Promise<{ kind: StoredJob['kind']; request: unknown } | undefined> {
    const job = this.jobs.get(id);
    return job === undefined ? undefined : { kind: job.kind, request: job.plan.request };
  }

  async list({ state, limit, cursor }: JobListQuery): Promise<{ jobs: StoredJob[]; nextCursor: string | null }> {
    this.forgetExpired();
    const before = decodeCursor(cursor) ?? Number.POSITIVE_INFINITY;
    const matching = [...this.jobs.values()].filter((job) => job.sequence < before && (state === undefined || job.state === state)).sort((a, b) => b.sequence - a.sequence);
    const page = matching.slice(0, limit);
    const last = page.at(-1);
    return { jobs: page, nextCursor: matching.length > limit && last !== undefined ? encodeCursor(last.sequence) : null };
  }

  async cancel(id: string): Promise<StoredJob | undefined> {
    const job = this.jobs.get(id);
    if (job === undefined) return undefined;
    if (isFinished(job.state)) return job;
    this.finish(job, 'cancelled');
    job.controller.abort(new ProblemError('unavailable', 'The job was cancelled.'));
    return job;
  }

  isEventId(id: string): boolean {
    return /^\d{1,12}$/.test(id);
  }

  async *events(id: string, after: string | undefined, signal: AbortSignal): AsyncIterable<JobEvent> {
    const job = this.jobs.get(id);
    if (job === undefined) return;
    const afterNumber = after === undefined ? 0 : Number(after);
    let position = job.events.findIndex((event) => Number(event.id) > afterNumber);
    if (position === -1) position = job.events.length;
    while (!signal.aborted) {
      while (position < job.events.length) {
        const event = job.events[position] as JobEvent;
        position += 1;
        yield event;
        if (isFinalEvent(event.event)) return;
      }
      if (isFinished(job.state) || this.closed) return;
      await new Promise<void>((resolve) => {
        const wake = (): void => {
          job.wake.delete(wake);
          signal.removeEventListener('abort', wake);
          resolve();
        };
        job.wake.add(wake);
        signal.addEventListener('abort', wake, { once: true });
      });
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.jobs.values()) {
      if (isFinished(job.state)) continue;
      job.controller.abort(new ProblemError('unavailable', 'The service shut down.'));
      this.finish(job, 'failed', new ProblemError('unavailable', 'The service shut down before the job finished; jobs of the embedded engine do not survive a restart. Submit it again.'));
    }
  }

  private append(job: EmbeddedJob, event: JobEventType, data: unknown): void {
    job.events.push({ id: String(job.events.length + 1), event, data });
    for (const wake of [...job.wake]) wake();
  }

  private markRunning(job: EmbeddedJob): void {
    if (job.state !== 'queued') return;
    job.state = 'running';
    job.startedAt = new Date().toISOString();
    this.append(job, 'progress', progressData(job));
  }

  private finish(job: EmbeddedJob, state: 'succeeded' | 'failed' | 'cancelled', problem?: ProblemError): void {
    if (isFinished(job.state)) return;
    job.state = state;
    job.finishedAt = new Date().toISOString();
    if (problem !== undefined) job.problem = problemOf(problem, `/v1/jobs/${job.id}`);
    this.append(job, state, viewOf(job));
  }

  /** Runs `work` in a slot, again after a pause while the pool refuses it for now. */
  private async attempt<T>(job: EmbeddedJob, work: (context: RunContext) => Promise<T>): Promise<T> {
    const { signal } = job.controller;
    const context: RunContext = { pipeline: this.options.pipeline, limits: this.options.limits, timeoutMs: this.options.timeoutMs, signal, instance: `/v1/jobs/${job.id}` };
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.slots.run(signal, async () => {
          this.markRunning(job);
          return work(context);
        });
      } catch (error) {
        if (signal.aborted || !isTransient(error) || attempt >= MAX_TRANSIENT_ATTEMPTS) throw error;
        await sleep(this.options.retryDelayMs ?? 1000, undefined, { signal }).catch(() => undefined);
      }
    }
  }

  private async run(job: EmbeddedJob): Promise<void> {
    const { plan } = job;
    try {
      let result: Uint8Array;
      if (plan.sweep !== null) {
        const sweep = plan.sweep;
        const cells: SweepCell[] = [];
        await Promise.all(
          plan.cells.map((cell: CellPlan) =>
            this.attempt(job, (context) => runCell(sweep, cell, context)).then((finished) => {
              if (isFinished(job.state)) return;
              cells.push(finished);
              job.done = cells.length;
              this.append(job, 'partial', finished);
              this.append(job, 'progress', progressData(job));
            }),
          ),
        );
        result = Buffer.from(JSON.stringify(sweepResultOf(sweep, cells)));
      } else {
        result = await this.attempt(job, (context) =>
          runWhole(plan.kind as CellKind, plan.request, context, (message) => {
            if (isFinished(job.state)) return;
            job.done = Math.min(job.total, job.done + 1);
            this.append(job, 'partial', message);
            this.append(job, 'progress', progressData(job));
          }),
        );
        job.done = job.total;
      }
      if (isFinished(job.state)) return;
      job.result = result;
      this.storedBytes += result.byteLength;
      this.finish(job, 'succeeded');
      this.keepWithinBytes(job);
    } catch (error) {
      if (isFinished(job.state)) return;
      job.controller.abort(error);
      const problem = problemFromError(error) ?? new ProblemError('internal', 'The job failed unexpectedly.');
      this.finish(job, 'failed', problem);
    }
  }

  private forget(job: EmbeddedJob): void {
    this.jobs.delete(job.id);
    this.storedBytes -= job.result?.byteLength ?? 0;
  }

  private forgetOldestFinished(except?: EmbeddedJob): boolean {
    for (const job of this.jobs.values()) {
      if (job !== except && isFinished(job.state)) {
        this.forget(job);
        return true;
      }
    }
    return false;
  }

  private keepWithinBytes(keep: EmbeddedJob): void {
    while (this.storedBytes > this.options.maxStoredBytes && this.forgetOldestFinished(keep));
  }

  private forgetExpired(): void {
    const oldest = Date.now() - this.options.resultTtlSeconds * 1000;
    for (const job of [...this.jobs.values()]) {
      if (job.finishedAt !== null && Date.parse(job.finishedAt) < oldest) this.forget(job);
    }
  }
}

export const conflictingKey = (key: string, id: string): ProblemError =>
  new ProblemError('conflict', `The idempotency key ${JSON.stringify(key)} was used for job ${id} with another kind or request; use a new key for a new request.`, { jobId: id });
