import { createHash, randomUUID } from 'node:crypto';
import { ProblemError, type Problem } from '../problems.js';
import type { JobKind, JobState, JobView } from '../schemas/jobs.js';
import type { JobPlan } from './submission.js';

/**
 * The interface of a job engine. Routes talk to this and to nothing else.
 * The embedded engine (jobs in this process's memory, run on its own worker
 * pool: src/jobs/embedded.ts) is the one built; a distributed one (BullMQ on
 * Redis, its work done by worker processes) would implement the same.
 */

export const eventTypes = ['progress', 'partial', 'succeeded', 'failed', 'cancelled'] as const;
export type JobEventType = (typeof eventTypes)[number];
export const isFinalEvent = (type: JobEventType): boolean => type === 'succeeded' || type === 'failed' || type === 'cancelled';

/** One event of a job's stream; `id` orders them (Last-Event-ID names the last one a client saw). */
export interface JobEvent {
  id: string;
  event: JobEventType;
  data: unknown;
}

/** A job as an engine keeps it (without its result). */
export interface StoredJob {
  id: string;
  kind: JobKind;
  state: JobState;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  done: number;
  total: number;
  estimateSeconds: number;
  problem?: Problem;
}

export interface JobListQuery {
  state?: JobState | undefined;
  limit: number;
  cursor?: string | undefined;
}

export interface JobEngine {
  readonly name: 'embedded' | 'distributed';
  /** Stores and queues a checked job; with an idempotency key already used, the job it named (created false). */
  submit(plan: JobPlan, idempotencyKey?: string): Promise<{ job: StoredJob; created: boolean }>;
  get(id: string): Promise<StoredJob | undefined>;
  /** The result's JSON bytes of a succeeded job. */
  result(id: string): Promise<Uint8Array | undefined>;
  /** What the job was asked to do (for charts drawn from its request). */
  request(id: string): Promise<{ kind: JobKind; request: unknown } | undefined>;
  /** Newest first. */
  list(query: JobListQuery): Promise<{ jobs: StoredJob[]; nextCursor: string | null }>;
  /** Cancels a queued or running job (its work stops); a finished job is returned as it is. */
  cancel(id: string): Promise<StoredJob | undefined>;
  /** Whether `id` could be one of this engine's event ids (a Last-Event-ID to resume from). */
  isEventId(id: string): boolean;
  /** The job's events after `after` (all without it), then those still to come, ending with the final one or when `signal` aborts. */
  events(id: string, after: string | undefined, signal: AbortSignal): AsyncIterable<JobEvent>;
  close(): Promise<void>;
}

/** The problem of a job id that does not exist (or was forgotten). */
export const noSuchJob = (id: string): ProblemError =>
  new ProblemError('notFound', `No job ${id}: it never existed, or it finished more than JOB_RESULT_TTL_S ago and was forgotten.`);

/** The API's view of a stored job: progress as a fraction, with an ETA at the pace so far. */
export function viewOf(job: StoredJob, now = Date.now()): JobView {
  const fraction = job.total === 0 ? 0 : job.done / job.total;
  let etaSeconds: number | null = null;
  if (job.state === 'running' && job.startedAt !== null && job.done > 0) {
    const elapsed = (now - Date.parse(job.startedAt)) / 1000;
    etaSeconds = Math.max(0, (elapsed * (job.total - job.done)) / job.done);
  } else if (job.state === 'succeeded' || job.state === 'failed' || job.state === 'cancelled') {
    etaSeconds = 0;
  }
  return {
    id: job.id,
    kind: job.kind,
    state: job.state,
    progress: { done: job.done, total: job.total, fraction, etaSeconds },
    createdAt: job.createdAt,
    startedAt: job.startedAt,
    finishedAt: job.finishedAt,
    estimateSeconds: job.estimateSeconds,
    ...(job.problem === undefined ? {} : { problem: job.problem }),
  };
}

/** The progress event's data. */
export const progressData = (job: StoredJob): unknown => viewOf(job).progress;

/** List cursors: the position (a sequence number) of the last job of a page, opaque to clients. */
export const encodeCursor = (sequence: number): string => Buffer.from(`s${sequence}`).toString('base64url');

export function decodeCursor(cursor: string | undefined): number | undefined {
  if (cursor === undefined) return undefined;
  const match = /^s(\d{1,16})$/.exec(Buffer.from(cursor, 'base64url').toString('latin1'));
  if (match === null) throw new ProblemError('validation', 'The cursor is not one this service gave.', { errors: [{ path: 'querystring.cursor', message: 'not a cursor of a previous page' }] });
  return Number(match[1]);
}

export const isFinished = (state: JobState): boolean => state === 'succeeded' || state === 'failed' || state === 'cancelled';

/**
 * A job's id: random, or, with an idempotency key, derived from it (SHA-256,
 * written as a UUID of version 8), so that every replica names the same job
 * for the same key without asking the others first.
 */
export function jobIdFor(idempotencyKey: string | undefined): string {
  if (idempotencyKey === undefined) return randomUUID();
  const hex = createHash('sha256').update(`activation-lab:job:${idempotencyKey}`).digest('hex');
  const variant = ((parseInt(hex[16] as string, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** What a job id looks like (anything else is answered 404 without asking the store). */
export const JOB_ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
