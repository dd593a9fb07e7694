/**
 * Watching the service while it is attacked: /healthz latency from a prober in
 * its own process (bench/lib/healthz-prober.ts), and the resident set of the
 * service process from /proc/<pid>/status, with a guard that kills a service
 * about to take the shared machine down with it.
 */
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { spawn } from 'node:child_process';
import { percentile } from './statistics.js';

const proberScript = fileURLToPath(new URL('./healthz-prober.ts', import.meta.url));

export interface HealthzSummary {
  probes: number;
  /** Probes answered 200. */
  ok: number;
  /** Status (or error code) → count. */
  statuses: Record<string, number>;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export interface HealthzProber {
  stop: () => Promise<HealthzSummary>;
}

/** Starts probing `url` (a /healthz URL) every `intervalMs` on fresh connections; resolves once the first probe is due. */
export async function startHealthzProber(url: string, intervalMs = 25, maxSeconds = 300): Promise<HealthzProber> {
  const child = spawn(process.execPath, ['--import', 'tsx', proberScript, url, String(intervalMs), String(maxSeconds)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout });
  const iterator = lines[Symbol.asyncIterator]();
  const first = await iterator.next();
  if (first.value !== 'ready') throw new Error(`the healthz prober did not start: ${String(first.value)}`);
  return {
    stop: async () => {
      child.stdin.end('stop\n');
      const report = await iterator.next();
      lines.close();
      const { latencies, statuses } = JSON.parse(String(report.value)) as { latencies: number[]; statuses: string[] };
      const counts: Record<string, number> = {};
      for (const status of statuses) counts[status] = (counts[status] ?? 0) + 1;
      return {
        probes: latencies.length,
        ok: counts['200'] ?? 0,
        statuses: counts,
        p50Ms: percentile(latencies, 50),
        p99Ms: percentile(latencies, 99),
        maxMs: latencies.length === 0 ? Number.NaN : Math.max(...latencies),
      };
    },
  };
}

/** VmRSS of a process in bytes (Linux), or undefined once it is gone. */
export function residentBytes(pid: number): number | undefined {
  try {
    const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match?.[1] === undefined ? undefined : Number(match[1]) * 1024;
  } catch {
    return undefined;
  }
}

export interface RssSampler {
  /** Peak VmRSS seen so far, in bytes. */
  peakBytes: () => number;
  /** Whether the guard fired (the process was killed). */
  tripped: () => boolean;
  stop: () => void;
}

/**
 * Samples VmRSS every `everyMs`. Past `guardBytes` it calls `onGuard` once (which should kill the
 * service): the machine is shared, and a service heading for many gigabytes fails the 1.5 GB
 * guarantee already.
 */
export function startRssSampler(pid: number, guardBytes: number, onGuard: (bytes: number) => void, everyMs = 100): RssSampler {
  let peak = residentBytes(pid) ?? 0;
  let tripped = false;
  const timer = setInterval(() => {
    const bytes = residentBytes(pid);
    if (bytes === undefined) return;
    peak = Math.max(peak, bytes);
    if (!tripped && bytes > guardBytes) {
      tripped = true;
      onGuard(bytes);
    }
  }, everyMs);
  return { peakBytes: () => peak, tripped: () => tripped, stop: () => clearInterval(timer) };
}
