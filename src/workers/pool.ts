import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { createInterruptFlags, IN_NATIVE_CALL, STOP_REQUESTED } from '../linalg/interrupt.js';

/**
 * Worker threads for every piece of heavy work (simulations, theory, charts,
 * large evaluations, large bodies), so that the event loop keeps answering.
 * The pool keeps its own queue in front of piscina's threads, which lets it
 * bound the queue by count and by bytes held, drop a queued task whose client
 * has gone before it starts, time a task from when it starts, and answer the
 * whole queue at once on shutdown. It knows nothing of HTTP.
 */

export class PoolSaturatedError extends Error {
  override name = 'PoolSaturatedError';
  constructor(
    message: string,
    /** When a retry may be admitted, in seconds. */
    readonly retryAfterSeconds = 2,
  ) {
    super(message);
  }
}

export class WorkTimeoutError extends Error {
  override name = 'WorkTimeoutError';
  constructor(readonly timeoutMs: number) {
    super(`The work was cancelled after ${timeoutMs} ms.`);
  }
}

/** A task that was still queued when the pool began to close. */
export class ShuttingDownError extends Error {
  override name = 'ShuttingDownError';
}

/** A worker thread that went past its heap limit while running the task (it dies alone, the process lives on). */
export class WorkerLostError extends Error {
  override name = 'WorkerLostError';
  constructor(cause: unknown) {
    super('The work ran out of memory on its worker thread.', { cause });
  }
}

export interface WorkPoolOptions {
  threads: number;
  /** Tasks that may wait for a thread; one more is refused. */
  queue: number;
  /** Bytes that queued tasks may hold (bodies and plans); one more is refused. */
  maxQueuedBytes: number;
  /**
   * A task that would wait longer than this for a thread (by the estimates of
   * the work ahead of it) is refused at once: a client learns in a millisecond
   * that it should come back, rather than after its own timeout.
   */
  maxWaitSeconds?: number;
  /** A task running longer is stopped (its thread is terminated). */
  timeoutMs: number;
  /** Old-generation heap limit of each worker thread; a worker past it dies alone, not the process. */
  maxHeapMb: number;
  /**
   * Start every thread at once and keep it (the service does): a thread's
   * start loads the GEMM engine, about 0.7 s that would otherwise land on the
   * first request after every idle spell. Off by default, for tests that build
   * many apps.
   */
  keepThreadsWarm?: boolean;
}

export interface RunOptions {
  /** Aborted when the client goes away: a queued task is dropped, a running one stopped. */
  signal?: AbortSignal | undefined;
  /** Estimated running time, for the backlog figure. */
  estimateSeconds?: number;
  /** Bytes the task holds while it waits (its body or plan). */
  bytes?: number;
  /** Called when a thread takes the task. */
  onStart?: () => void;
  /**
   * Receives what the task reports while it runs (training history entries,
   * sweep cells), in order, all before the task's result. The worker side gets
   * a `MessagePort` as the task's `progress` (see `PooledTask`).
   */
  onProgress?: (message: unknown) => void;
  /** Overrides the pool's time limit for this task (jobs may run longer than requests). */
  timeoutMs?: number;
}

/** What a worker thread receives: the task, and where to post progress (when someone listens). */
export interface PooledTask<Task = unknown> {
  task: Task;
  progress: MessagePort | null;
  /** Shared flags (src/linalg/interrupt.ts): the pool asks the task to stop through them. */
  interrupt: Int32Array | null;
}

/**
 * A task asked to stop (its client left, its time ran out, the service shuts
 * down) gets this long to throw at its next checkpoint before its thread is
 * terminated; termination itself waits until the thread is outside any
 * native call (terminating one inside onnxruntime aborts the process).
 */
const STOP_GRACE_MS = 2_000;
const NATIVE_CALL_POLL_MS = 5;

/** The message a worker posts on its progress port once it has reported everything. */
export const PROGRESS_END = '__progress_end__';

export interface PoolStatistics {
  /** Running or queued. */
  inFlight: number;
  running: number;
  queued: number;
  threads: number;
  /** Fraction of the pool's capacity in use since it started (piscina's utilization). */
  utilization: number;
  completed: number;
  /** Estimated seconds until a newly queued task would start. */
  backlogSeconds: number;
  /** Worker threads alive now (started and not yet reaped or terminated). */
  startedThreads: number;
}

interface Pending {
  task: unknown;
  options: RunOptions;
  resolve: (value: unknown) => void;
  reject: (reason: unknown) => void;
  dropIfAborted: () => void;
}

/** The worker module: compiled JavaScript next to this file, or, from source, an entry that loads the TypeScript through tsx. */
function workerLocation(): string {
  const fromSource = import.meta.url.endsWith('.ts');
  return new URL(fromSource ? './work-worker-from-source.mjs' : './work-worker.js', import.meta.url).href;
}

const isOutOfMemory = (error: unknown): boolean => error instanceof Error && 'code' in error && error.code === 'ERR_WORKER_OUT_OF_MEMORY';

export class WorkPool {
  private readonly piscina: Piscina;
  private readonly waiting: Pending[] = [];
  private running = 0;
  private runningEstimateSeconds = 0;
  private queuedBytes = 0;
  private closing = false;
  private readonly settledWhenIdle = new Set<() => void>();
  /** Asks every running task to stop (shutdown). */
  private readonly stopRunning = new Set<() => void>();
  /** Told of worker failures outside a task (the app logs them). */
  onWorkerError: ((error: unknown) => void) | undefined;

  constructor(private readonly options: WorkPoolOptions) {
    this.piscina = new Piscina({
      filename: workerLocation(),
      // Not the process's own flags (a preloaded module would be loaded again in every thread).
      execArgv: [],
      minThreads: options.keepThreadsWarm === true ? options.threads : 0,
      maxThreads: options.threads,
      // Tasks reach piscina only when a thread is free; its own queue is a backstop.
      maxQueue: options.threads,
      idleTimeout: options.keepThreadsWarm === true ? Number.POSITIVE_INFINITY : 30_000,
      resourceLimits: { maxOldGenerationSizeMb: options.maxHeapMb },
    });
    // A worker that fails to start or dies outside a task must not take the process with it (an
    // unhandled 'error' event would); the task it held fails on its own, and piscina starts a new thread.
    this.piscina.on('error', (error: unknown) => this.onWorkerError?.(error));
  }

  /** How long a task may run before it is stopped. */
  get timeoutMs(): number {
    return this.options.timeoutMs;
  }

  /** Whether one more task would have to be refused. */
  get saturated(): boolean {
    return this.waiting.length >= this.options.queue || this.queuedBytes >= this.options.maxQueuedBytes;
  }

  run<Result>(task: unknown, options: RunOptions = {}): Promise<Result> {
    if (this.closing) return Promise.reject(new ShuttingDownError('The service is shutting down.'));
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.running >= this.options.threads && this.saturated) {
      return Promise.reject(new PoolSaturatedError('Every worker thread is busy and the queue is full.'));
    }
    const wait = this.statistics().backlogSeconds;
    if (this.options.maxWaitSeconds !== undefined && wait > this.options.maxWaitSeconds) {
      return Promise.reject(
        new PoolSaturatedError(`The work queued ahead would take about ${wait.toPrecision(2)} s to reach this request (SIMULATION_MAX_WAIT_SECONDS is ${this.options.maxWaitSeconds}).`, Math.ceil(wait)),
      );
    }
    return new Promise<Result>((resolve, reject) => {
      const pending: Pending = {
        task,
        options,
        resolve: resolve as (value: unknown) => void,
        reject,
        dropIfAborted: () => {
          const index = this.waiting.indexOf(pending);
          if (index === -1) return;
          this.waiting.splice(index, 1);
          this.queuedBytes -= options.bytes ?? 0;
          reject(signal?.reason);
          this.notifyIfIdle();
        },
      };
      signal?.addEventListener('abort', pending.dropIfAborted, { once: true });
      this.waiting.push(pending);
      this.queuedBytes += options.bytes ?? 0;
      this.pump();
    });
  }

  private pump(): void {
    while (this.running < this.options.threads && this.waiting.length > 0) {
      const pending = this.waiting.shift() as Pending;
      this.queuedBytes -= pending.options.bytes ?? 0;
      pending.options.signal?.removeEventListener('abort', pending.dropIfAborted);
      this.start(pending);
    }
  }

  private start({ task, options, resolve, reject }: Pending): void {
    const estimate = options.estimateSeconds ?? 0;
    options.onStart?.();
    this.running += 1;
    this.runningEstimateSeconds += estimate;
    const timeoutMs = options.timeoutMs ?? this.options.timeoutMs;
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = options.signal === undefined ? timeout : AbortSignal.any([options.signal, timeout]);
    const channel = options.onProgress === undefined ? null : this.progressChannel(options.onProgress);
    const interrupt = createInterruptFlags();
    const pooled: PooledTask = { task, progress: channel?.port ?? null, interrupt };
    // piscina terminates the thread when this aborts: only after the task was asked to stop and did not.
    const termination = new AbortController();
    let settled = false;
    const requestStop = (): void => {
      if (settled || Atomics.load(interrupt, STOP_REQUESTED) === 1) return;
      Atomics.store(interrupt, STOP_REQUESTED, 1);
      setTimeout(() => terminateWhenSafe(), STOP_GRACE_MS).unref();
    };
    const terminateWhenSafe = (): void => {
      if (settled) return;
      if (Atomics.load(interrupt, IN_NATIVE_CALL) === 1) setTimeout(terminateWhenSafe, NATIVE_CALL_POLL_MS).unref();
      else termination.abort(signal.reason);
    };
    signal.addEventListener('abort', requestStop, { once: true });
    this.stopRunning.add(requestStop);
    this.piscina
      .run(pooled, { signal: termination.signal, ...(channel === null ? {} : { transferList: [channel.port] }) })
      .then(async (result: unknown) => {
        await channel?.ended;
        resolve(result);
      })
      .catch((error: unknown) => {
        if (timeout.aborted) reject(new WorkTimeoutError(timeoutMs));
        else if (options.signal?.aborted) reject(options.signal.reason);
        else if (isOutOfMemory(error)) reject(new WorkerLostError(error));
        else reject(error);
      })
      .finally(() => {
        settled = true;
        signal.removeEventListener('abort', requestStop);
        this.stopRunning.delete(requestStop);
        channel?.close();
        this.running -= 1;
        this.runningEstimateSeconds -= estimate;
        this.pump();
        this.notifyIfIdle();
      });
  }

  /**
   * A port pair for one task's progress. Messages on the port and the task's
   * result travel on different channels, so the result is held back until the
   * worker's end marker has arrived: every progress message comes first.
   */
  private progressChannel(onProgress: (message: unknown) => void): { port: MessagePort; ended: Promise<void>; close: () => void } {
    const { port1: local, port2: remote } = new MessageChannel();
    let markEnded: () => void = () => undefined;
    const ended = new Promise<void>((resolve) => (markEnded = resolve));
    local.on('message', (message: unknown) => {
      if (message === PROGRESS_END) markEnded();
      else onProgress(message);
    });
    return { port: remote, ended, close: () => local.close() };
  }

  /** Resolves when nothing runs or waits, or after `ms`. */
  private idleWithin(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.settledWhenIdle.add(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  private notifyIfIdle(): void {
    if (this.running > 0 || this.waiting.length > 0) return;
    for (const settle of this.settledWhenIdle) settle();
    this.settledWhenIdle.clear();
  }

  statistics(): PoolStatistics {
    const queuedSeconds = this.waiting.reduce((total, pending) => total + (pending.options.estimateSeconds ?? 0), 0);
    return {
      inFlight: this.running + this.waiting.length,
      running: this.running,
      queued: this.waiting.length,
      threads: this.piscina.threads.length,
      utilization: this.piscina.utilization,
      completed: this.piscina.completed,
      startedThreads: this.piscina.threads.length,
      backlogSeconds: this.running < this.options.threads ? 0 : (this.runningEstimateSeconds / 2 + queuedSeconds) / this.options.threads,
    };
  }

  /**
   * Resolves once every thread has loaded its engine: one empty task per
   * thread, all at once, so that each lands on a thread of its own.
   */
  async warmUp(): Promise<void> {
    const empty: PooledTask<null> = { task: null, progress: null, interrupt: null };
    await Promise.all(Array.from({ length: this.options.threads }, () => this.piscina.run(empty)));
  }

  /**
   * Shutdown: every queued task is refused at once (ShuttingDownError), running
   * ones get up to `graceMs` to finish, then the threads are stopped.
   */
  async close({ graceMs = 0 }: { graceMs?: number } = {}): Promise<void> {
    this.closing = true;
    for (const pending of this.waiting.splice(0)) {
      pending.options.signal?.removeEventListener('abort', pending.dropIfAborted);
      pending.reject(new ShuttingDownError('The service is shutting down.'));
    }
    this.queuedBytes = 0;
    if (this.running > 0 && graceMs > 0) await this.idleWithin(graceMs);
    // What still runs is asked to stop, and gets the stop grace (and a moment outside native code) first.
    if (this.running > 0) {
      for (const requestStop of this.stopRunning) requestStop();
      await this.idleWithin(STOP_GRACE_MS + 1_000);
    }
    await this.piscina.destroy();
  }
}
