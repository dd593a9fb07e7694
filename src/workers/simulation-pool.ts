import { Piscina } from 'piscina';
import type { SimulationKind, SimulationOutcome, SimulationTask } from './simulation-tasks.js';
import type runSimulation from './simulation-worker.js';

/**
 * Simulations run in a pool of worker threads so that the event loop keeps
 * answering (health probes, small evaluations) while the cores are busy.
 * The pool bounds the queue and the time of each task; it knows nothing of HTTP.
 */

export class PoolSaturatedError extends Error {
  override name = 'PoolSaturatedError';
}

export class SimulationTimeoutError extends Error {
  override name = 'SimulationTimeoutError';
  constructor(readonly timeoutMs: number) {
    super(`The simulation was cancelled after ${timeoutMs} ms.`);
  }
}

export interface SimulationPoolOptions {
  threads: number;
  queue: number;
  timeoutMs: number;
}

export interface PoolStatistics {
  inFlight: number;
  threads: number;
  queued: number;
  /** Fraction of the pool's capacity in use since it started (piscina's utilization). */
  utilization: number;
  completed: number;
}

/** The worker module: compiled JavaScript next to this file, or TypeScript through tsx when running from source. */
function workerLocation(): { filename: string; execArgv: string[] } {
  const fromSource = import.meta.url.endsWith('.ts');
  const filename = new URL(fromSource ? './simulation-worker.ts' : './simulation-worker.js', import.meta.url).href;
  return { filename, execArgv: fromSource ? ['--import', 'tsx'] : [] };
}

export class SimulationPool {
  private readonly piscina: Piscina;

  constructor(private readonly options: SimulationPoolOptions) {
    const { filename, execArgv } = workerLocation();
    this.piscina = new Piscina({
      filename,
      execArgv,
      minThreads: 0,
      maxThreads: options.threads,
      // The pool itself refuses past threads + queue (see `saturated`); piscina's own limit is a backstop.
      maxQueue: options.queue + options.threads,
      idleTimeout: 30_000,
    });
  }

  /** Tasks submitted and not yet settled: running on a thread or waiting in the queue. */
  private inFlight = 0;

  /** Whether one more task would have to be refused. */
  get saturated(): boolean {
    return this.inFlight >= this.options.threads + this.options.queue;
  }

  /** Runs the task on a thread: what the worker's runSimulation answers for it. */
  async run<K extends SimulationKind>(task: SimulationTask<K>): Promise<SimulationOutcome<K>> {
    if (this.saturated) throw new PoolSaturatedError('Every simulation thread is busy and the queue is full.');
    const signal = AbortSignal.timeout(this.options.timeoutMs);
    this.inFlight += 1;
    try {
      // piscina's answer is untyped: it is runSimulation's, through structured clone (plain data).
      return (await this.piscina.run(task, { signal })) as Awaited<ReturnType<typeof runSimulation<K>>>;
    } catch (error) {
      if (signal.aborted) throw new SimulationTimeoutError(this.options.timeoutMs);
      throw error;
    } finally {
      this.inFlight -= 1;
    }
  }

  statistics(): PoolStatistics {
    return {
      inFlight: this.inFlight,
      threads: this.piscina.threads.length,
      queued: this.piscina.queueSize,
      utilization: this.piscina.utilization,
      completed: this.piscina.completed,
    };
  }

  async close(): Promise<void> {
    await this.piscina.close({ force: true });
  }
}
