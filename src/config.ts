import { availableParallelism } from 'node:os';
import proxyAddr from '@fastify/proxy-addr';
import { z } from 'zod';

/** Whether proxy-addr (what Fastify's trustProxy compiles with) takes these entries; its message if not. */
function proxyAddressProblem(entries: string[]): string | undefined {
  try {
    proxyAddr.compile(entries);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/**
 * TRUST_PROXY: which peers may tell the client's address in X-Forwarded-For. Empty: none (the address is
 * the TCP peer's); `true`: any; otherwise addresses, ranges (a.b.c.d/n) or the names loopback, linklocal,
 * uniquelocal, comma-separated. (No hop counts: Fastify 5 ignores them, since a hop count cannot tell a
 * proxy from a client that sends the header itself.)
 */
const trustProxySchema = z
  .string()
  .default('')
  .transform((text, context): boolean | string[] => {
    const value = text.trim();
    if (value === '' || value === 'false') return false;
    if (value === 'true') return true;
    if (/^\d+$/.test(value)) {
      // proxy-addr would read "2" as the address 0.0.0.2.
      context.addIssue({ code: 'custom', message: 'hop counts are not supported (Fastify 5 ignores them); give the proxies\' addresses or ranges' });
      return z.NEVER;
    }
    const entries = value.split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');
    const problem = proxyAddressProblem(entries);
    if (problem !== undefined) {
      context.addIssue({ code: 'custom', message: `${problem} (give addresses, ranges a.b.c.d/n with n ≥ 1, or loopback, linklocal, uniquelocal; \`true\` trusts any peer)` });
      return z.NEVER;
    }
    return entries;
  });

/** Environment variables the service reads, parsed once at start-up. */
const environmentSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().trim().min(1).default('127.0.0.1'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  BODY_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(64 * 1024 * 1024),
  MAX_ELEMENTS: z.coerce.number().int().min(1).default(1_000_000),
  SIMULATION_THREADS: z.coerce.number().int().min(1).max(256).default(Math.max(1, availableParallelism())),
  SIMULATION_QUEUE: z.coerce.number().int().min(0).default(32),
  SIMULATION_TIMEOUT_MS: z.coerce.number().int().min(100).default(60_000),
  SIMULATION_MAX_GFLOP: z.coerce.number().positive().default(200),
  SIMULATION_MAX_SECONDS: z.coerce.number().positive().default(20),
  SIMULATION_MAX_MEMORY_MB: z.coerce.number().positive().default(384),
  SIMULATION_QUEUE_MB: z.coerce.number().positive().default(256),
  SIMULATION_MAX_WAIT_SECONDS: z.coerce.number().positive().default(10),
  MAX_ANSWER_MB: z.coerce.number().positive().default(96),
  WORKER_MAX_HEAP_MB: z.coerce.number().int().min(64).default(512),
  MAX_EVENT_LOOP_DELAY_MS: z.coerce.number().int().min(0).default(1000),
  RATE_LIMIT_MAX: z.coerce.number().int().min(0).default(0),
  RATE_LIMIT_WINDOW_MS: z.coerce.number().int().min(1).default(60_000),
  CORS_ORIGINS: z.string().default(''),
  TRUST_PROXY: trustProxySchema,
  REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).default(30_000),
  HEADERS_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
  KEEP_ALIVE_TIMEOUT_MS: z.coerce.number().int().min(100).default(72_000),
  SOCKET_IDLE_TIMEOUT_MS: z.coerce.number().int().min(100).default(120_000),
  REDIS_URL: z
    .string()
    .trim()
    .default('')
    .refine((url) => url === '' || /^rediss?:\/\/\S+$/.test(url), 'must be a redis:// or rediss:// URL (or empty for the embedded job engine)'),
  JOB_MAX_SECONDS: z.coerce.number().positive().default(600),
  JOB_MAX_GFLOP: z.coerce.number().positive().default(6000),
  JOB_TIMEOUT_MS: z.coerce.number().int().min(100).default(900_000),
  JOB_MAX_CELLS: z.coerce.number().int().min(1).default(2500),
  JOB_MAX_STORED: z.coerce.number().int().min(1).default(1000),
  JOB_MAX_ACTIVE: z.coerce.number().int().min(1).default(64),
  JOB_STORE_MB: z.coerce.number().positive().default(256),
  JOB_RESULT_TTL_S: z.coerce.number().int().min(1).default(86_400),
  JOB_CONCURRENCY: z.coerce.number().int().min(1).max(256).optional(),
  JOB_HEARTBEAT_MS: z.coerce.number().int().min(100).default(15_000),
  JOB_MAX_QUEUED_RUNS: z.coerce.number().int().min(1).default(20_000),
  JOB_LOCK_MS: z.coerce.number().int().min(1000).default(30_000),
})
  // Node's http.createServer refuses a headers timeout longer than the request timeout.
  .refine((env) => env.HEADERS_TIMEOUT_MS <= env.REQUEST_TIMEOUT_MS, {
    message: 'must not exceed REQUEST_TIMEOUT_MS (the headers are part of the request)',
    path: ['HEADERS_TIMEOUT_MS'],
  })
  // A request waits silently for its simulation (queued and running) up to SIMULATION_TIMEOUT_MS.
  .refine((env) => env.SOCKET_IDLE_TIMEOUT_MS > env.SIMULATION_TIMEOUT_MS, {
    message: 'must exceed SIMULATION_TIMEOUT_MS, or a connection waiting for its simulation would be closed',
    path: ['SOCKET_IDLE_TIMEOUT_MS'],
  });

/** The names of the environment variables the service reads. */
export const configVariableNames: readonly string[] = Object.keys(environmentSchema.shape);

export interface Config {
  port: number;
  host: string;
  logLevel: z.infer<typeof environmentSchema>['LOG_LEVEL'];
  /** Largest accepted request body. */
  bodyLimitBytes: number;
  /** Largest number of evaluated elements one request may ask for (inputs × activations). */
  maxElements: number;
  simulation: {
    /** Worker threads running simulations. */
    threads: number;
    /** Simulations that may wait for a thread; one more is refused with 503. */
    queue: number;
    /** A simulation running longer is cancelled. */
    timeoutMs: number;
    /** Largest estimated cost of one simulation, in floating-point operations. */
    maxFlops: number;
    /** Largest estimated working memory of one simulation, in bytes. */
    maxBytes: number;
    /** Largest estimated time of one request's work on one core, in seconds. */
    maxSeconds: number;
    /** Largest answer, in bytes. */
    maxAnswerBytes: number;
    /** Bytes (bodies and plans) that queued work may hold. */
    maxQueuedBytes: number;
    /** Estimated seconds of work queued ahead beyond which a new task is refused with 503 (load shedding). */
    maxWaitSeconds: number;
    /** Heap limit of each worker thread, in MiB. */
    maxHeapMb: number;
  };
  /** Above this event-loop delay the service answers 503 (0 turns the check off). */
  maxEventLoopDelayMs: number;
  /** Requests per client (IP) per window; 0: no rate limiting. */
  rateLimit: { max: number; windowMs: number };
  /** Origins allowed by CORS: [] none (no CORS headers), ['*'] any. */
  corsOrigins: string[];
  /** Fastify's trustProxy: whose X-Forwarded-For gives the client address (rate limiting counts by it). */
  trustProxy: boolean | string[];
  /** Jobs and sweeps (src/jobs/): the engine, their limits and how long they are kept. */
  jobs: {
    /** Redis for the distributed engine (BullMQ); null: the embedded engine (jobs in this process's memory). */
    redisUrl: string | null;
    /** Largest estimated computing of one job (a sweep: all its runs), in seconds on one core. */
    maxSeconds: number;
    /** Largest arithmetic of one job, in floating-point operations. */
    maxFlops: number;
    /** A run of a job (a sweep cell's trial, or the whole job otherwise) running longer is stopped. */
    timeoutMs: number;
    /** Most cells (points × trials) of one sweep. */
    maxCells: number;
    /** Jobs kept; past it the oldest finished one is forgotten. */
    maxStored: number;
    /** Jobs queued or running at once; one more is refused with 503. */
    maxActive: number;
    /** Bytes of results kept; past it the oldest finished jobs are forgotten. */
    maxStoredBytes: number;
    /** A finished job and its result are kept this long. */
    resultTtlSeconds: number;
    /** Runs of jobs on the worker pool at once. */
    concurrency: number;
    /** Comment lines on an idle event stream, this often. */
    heartbeatMs: number;
    /** Distributed engine: runs waiting in the queue; a submission that would pass it is refused with 503. */
    maxQueuedRuns: number;
    /** Distributed engine: a worker's hold on a run, renewed while it runs; a dead worker's runs go to another after it. */
    lockMs: number;
  };
  /** How long a client may take to send a request, and how long an idle connection stays open. */
  timeouts: {
    /** Receiving the whole request, body included (not the time to answer it). */
    requestMs: number;
    /** Receiving the request line and headers, from the connection's first byte or the previous response. */
    headersMs: number;
    /** An idle keep-alive connection is closed after this. */
    keepAliveMs: number;
    /** A connection on which nothing is read or written for this long is closed (a client that stops reading its answer). */
    socketIdleMs: number;
    /** How often Node looks for connections past the request or headers timeout. */
    checkingIntervalMs: number;
  };
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Reads the configuration from an environment; throws a ConfigError naming every bad variable. */
export function loadConfig(environment: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable means "not set", as in most deployment tools.
  const present = Object.fromEntries(Object.entries(environment).filter(([, value]) => value !== ''));
  const parsed = environmentSchema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0]);
      return `  ${name}=${JSON.stringify(environment[name])}: ${issue.message}`;
    });
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const env = parsed.data;
  return {
    port: env.PORT,
    host: env.HOST,
    logLevel: env.LOG_LEVEL,
    bodyLimitBytes: env.BODY_LIMIT_BYTES,
    maxElements: env.MAX_ELEMENTS,
    simulation: {
      threads: env.SIMULATION_THREADS,
      queue: env.SIMULATION_QUEUE,
      timeoutMs: env.SIMULATION_TIMEOUT_MS,
      maxFlops: env.SIMULATION_MAX_GFLOP * 1e9,
      maxBytes: env.SIMULATION_MAX_MEMORY_MB * 1024 * 1024,
      maxSeconds: env.SIMULATION_MAX_SECONDS,
      maxAnswerBytes: env.MAX_ANSWER_MB * 1024 * 1024,
      maxQueuedBytes: env.SIMULATION_QUEUE_MB * 1024 * 1024,
      maxWaitSeconds: env.SIMULATION_MAX_WAIT_SECONDS,
      maxHeapMb: env.WORKER_MAX_HEAP_MB,
    },
    maxEventLoopDelayMs: env.MAX_EVENT_LOOP_DELAY_MS,
    rateLimit: { max: env.RATE_LIMIT_MAX, windowMs: env.RATE_LIMIT_WINDOW_MS },
    corsOrigins: env.CORS_ORIGINS.split(',')
      .map((origin) => origin.trim())
      .filter((origin) => origin !== ''),
    trustProxy: env.TRUST_PROXY,
    jobs: {
      redisUrl: env.REDIS_URL === '' ? null : env.REDIS_URL,
      maxSeconds: env.JOB_MAX_SECONDS,
      maxFlops: env.JOB_MAX_GFLOP * 1e9,
      timeoutMs: env.JOB_TIMEOUT_MS,
      maxCells: env.JOB_MAX_CELLS,
      maxStored: env.JOB_MAX_STORED,
      maxActive: env.JOB_MAX_ACTIVE,
      maxStoredBytes: env.JOB_STORE_MB * 1024 * 1024,
      resultTtlSeconds: env.JOB_RESULT_TTL_S,
      concurrency: env.JOB_CONCURRENCY ?? env.SIMULATION_THREADS,
      heartbeatMs: env.JOB_HEARTBEAT_MS,
      maxQueuedRuns: env.JOB_MAX_QUEUED_RUNS,
      lockMs: env.JOB_LOCK_MS,
    },
    timeouts: {
      requestMs: env.REQUEST_TIMEOUT_MS,
      headersMs: env.HEADERS_TIMEOUT_MS,
      keepAliveMs: env.KEEP_ALIVE_TIMEOUT_MS,
      socketIdleMs: env.SOCKET_IDLE_TIMEOUT_MS,
      // Node only notices an expired request when it checks (30 s apart by default); checking ten times per
      // headers timeout (at most once a second) cuts a slow client off at most a tenth late.
      checkingIntervalMs: Math.min(1000, Math.ceil(env.HEADERS_TIMEOUT_MS / 10)),
    },
  };
}

/** The entry points' configuration: a bad environment is one message on stderr and exit code 78 (EX_CONFIG). */
export function loadConfigOrExit(environment: NodeJS.ProcessEnv = process.env): Config {
  try {
    return loadConfig(environment);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
}
