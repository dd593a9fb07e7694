import { Redis, type RedisOptions } from 'ioredis';
import { ProblemError, type Problem } from '../problems.js';
import type { JobKind, JobState, SweepCell } from '../schemas/jobs.js';
import { isFinished, viewOf, type JobEvent, type JobEventType, type StoredJob } from './engine.js';
import type { SweepSpec } from './submission.js';

/**
 * The distributed engine's state in Redis, shared by the API replicas and
 * the workers (which are stateless): per job a hash, an event stream (its ids
 * are the SSE ids), the finished cells (a hash: a cell is written once, by
 * HSETNX, so a retried cell can never appear twice) and the result; an index
 * of jobs by submission order. Every change of state is one Lua script, so
 * two workers finishing the last cells together cannot both finish the job.
 */

export const QUEUE_NAME = 'activation-lab-runs';
/** BullMQ's keys live under this prefix, the engine's own under KEY_PREFIX. */
export const BULL_PREFIX = 'al-bull';
const KEY_PREFIX = 'al';
export const CANCEL_CHANNEL = `${KEY_PREFIX}:cancel`;

export const keys = {
  job: (id: string) => `${KEY_PREFIX}:job:${id}`,
  events: (id: string) => `${KEY_PREFIX}:job:${id}:events`,
  cells: (id: string) => `${KEY_PREFIX}:job:${id}:cells`,
  result: (id: string) => `${KEY_PREFIX}:job:${id}:result`,
  index: `${KEY_PREFIX}:jobs`,
  active: `${KEY_PREFIX}:jobs:active`,
  sequence: `${KEY_PREFIX}:jobs:sequence`,
};

/** What a BullMQ job carries: which run of which job (the rest is in the job's hash). */
export interface RunData {
  jobId: string;
  /** The cell's index (0 for a job that is not a sweep). */
  index: number;
}

/** The BullMQ id of a run: the same cell is never queued twice. */
export const runId = (jobId: string, index: number): string => `${jobId}-${index}`;

/** Creates a job unless its id exists; refuses past the active bound. KEYS job, index, active, sequence, events; ARGV fields…, maxActive, ttl. */
const CREATE = `
if redis.call('EXISTS', KEYS[1]) == 1 then return {0, redis.call('HGET', KEYS[1], 'fingerprint')} end
local maxActive = tonumber(ARGV[#ARGV - 1])
local ttl = tonumber(ARGV[#ARGV])
if redis.call('SCARD', KEYS[3]) >= maxActive then return {-1, tostring(redis.call('SCARD', KEYS[3]))} end
local sequence = redis.call('INCR', KEYS[4])
for i = 1, #ARGV - 2, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
redis.call('HSET', KEYS[1], 'sequence', sequence)
redis.call('EXPIRE', KEYS[1], ttl)
redis.call('ZADD', KEYS[2], sequence, ARGV[2])
redis.call('SADD', KEYS[3], ARGV[2])
return {1, tostring(sequence)}
`;

/** queued → running, with the first progress event. KEYS job, events; ARGV now (ISO), nowMs, ttl. */
const START = `
if redis.call('HGET', KEYS[1], 'state') ~= 'queued' then return 0 end
redis.call('HSET', KEYS[1], 'state', 'running', 'startedAt', ARGV[1], 'startedMs', ARGV[2])
local total = tonumber(redis.call('HGET', KEYS[1], 'total'))
redis.call('XADD', KEYS[2], '*', 'event', 'progress', 'data', cjson.encode({done = 0, total = total, fraction = 0, etaSeconds = cjson.null}))
redis.call('EXPIRE', KEYS[2], ARGV[3])
return 1
`;

/** Progress from a list of done units; used by CELL and PARTIAL. */
const PROGRESS = `
local function progress(jobKey, eventsKey, done)
  local total = tonumber(redis.call('HGET', jobKey, 'total'))
  local startedMs = tonumber(redis.call('HGET', jobKey, 'startedMs') or '0')
  local time = redis.call('TIME')
  local nowMs = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
  local eta = cjson.null
  if done > 0 and startedMs > 0 then eta = ((nowMs - startedMs) / 1000) * (total - done) / done end
  redis.call('XADD', eventsKey, '*', 'event', 'progress', 'data', cjson.encode({done = done, total = total, fraction = done / total, etaSeconds = eta}))
  return total
end
`;

/** A finished cell, once: KEYS job, cells, events; ARGV index, cell JSON. Returns 0 (a repeat, or the job is over), 1, or 2 (the last cell). */
const CELL = `${PROGRESS}
if redis.call('HGET', KEYS[1], 'state') ~= 'running' then return 0 end
if redis.call('HSETNX', KEYS[2], ARGV[1], ARGV[2]) == 0 then return 0 end
redis.call('EXPIRE', KEYS[2], redis.call('TTL', KEYS[1]))
local done = redis.call('HLEN', KEYS[2])
redis.call('HSET', KEYS[1], 'done', done)
redis.call('XADD', KEYS[3], '*', 'event', 'partial', 'data', ARGV[2])
local total = progress(KEYS[1], KEYS[3], done)
if done >= total then return 2 end
return 1
`;

/** A progress message of a job that is not a sweep (a training entry): KEYS job, events; ARGV message JSON. */
const PARTIAL = `${PROGRESS}
if redis.call('HGET', KEYS[1], 'state') ~= 'running' then return 0 end
local total = tonumber(redis.call('HGET', KEYS[1], 'total'))
local done = math.min(total, tonumber(redis.call('HINCRBY', KEYS[1], 'done', 1)))
redis.call('XADD', KEYS[2], '*', 'event', 'partial', 'data', ARGV[1])
progress(KEYS[1], KEYS[2], done)
return 1
`;

/**
 * The end of a job, once: KEYS job, events, active, cells, result; ARGV state,
 * finishedAt, problem JSON or '', ttl, then the final event's fields as
 * `prefix`/`suffix` of its data around the job's state.
 */
const FINISH = `
local state = redis.call('HGET', KEYS[1], 'state')
if state == false or state == 'succeeded' or state == 'failed' or state == 'cancelled' then return 0 end
redis.call('HSET', KEYS[1], 'state', ARGV[1], 'finishedAt', ARGV[2])
if ARGV[3] ~= '' then redis.call('HSET', KEYS[1], 'problem', ARGV[3]) end
if ARGV[1] == 'succeeded' then redis.call('HSET', KEYS[1], 'done', redis.call('HGET', KEYS[1], 'total')) end
redis.call('SREM', KEYS[3], string.match(KEYS[1], '[^:]+$'))
redis.call('XADD', KEYS[2], '*', 'event', ARGV[1], 'data', ARGV[5])
for i = 1, 5 do if i ~= 3 then redis.call('EXPIRE', KEYS[i], ARGV[4]) end end
return 1
`;

export interface StoreOptions {
  redisUrl: string;
  resultTtlSeconds: number;
  /** Commands fail at once while Redis is unreachable (the API answers 503) instead of waiting in a queue. */
  failFast: boolean;
  onError: (error: unknown) => void;
}

type Scripted = Redis & {
  createJob(...args: (string | number)[]): Promise<[number, string | null]>;
  startJob(...args: (string | number)[]): Promise<number>;
  finishCell(...args: (string | number)[]): Promise<number>;
  addPartial(...args: (string | number)[]): Promise<number>;
  finishJob(...args: (string | number)[]): Promise<number>;
};

export const redisOptions = (failFast: boolean): RedisOptions => ({
  // BullMQ's workers need requests that wait for a reconnection; the API's must fail fast.
  maxRetriesPerRequest: failFast ? 1 : null,
  enableOfflineQueue: !failFast,
  retryStrategy: (attempt) => Math.min(2000, 100 * attempt),
});

/** The store answering for Redis's absence: a 503 the client may retry. */
export function unavailable(error: unknown): ProblemError {
  if (error instanceof ProblemError) return error;
  return new ProblemError('unavailable', `The job store (Redis) is unreachable: ${error instanceof Error ? error.message : String(error)}. Retry shortly.`, {}, { 'retry-after': '5' });
}

const fieldsOf = (hash: Record<string, string>): StoredJob | undefined => {
  if (hash['state'] === undefined) return undefined;
  return {
    id: hash['id'] as string,
    kind: hash['kind'] as JobKind,
    state: hash['state'] as JobState,
    createdAt: hash['createdAt'] as string,
    startedAt: hash['startedAt'] ?? null,
    finishedAt: hash['finishedAt'] ?? null,
    done: Number(hash['done'] ?? 0),
    total: Number(hash['total'] ?? 1),
    estimateSeconds: Number(hash['estimateSeconds'] ?? 0),
    ...(hash['problem'] === undefined ? {} : { problem: JSON.parse(hash['problem']) as Problem }),
  };
};

export class RedisStore {
  readonly redis: Scripted;

  constructor(private readonly options: StoreOptions) {
    const redis = new Redis(options.redisUrl, { ...redisOptions(options.failFast), lazyConnect: false });
    // Reconnection attempts repeat the same error many times a second while Redis is away: reported once per outage.
    let reported = false;
    redis.on('error', (error: unknown) => {
      if (!reported) options.onError(error);
      reported = true;
    });
    redis.on('ready', () => (reported = false));
    redis.defineCommand('createJob', { numberOfKeys: 5, lua: CREATE });
    redis.defineCommand('startJob', { numberOfKeys: 2, lua: START });
    redis.defineCommand('finishCell', { numberOfKeys: 3, lua: CELL });
    redis.defineCommand('addPartial', { numberOfKeys: 2, lua: PARTIAL });
    redis.defineCommand('finishJob', { numberOfKeys: 5, lua: FINISH });
    this.redis = redis as Scripted;
  }

  get ttl(): number {
    return this.options.resultTtlSeconds;
  }

  /** Waits up to `ms` for the connection to be usable (a fresh or reconnecting one); false if it is not by then. */
  async ready(ms: number): Promise<boolean> {
    if (this.redis.status === 'ready') return true;
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => {
        this.redis.off('ready', onReady);
        resolve(false);
      }, ms);
      const onReady = (): void => {
        clearTimeout(timer);
        resolve(true);
      };
      this.redis.once('ready', onReady);
    });
  }

  /** A subscriber connection of its own (a subscribed connection can do nothing else). */
  subscriber(): Redis {
    const connection = this.redis.duplicate();
    connection.on('error', (error: unknown) => this.options.onError(error));
    return connection;
  }

  async get(id: string): Promise<StoredJob | undefined> {
    return fieldsOf(await this.redis.hgetall(keys.job(id)));
  }

  async spec(id: string): Promise<{ kind: JobKind; request: unknown; sweep: SweepSpec | null; state: JobState } | undefined> {
    const [kind, request, sweep, state] = await this.redis.hmget(keys.job(id), 'kind', 'request', 'sweep', 'state');
    if (kind == null || request == null || state == null) return undefined;
    return { kind: kind as JobKind, request: JSON.parse(request) as unknown, sweep: sweep == null || sweep === '' ? null : (JSON.parse(sweep) as SweepSpec), state: state as JobState };
  }

  async start(id: string): Promise<void> {
    await this.redis.startJob(keys.job(id), keys.events(id), new Date().toISOString(), Date.now(), this.ttl);
  }

  /** Records a finished cell; true when it was the job's last. */
  async finishCell(id: string, cell: SweepCell): Promise<'repeat' | 'recorded' | 'last'> {
    const outcome = await this.redis.finishCell(keys.job(id), keys.cells(id), keys.events(id), cell.index, JSON.stringify(cell));
    return outcome === 2 ? 'last' : outcome === 1 ? 'recorded' : 'repeat';
  }

  async addPartial(id: string, message: unknown): Promise<void> {
    await this.redis.addPartial(keys.job(id), keys.events(id), JSON.stringify(message));
  }

  async cells(id: string): Promise<SweepCell[]> {
    return Object.values(await this.redis.hgetall(keys.cells(id))).map((text) => JSON.parse(text) as SweepCell);
  }

  async result(id: string): Promise<Uint8Array | undefined> {
    return (await this.redis.getBuffer(keys.result(id))) ?? undefined;
  }

  /** Ends a job (once); with a result, stored first. Returns whether this call ended it. */
  async finish(id: string, state: 'succeeded' | 'failed' | 'cancelled', details: { problem?: Problem; result?: Uint8Array } = {}): Promise<boolean> {
    const job = await this.get(id);
    if (job === undefined || isFinished(job.state)) return false;
    if (details.result !== undefined) await this.redis.set(keys.result(id), Buffer.from(details.result), 'EX', this.ttl);
    const finishedAt = new Date().toISOString();
    const final = viewOf({ ...job, state, finishedAt, ...(state === 'succeeded' ? { done: job.total } : {}), ...(details.problem === undefined ? {} : { problem: details.problem }) });
    const ended = await this.redis.finishJob(keys.job(id), keys.events(id), keys.active, keys.cells(id), keys.result(id), state, finishedAt, details.problem === undefined ? '' : JSON.stringify(details.problem), this.ttl, JSON.stringify(final));
    return ended === 1;
  }

  /** Events after `after` (all without it), at most `count`. */
  async eventsAfter(id: string, after: string | undefined, count: number): Promise<JobEvent[]> {
    const entries = await this.redis.xrange(keys.events(id), after === undefined ? '-' : `(${after}`, '+', 'COUNT', count);
    return entries.map(([eventId, fields]) => {
      const record: Record<string, string> = {};
      for (let index = 0; index + 1 < fields.length; index += 2) record[fields[index] as string] = fields[index + 1] as string;
      return { id: eventId, event: record['event'] as JobEventType, data: JSON.parse(record['data'] ?? 'null') as unknown };
    });
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
