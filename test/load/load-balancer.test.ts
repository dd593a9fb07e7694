import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { send, type Outcome } from '../../bench/lib/http-client.js';
import { nginxAvailable, nginxBinary, startNginx, type NginxProcess } from '../../bench/lib/nginx.js';
import { freePort, startService, type ServiceProcess } from '../../bench/lib/service.js';
import { evaluateManyBody, jsonHeaders, smallEvaluateBody, smallFeedforwardBody } from '../../bench/lib/workload.js';

/**
 * deploy/nginx/nginx.conf in front of two replicas, without Docker: the same
 * file with local ports, nginx as a child process. One replica is killed
 * (SIGKILL) in the middle of a stream of requests; passive health checks and
 * retries (POSTs included) must hide it completely.
 *
 * Needs Debian's nginx (`apt-get install -y nginx`; .ci/run installs it).
 * Without it the suite is skipped, except in CI, where it fails.
 */
const REQUESTS = 400;
const CONCURRENCY = 8;
const KILL_AFTER = 150;

const requestMix = [
  { method: 'GET', path: '/v1/activations/relu' },
  { method: 'POST', path: '/v1/activations/tanh/evaluate', body: smallEvaluateBody },
  { method: 'POST', path: '/v1/simulations/feedforward', body: smallFeedforwardBody },
  { method: 'POST', path: '/v1/evaluate', body: evaluateManyBody },
] as const;

interface AccessLogEntry {
  request_id: string;
  status: number;
  upstream_addr: string;
}

const runnable = nginxAvailable() || process.env['CI'] !== undefined;
if (!runnable) console.warn(`test/load/load-balancer.test.ts is skipped: ${nginxBinary} is missing (apt-get install -y nginx).`);

describe.skipIf(!runnable)('nginx in front of two replicas', () => {
  let replicas: ServiceProcess[] = [];
  let nginx: NginxProcess | undefined;

  beforeAll(async () => {
    if (!nginxAvailable()) throw new Error(`${nginxBinary} is missing: apt-get install -y nginx`);
    replicas = await Promise.all([startService(), startService()]);
    nginx = await startNginx(
      await freePort(),
      replicas.map((replica) => replica.port),
    );
  }, 40_000);

  afterAll(async () => {
    await nginx?.close();
    await Promise.all(replicas.map((replica) => replica.stop()));
  });

  it('loses no request when a replica is killed mid-stream', async () => {
    const proxy = nginx as NginxProcess;
    const [victim, survivor] = replicas as [ServiceProcess, ServiceProcess];
    const outcomes: Outcome[] = new Array<Outcome>(REQUESTS);
    let next = 0;
    let completed = 0;
    let killedAfter: number | undefined;

    const worker = async (): Promise<void> => {
      while (next < REQUESTS) {
        const index = next++;
        const { method, path, ...rest } = requestMix[index % requestMix.length] as (typeof requestMix)[number];
        const body = 'body' in rest ? rest.body : undefined;
        outcomes[index] = await send(`${proxy.url}${path}`, {
          method,
          body,
          headers: { ...(body === undefined ? {} : jsonHeaders), 'x-request-id': `lb-${index}` },
          timeoutMs: 10_000,
        });
        completed += 1;
        if (completed === KILL_AFTER) {
          killedAfter = next; // requests numbered below this were sent before the kill
          victim.child.kill('SIGKILL');
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    expect((await victim.exited).signal).toBe('SIGKILL');

    expect(outcomes.filter((outcome) => outcome.kind !== 'response' || outcome.status !== 200)).toEqual([]);

    // nginx writes a request's log line once the response is sent: give the last ones a moment.
    let lines = await proxy.accessLog();
    for (let wait = 0; wait < 20 && lines.length < REQUESTS; wait++) {
      await sleep(50);
      lines = await proxy.accessLog();
    }
    const log = lines
      .map((line) => JSON.parse(line) as AccessLogEntry)
      .filter((entry) => entry.request_id.startsWith('lb-'));
    expect(log).toHaveLength(REQUESTS);
    const servedBy = (entry: AccessLogEntry): string => entry.upstream_addr.split(', ').at(-1) ?? '';
    const beforeKill = log.filter((entry) => Number(entry.request_id.slice(3)) < (killedAfter ?? 0) - CONCURRENCY);
    const victimAddress = `127.0.0.1:${victim.port}`;
    const survivorAddress = `127.0.0.1:${survivor.port}`;
    expect(new Set(beforeKill.map(servedBy))).toEqual(new Set([victimAddress, survivorAddress]));
    const retried = log.filter((entry) => entry.upstream_addr.includes(', '));
    expect(retried.every((entry) => servedBy(entry) === survivorAddress)).toBe(true);
  }, 40_000);
});
