/**
 * npm run bench:http — the service under HTTP load, each server in its own
 * child process on 127.0.0.1 running tsc's output (as `npm start` does), the
 * load generated here with autocannon.
 *
 *   npx tsx bench/http.ts [--seconds N] [--only a,b,c]
 *
 * N is the length of each load run (default 10); --only picks parts.
 *
 * (a) throughput: POST /v1/activations/tanh/evaluate with 11 points, against a
 *     bare Fastify route doing the same arithmetic without validation
 *     (bench/lib/bare-server.ts); goal: service ≥ 0.7 × bare. The service runs
 *     as shipped (LOG_LEVEL=info: a log line per request) and with request
 *     logging off (LOG_LEVEL=warn); the server's CPU time per request is shown.
 * (b) one million points: POST a 1M grid (and a 1M explicit `x`), timed from
 *     sending to the parsed response, against JSON.parse + JSON.stringify of
 *     the same payloads alone; goal: within 2×.
 * (c) a flood of small feed-forward simulations (20 connections) while a
 *     separate process probes /healthz every 25 ms on fresh connections;
 *     goals: only 200, 429 or 503, and /healthz p99 < 100 ms.
 *
 * Extra environment variables (e.g. to lift a rate limit) reach the service:
 * it inherits this process's environment (LOG_LEVEL excepted, set per run).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { join } from 'node:path';
import { compileForBench, freePort, spawnNode, startService, waitForHealthy, type ServiceProcess } from './lib/service.js';
import { median, table } from './lib/statistics.js';
import { jsonHeaders, smallEvaluateBody, smallFeedforwardBody } from './lib/workload.js';

const secondsFlag = process.argv.indexOf('--seconds');
const SECONDS = secondsFlag > 0 ? Number(process.argv[secondsFlag + 1]) : 10;
if (!(SECONDS > 0 && SECONDS <= 600)) throw new Error('--seconds must be in (0, 600]');
const onlyFlag = process.argv.indexOf('--only');
const parts = new Set(onlyFlag > 0 ? (process.argv[onlyFlag + 1] ?? '').split(',') : ['a', 'b', 'c']);
const WARM_UP_SECONDS = Math.min(3, SECONDS);
const THROUGHPUT_CONNECTIONS = 10;
const FLOOD_CONNECTIONS = 20;
/** A short queue, so that 20 connections overflow 2 threads + queue and the 503 path is exercised. */
const FLOOD_QUEUE = 8;
const MILLION = 1_000_000;
const MILLION_REPEATS = 5;

interface Goal {
  measurement: string;
  result: string;
  goal: string;
  met: boolean;
}
const goals: Goal[] = [];

// Every server here runs as tsc compiled it (as `npm start` does), not through tsx.
const build = await compileForBench();

async function cannon(options: autocannon.Options): Promise<autocannon.Result> {
  return autocannon({ connections: THROUGHPUT_CONNECTIONS, ...options });
}

function statusCounts(result: autocannon.Result): Record<string, number> {
  return Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([status, stats]) => [status, stats.count ?? 0]));
}

// ---- (a) small evaluations against the bare route ----------------------------------------

const CLOCK_TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());

/** CPU time (user + system, all threads) a process has used so far, in ms, from /proc (Linux). */
function processCpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
}

interface Contender {
  name: string;
  url: string;
  pid: number;
  runs: { result: autocannon.Result; cpuMicrosPerRequest: number }[];
}

async function measureRound(contender: Contender): Promise<void> {
  const target = { url: `${contender.url}/v1/activations/tanh/evaluate`, method: 'POST' as const, headers: jsonHeaders, body: smallEvaluateBody };
  await cannon({ ...target, duration: WARM_UP_SECONDS });
  const cpuBefore = processCpuMs(contender.pid);
  const result = await cannon({ ...target, duration: SECONDS });
  const cpuMicrosPerRequest = ((processCpuMs(contender.pid) - cpuBefore) * 1000) / Math.max(1, result.requests.total);
  contender.runs.push({ result, cpuMicrosPerRequest });
}

const THROUGHPUT_ROUNDS = 3;

async function throughput(services: { name: string; service: ServiceProcess }[]): Promise<void> {
  const [barePort, loggedPort] = [await freePort(), await freePort()];
  const bare = spawnNode([], join(build, 'bench/lib/bare-server.js'), [String(barePort)], process.env);
  const logged = spawnNode([], join(build, 'bench/lib/bare-server.js'), [String(loggedPort), '--request-log'], process.env);
  const [bareUrl, loggedUrl] = [`http://127.0.0.1:${barePort}`, `http://127.0.0.1:${loggedPort}`];
  try {
    await Promise.all([waitForHealthy(`${bareUrl}/healthz`, 30_000), waitForHealthy(`${loggedUrl}/healthz`, 30_000)]);
    const contenders: Contender[] = [
      ...services.map(({ name, service }) => ({ name, url: service.url, pid: service.pid, runs: [] })),
      { name: 'bare route + the request log line alone', url: loggedUrl, pid: logged.pid, runs: [] },
      { name: 'bare Fastify route', url: bareUrl, pid: bare.pid, runs: [] },
    ];
    const answers = await Promise.all(
      contenders.map(async ({ url }) => {
        const response = await fetch(`${url}/v1/activations/tanh/evaluate`, { method: 'POST', headers: jsonHeaders, body: smallEvaluateBody });
        return JSON.stringify(((await response.json()) as { value: number[] }).value);
      }),
    );
    if (new Set(answers).size !== 1) throw new Error('the bare route does not compute what the service does');

    // Alternating rounds, so that every server sees the same machine states; the best round of each counts
    // (this machine's throughput drifts by ±15 % from minute to minute).
    for (let round = 0; round < THROUGHPUT_ROUNDS; round++) for (const contender of contenders) await measureRound(contender);
    const best = (contender: Contender): Contender['runs'][number] =>
      contender.runs.reduce((a, b) => (b.result.requests.average > a.result.requests.average ? b : a));
    const bareBest = best(contenders.at(-1) as Contender).result.requests.average;
    console.log(
      `\n(a) POST /v1/activations/tanh/evaluate, 11 points, ${THROUGHPUT_CONNECTIONS} connections, ${SECONDS} s per run, ` +
        `best of ${THROUGHPUT_ROUNDS} alternating rounds; server CPU = the server process's user + system time per request`,
    );
    console.log(
      table(
        ['server', 'req/s (each round)', 'req/s', 'vs bare', 'server CPU µs/req', 'p50 ms', 'p99 ms', 'non-2xx', 'errors'],
        contenders.map((contender) => {
          const { result, cpuMicrosPerRequest } = best(contender);
          return [
            contender.name,
            contender.runs.map((run) => run.result.requests.average.toFixed(0)).join(' / '),
            Math.round(result.requests.average),
            (result.requests.average / bareBest).toFixed(2),
            cpuMicrosPerRequest.toFixed(1),
            result.latency.p50,
            result.latency.p99,
            result.non2xx,
            result.errors,
          ];
        }),
      ),
    );
    for (const contender of contenders.slice(0, services.length)) {
      const { result } = best(contender);
      const ratio = result.requests.average / bareBest;
      const clean = result.non2xx === 0 && result.errors === 0;
      goals.push({
        measurement: `small evaluate req/s / bare: ${contender.name}`,
        result: `${result.requests.average.toFixed(0)} / ${bareBest.toFixed(0)} = ${ratio.toFixed(2)}${clean ? '' : ' (with non-2xx or errors!)'}`,
        goal: '≥ 0.70',
        met: ratio >= 0.7 && clean,
      });
    }
  } finally {
    await Promise.all([bare.stop(), logged.stop()]);
  }
}

// ---- (b) one million points against JSON alone ------------------------------------------------

/** The median time of each action over `repeats` rounds, the actions taking turns within a round (after one warm-up round). */
async function interleavedMedians<Name extends string>(repeats: number, actions: Record<Name, () => Promise<void> | void>): Promise<Record<Name, number>> {
  const entries = Object.entries(actions) as [Name, () => Promise<void> | void][];
  const samples = new Map<Name, number[]>(entries.map(([name]) => [name, []]));
  for (let round = -1; round < repeats; round++) {
    for (const [name, action] of entries) {
      const start = performance.now();
      await action();
      if (round >= 0) samples.get(name)?.push(performance.now() - start);
    }
  }
  return Object.fromEntries(entries.map(([name]) => [name, median(samples.get(name) ?? [])])) as Record<Name, number>;
}

async function millionPoints(service: ServiceProcess): Promise<void> {
  const url = `${service.url}/v1/activations/tanh/evaluate`;
  const gridBody = JSON.stringify({ grid: { start: -10, stop: 10, count: MILLION } });
  const firstResponse = await fetch(url, { method: 'POST', headers: jsonHeaders, body: gridBody });
  const responseText = await firstResponse.text();
  const responseObject = JSON.parse(responseText) as { count: number; x: number[] };
  if (firstResponse.status !== 200 || responseObject.count !== MILLION) throw new Error(`1M grid answered ${firstResponse.status}`);
  const explicitBody = JSON.stringify({ x: responseObject.x });

  const post = async (body: string): Promise<void> => {
    const response = await fetch(url, { method: 'POST', headers: jsonHeaders, body });
    const parsed = JSON.parse(await response.text()) as { count: number };
    if (response.status !== 200 || parsed.count !== MILLION) throw new Error(`1M evaluate answered ${response.status}`);
  };
  // What any JSON service and its client must do with these payloads: the server stringifies the
  // response, the client parses it, and (explicit x) the server parses the request body. Measured in
  // turn with the requests, so that the floor and the requests see the same machine state.
  const {
    grid: gridMs,
    responseJson: responseJsonMs,
    explicit: explicitMs,
    requestParse: requestParseMs,
  } = await interleavedMedians(MILLION_REPEATS, {
    grid: () => post(gridBody),
    responseJson: () => void JSON.parse(JSON.stringify(responseObject)),
    explicit: () => post(explicitBody),
    requestParse: () => void JSON.parse(explicitBody),
  });

  const gridRatio = gridMs / responseJsonMs;
  const explicitFloor = responseJsonMs + requestParseMs;
  const explicitRatio = explicitMs / explicitFloor;
  const megabytes = (length: number): string => `${(length / 1e6).toFixed(1)} MB`;
  console.log(`\n(b) tanh over 1,000,000 points, value + derivative (response ${megabytes(responseText.length)}), median of ${MILLION_REPEATS} rounds, the four timings taking turns`);
  console.log(
    table(
      ['request', 'over HTTP ms', 'JSON alone ms', 'ratio'],
      [
        ['grid input', Math.round(gridMs), `${Math.round(responseJsonMs)} (stringify + parse response)`, gridRatio.toFixed(2)],
        [
          `explicit x (${megabytes(explicitBody.length)} body)`,
          Math.round(explicitMs),
          `${Math.round(explicitFloor)} (+ parse request ${Math.round(requestParseMs)})`,
          explicitRatio.toFixed(2),
        ],
      ],
    ),
  );
  const ratioResult = (httpMs: number, floorMs: number): string => `${Math.round(httpMs)} / ${Math.round(floorMs)} ms = ${(httpMs / floorMs).toFixed(2)}`;
  goals.push({ measurement: '1M grid evaluate / JSON alone', result: ratioResult(gridMs, responseJsonMs), goal: '≤ 2', met: gridRatio <= 2 });
  goals.push({ measurement: '1M explicit-x evaluate / JSON alone', result: ratioResult(explicitMs, explicitFloor), goal: '≤ 2', met: explicitRatio <= 2 });
}

// ---- (c) a flood of simulations, /healthz probed beside it --------------------------------------

interface ProbeReport {
  count: number;
  statuses: Record<string, number>;
  p50: number;
  p99: number;
  max: number;
}

async function probeHealth(url: string, seconds: number): Promise<ProbeReport> {
  const prober = spawnNode([], join(build, 'bench/lib/health-probe.js'), [`${url}/healthz`, String(seconds), '25'], process.env);
  const exit = await prober.exited;
  if (exit.code !== 0) throw new Error(`the health prober failed:\n${prober.output()}`);
  return JSON.parse(prober.output().trim().split('\n').at(-1) ?? '{}') as ProbeReport;
}

async function simulationFlood(): Promise<void> {
  const service = await startService({ compiled: build, env: { SIMULATION_QUEUE: String(FLOOD_QUEUE) } });
  try {
    const idle = await probeHealth(service.url, 2);
    const probing = probeHealth(service.url, SECONDS);
    const flood = await cannon({
      url: `${service.url}/v1/simulations/feedforward`,
      method: 'POST',
      headers: jsonHeaders,
      body: smallFeedforwardBody,
      connections: FLOOD_CONNECTIONS,
      duration: SECONDS,
    });
    const busy = await probing;
    const statuses = statusCounts(flood);
    const unexpected = Object.keys(statuses).filter((status) => !['200', '429', '503'].includes(status));
    console.log(
      `\n(c) POST /v1/simulations/feedforward (depth 10 × width 64, batch 32), ${FLOOD_CONNECTIONS} connections for ${SECONDS} s; ` +
        `SIMULATION_QUEUE=${FLOOD_QUEUE}, SIMULATION_THREADS default; /healthz probed every 25 ms on fresh connections by another process`,
    );
    const probeRow = (name: string, probe: ProbeReport): (string | number)[] => [name, probe.count, JSON.stringify(probe.statuses), probe.p50, probe.p99, probe.max];
    console.log(
      table(
        ['what', 'requests', 'statuses (or client errors)', 'p50 ms', 'p99 ms', 'max ms'],
        [
          ['simulations (autocannon)', flood.requests.total, `${JSON.stringify(statuses)}, ${flood.errors} errors`, flood.latency.p50, flood.latency.p99, flood.latency.max],
          probeRow('/healthz, idle server', idle),
          probeRow('/healthz during the flood', busy),
        ],
      ),
    );
    goals.push({
      measurement: 'simulation flood status codes',
      result: `${JSON.stringify(statuses)}, ${flood.errors} errors`,
      goal: 'only 200/429/503',
      met: unexpected.length === 0 && flood.errors === 0,
    });
    const healthyOnly = Object.keys(busy.statuses).every((status) => status === '200');
    goals.push({
      measurement: '/healthz p99 during the flood',
      result: `${busy.p99} ms (${busy.count} probes, ${JSON.stringify(busy.statuses)})`,
      goal: '< 100 ms, all 200',
      met: busy.p99 < 100 && healthyOnly,
    });
  } finally {
    await service.stop();
  }
}

if (parts.has('a') || parts.has('b')) {
  // The shipped configuration, request logging included (one JSON line per request, read by this process);
  // for (a) also one with request logging off, to show what the access log costs.
  const service = await startService({ compiled: build, env: { LOG_LEVEL: 'info' } });
  const quiet = parts.has('a') ? await startService({ compiled: build, env: { LOG_LEVEL: 'warn' } }) : undefined;
  try {
    console.log(`activation-lab ${service.url} (pid ${service.pid}), Node ${process.version}`);
    if (parts.has('a') && quiet !== undefined) {
      await throughput([
        { name: 'activation-lab, as shipped (LOG_LEVEL=info)', service },
        { name: 'activation-lab, no request log (LOG_LEVEL=warn)', service: quiet },
      ]);
    }
    if (parts.has('b')) await millionPoints(service);
  } finally {
    await Promise.all([service.stop(), quiet?.stop()]);
  }
}
if (parts.has('c')) await simulationFlood();

console.log('\nsummary');
console.log(table(['measurement', 'result', 'goal', 'met'], goals.map((goal) => [goal.measurement, goal.result, goal.goal, goal.met ? 'yes' : 'NO'])));
