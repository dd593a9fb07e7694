/**
 * A liveness prober in its own process, as an orchestrator's would be: one
 * GET on a fresh connection every `intervalMs` for `seconds`, then one JSON
 * line on stdout with the status counts and latency percentiles.
 *
 *   node --import tsx bench/lib/health-probe.ts URL SECONDS INTERVAL_MS
 */
import { request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { percentile } from './statistics.js';

const [url = '', secondsArgument = '10', intervalArgument = '50'] = process.argv.slice(2);
const PROBE_TIMEOUT_MS = 5_000;

function probe(): Promise<{ status: string; ms: number }> {
  const start = performance.now();
  return new Promise((resolve) => {
    const done = (status: string): void => resolve({ status, ms: performance.now() - start });
    const outgoing = request(url, { agent: false, timeout: PROBE_TIMEOUT_MS }, (response) => {
      response.resume();
      response.once('end', () => done(String(response.statusCode)));
      response.once('error', () => done('reset'));
    });
    outgoing.once('timeout', () => outgoing.destroy(new Error('timeout')));
    outgoing.once('error', (error: NodeJS.ErrnoException) => done(error.message === 'timeout' ? 'timeout' : (error.code ?? 'error')));
    outgoing.end();
  });
}

const deadline = performance.now() + Number(secondsArgument) * 1000;
const intervalMs = Number(intervalArgument);
const latencies: number[] = [];
const statuses: Record<string, number> = {};
while (performance.now() < deadline) {
  const started = performance.now();
  const { status, ms } = await probe();
  latencies.push(ms);
  statuses[status] = (statuses[status] ?? 0) + 1;
  await sleep(Math.max(0, intervalMs - (performance.now() - started)));
}
const round = (ms: number): number => Math.round(ms * 10) / 10;
console.log(
  JSON.stringify({
    count: latencies.length,
    statuses,
    p50: round(percentile(latencies, 50)),
    p99: round(percentile(latencies, 99)),
    max: round(Math.max(...latencies)),
  }),
);
