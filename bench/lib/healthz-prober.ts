/**
 * The abuse suite's liveness prober, in its own process so that the load the
 * suite generates cannot delay it: one GET /healthz on a fresh connection every
 * INTERVAL_MS until a line arrives on stdin (or stdin closes, or MAX_SECONDS
 * pass), then one JSON line on stdout with every latency and status. Prints
 * `ready` first.
 *
 *   node --import tsx bench/lib/healthz-prober.ts URL INTERVAL_MS MAX_SECONDS
 */
import { request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

const [url = '', intervalArgument = '25', maxSecondsArgument = '120'] = process.argv.slice(2);
const intervalMs = Number(intervalArgument);
/** A probe unanswered this long counts as a timeout (and as this latency). */
const PROBE_TIMEOUT_MS = 10_000;

function probe(): Promise<{ status: string; ms: number }> {
  const start = performance.now();
  return new Promise((resolve) => {
    let done = false;
    const finish = (status: string): void => {
      if (done) return;
      done = true;
      resolve({ status, ms: performance.now() - start });
    };
    const outgoing = request(url, { agent: false, timeout: PROBE_TIMEOUT_MS }, (response) => {
      response.resume();
      response.once('end', () => finish(String(response.statusCode)));
      response.once('error', () => finish('reset'));
    });
    outgoing.once('timeout', () => {
      finish('timeout');
      outgoing.destroy();
    });
    outgoing.once('error', (error: NodeJS.ErrnoException) => finish(error.code ?? 'error'));
    outgoing.end();
  });
}

let stopping = false;
process.stdin.on('data', () => (stopping = true));
process.stdin.once('end', () => (stopping = true));
const deadline = performance.now() + Number(maxSecondsArgument) * 1000;
const latencies: number[] = [];
const statuses: string[] = [];
console.log('ready');
while (!stopping && performance.now() < deadline) {
  const started = performance.now();
  const { status, ms } = await probe();
  latencies.push(Math.round(ms * 10) / 10);
  statuses.push(status);
  await sleep(Math.max(0, intervalMs - (performance.now() - started)));
}
console.log(JSON.stringify({ latencies, statuses }));
process.exit(0);
