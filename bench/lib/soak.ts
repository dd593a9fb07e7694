/**
 * A steady, rate-limited mixed load against one service child while its
 * memory is sampled at a fixed interval: RSS and heap from /metrics, then the
 * heap after a forced full collection over IPC. Used by bench/soak.ts
 * (minutes) and test/load/soak.test.ts (seconds); start the service with
 * `exposeGc: true`.
 */
import autocannon from 'autocannon';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ServiceProcess } from './service.js';
import { linearFit } from './statistics.js';
import { jsonHeaders, mixedRequests } from './workload.js';

export interface MemoryPoint {
  /** Seconds since the load started. */
  atSeconds: number;
  rssMB: number;
  /** Heap in use at the moment of sampling: garbage included, so a sawtooth. */
  heapUsedMB: number;
  /** Heap in use right after a forced full collection: what a leak grows (needs the service started with exposeGc). */
  retainedHeapMB: number;
}

export interface SoakOptions {
  seconds: number;
  /** Requests per second over all connections. */
  rate: number;
  connections: number;
  sampleEverySeconds: number;
  /** Samples before this are warm-up (threads starting, JIT) and left out of the fit. */
  warmUpSeconds: number;
  onSample?: (point: MemoryPoint) => void;
}

export interface SoakReport {
  source: string;
  requests: number;
  statuses: Record<string, number>;
  errors: number;
  timeouts: number;
  latencyP99Ms: number;
  samples: MemoryPoint[];
  rss: MemorySummary;
  heapUsed: MemorySummary;
  retainedHeap: MemorySummary;
}

export interface MemorySummary {
  startMB: number;
  /** The first sample after the warm-up, where the fit starts. */
  afterWarmUpMB: number;
  endMB: number;
  maxMB: number;
  /** Least-squares slope over the samples after the warm-up. */
  slopeMBPerMinute: number;
}

const MB = 1024 * 1024;

/** Reads RSS and heap from the service's /metrics (prom-client's default collectors) when it has them. */
async function fromMetrics(url: string): Promise<{ rssBytes: number; heapUsedBytes: number } | undefined> {
  try {
    const response = await fetch(`${url}/metrics`);
    if (!response.ok) return undefined;
    const text = await response.text();
    const gauge = (name: string): number | undefined => {
      const match = new RegExp(`^${name} (\\S+)$`, 'm').exec(text);
      return match?.[1] === undefined ? undefined : Number(match[1]);
    };
    const rssBytes = gauge('process_resident_memory_bytes');
    const heapUsedBytes = gauge('nodejs_heap_size_used_bytes');
    return rssBytes === undefined || heapUsedBytes === undefined ? undefined : { rssBytes, heapUsedBytes };
  } catch {
    return undefined;
  }
}

/** Chooses the memory source once: /metrics if the service exposes it, else process.memoryUsage() over IPC. */
async function memoryReader(service: ServiceProcess): Promise<{ source: string; read: () => Promise<{ rssBytes: number; heapUsedBytes: number }> }> {
  if ((await fromMetrics(service.url)) !== undefined) {
    return {
      source: 'GET /metrics (process_resident_memory_bytes, nodejs_heap_size_used_bytes)',
      read: async () => (await fromMetrics(service.url)) ?? service.memory(),
    };
  }
  return { source: 'process.memoryUsage() of the server over IPC', read: () => service.memory() };
}

function summarise(samples: readonly MemoryPoint[], warmUpSeconds: number, pick: (point: MemoryPoint) => number): MemorySummary {
  const fitted = samples.filter((point) => point.atSeconds >= warmUpSeconds);
  const fitSamples = fitted.length >= 2 ? fitted : samples;
  const { slope } = linearFit(
    fitSamples.map((point) => point.atSeconds / 60),
    fitSamples.map(pick),
  );
  const values = samples.map(pick);
  return {
    startMB: values[0] ?? Number.NaN,
    afterWarmUpMB: pick(fitSamples[0] as MemoryPoint),
    endMB: values.at(-1) ?? Number.NaN,
    maxMB: Math.max(...values),
    slopeMBPerMinute: slope,
  };
}

export async function soak(service: ServiceProcess, options: SoakOptions): Promise<SoakReport> {
  const { source, read } = await memoryReader(service);
  const samples: MemoryPoint[] = [];
  const started = performance.now();
  const sample = async (): Promise<void> => {
    const { rssBytes, heapUsedBytes } = await read();
    const retained = await service.memory(true);
    const point = {
      atSeconds: (performance.now() - started) / 1000,
      rssMB: rssBytes / MB,
      heapUsedMB: heapUsedBytes / MB,
      retainedHeapMB: retained.heapUsedBytes / MB,
    };
    samples.push(point);
    options.onSample?.(point);
  };

  await sample();
  let loadRunning = true;
  // autocannon answers a thenable, not a Promise.
  const load = Promise.resolve(
    autocannon({
      url: service.url,
      connections: options.connections,
      overallRate: options.rate,
      duration: options.seconds,
      requests: mixedRequests.map(({ method, path, body }) => ({ method, path, ...(body === undefined ? {} : { body, headers: jsonHeaders }) })),
    }),
  ).finally(() => (loadRunning = false));

  // Sample on a fixed grid until the load ends (the load itself is bounded by `seconds`).
  for (let tick = 1; loadRunning; tick++) {
    const nextAt = started + tick * options.sampleEverySeconds * 1000;
    while (loadRunning && performance.now() < nextAt) await sleep(Math.min(250, nextAt - performance.now()));
    if (loadRunning) await sample();
  }
  const result = await load;
  await sample();

  return {
    source,
    requests: result.requests.total,
    statuses: Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([status, stats]) => [status, stats.count ?? 0])),
    errors: result.errors,
    timeouts: result.timeouts,
    latencyP99Ms: result.latency.p99,
    samples,
    rss: summarise(samples, options.warmUpSeconds, (point) => point.rssMB),
    heapUsed: summarise(samples, options.warmUpSeconds, (point) => point.heapUsedMB),
    retainedHeap: summarise(samples, options.warmUpSeconds, (point) => point.retainedHeapMB),
  };
}
