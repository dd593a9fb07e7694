/**
 * npm run bench:cost — the cost model against the clock. Runs every case of
 * bench/lib/cost-cases.ts (every endpoint that does work: small and large,
 * tall and wide, every init scheme, float32 and float64, JSON and charts)
 * through the service as shipped (tsc's output, one worker thread, limits
 * lifted), one at a time, and prints per case the real time on the worker
 * (Server-Timing `run`), the round trip, the estimate the service announced,
 * the estimate with freshly fitted rates, and the peak memory against the
 * model's working bytes. Then the fitted rates, as a block for
 * src/requests/calibration.ts, and how far real and estimated are apart.
 *
 *   npx tsx bench/cost.ts [--quick] [--only substring] [--json file]
 *
 * --quick runs the sample of test/requests/calibration.test.ts only.
 * Memory is the server process's peak RSS during the request above its RSS
 * before it (Linux: VmHWM, reset through /proc/PID/clear_refs), so it covers
 * the worker thread, the answer's copy and the event loop's share.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { calibration } from '../src/requests/calibration.js';
import { priceOf, type Work } from '../src/requests/cost.js';
import { acceptOf, costCases, sampleCaseNames, workOf, type CostCase } from './lib/cost-cases.js';
import { fitRates, ratesBlock, secondsOf, type Observation, type Rates } from './lib/cost-fit.js';
import { compileForBench, startService, type ServiceProcess } from './lib/service.js';
import { median, table } from './lib/statistics.js';

const quick = process.argv.includes('--quick');
const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;
const jsonOut = process.argv.includes('--json') ? process.argv[process.argv.indexOf('--json') + 1] : undefined;

const cases = costCases.filter((costCase) => (quick ? sampleCaseNames.includes(costCase.name) : true) && (only === undefined || costCase.name.includes(only)));

/** Lifted so that every case runs: the bench measures, it does not refuse. */
const LIFTED_LIMITS = {
  SIMULATION_THREADS: '1',
  SIMULATION_MAX_SECONDS: '600',
  SIMULATION_MAX_GFLOP: '1000000',
  SIMULATION_TIMEOUT_MS: '600000',
  SOCKET_IDLE_TIMEOUT_MS: '700000',
  REQUEST_TIMEOUT_MS: '700000',
  SIMULATION_MAX_MEMORY_MB: '65536',
  MAX_ANSWER_MB: '4096',
  MAX_ELEMENTS: '100000000',
  WORKER_MAX_HEAP_MB: '8192',
  RATE_LIMIT_MAX: '0',
};

async function procStatus(pid: number, field: 'VmRSS' | 'VmHWM'): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
  return match === null ? Number.NaN : Number(match[1]) * 1024;
}

interface Sample {
  runSeconds: number;
  roundTripSeconds: number;
  announcedSeconds: number | null;
  peakBytes: number;
  status: number;
}

function serverTimingOf(header: string | null, name: string): number | null {
  const match = new RegExp(`${name};dur=([0-9.]+)`).exec(header ?? '');
  return match === null ? null : Number(match[1]) / 1000;
}

async function send(service: ServiceProcess, costCase: CostCase): Promise<Sample> {
  await writeFile(`/proc/${service.pid}/clear_refs`, '5').catch(() => undefined);
  const before = await procStatus(service.pid, 'VmRSS');
  const started = performance.now();
  const response = await fetch(`${service.url}${costCase.path}`, {
    method: costCase.method,
    headers: {
      accept: acceptOf(costCase),
      ...(costCase.raw !== undefined ? { 'content-type': 'application/octet-stream' } : costCase.body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(costCase.raw !== undefined ? { body: new Uint8Array(costCase.raw.buffer) as Uint8Array<ArrayBuffer> } : costCase.body === undefined ? {} : { body: JSON.stringify(costCase.body) }),
  });
  const bytes = new Uint8Array(await response.arrayBuffer());
  const roundTripSeconds = (performance.now() - started) / 1000;
  const peak = await procStatus(service.pid, 'VmHWM');
  const timing = response.headers.get('server-timing');
  if (response.status !== 200) throw new Error(`${costCase.name}: ${response.status} ${new TextDecoder().decode(bytes.subarray(0, 600))}`);
  return {
    runSeconds: serverTimingOf(timing, 'run') ?? roundTripSeconds,
    roundTripSeconds,
    announcedSeconds: serverTimingOf(timing, 'estimate'),
    peakBytes: Math.max(0, peak - before),
    status: response.status,
  };
}

interface Measured {
  costCase: CostCase;
  observation: Observation;
  roundTripSeconds: number;
  announcedSeconds: number | null;
  peakBytes: number;
}

// Every case must be one the service accepts; a mistake in the list shows here, not minutes in.
const works = new Map(cases.map((costCase) => [costCase, workOf(costCase)]));
const build = await compileForBench();
const service = await startService({ compiled: build, env: LIFTED_LIMITS });
const measured: Measured[] = [];
const failures: string[] = [];
try {
  // The worker thread starts (and loads its GEMM engine) on the first task; that is not any case's cost.
  await fetch(`${service.url}/v1/simulations/feedforward`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ network: { depth: 2, width: 4, activation: 'tanh' } }),
  });
  for (const costCase of cases) {
    const work = works.get(costCase) as Work;
    let first: Sample;
    try {
      first = await send(service, costCase);
    } catch (error) {
      failures.push(error instanceof Error ? error.message.slice(0, 300) : String(error));
      continue;
    }
    // A second and third run for work that is quick (the first ran on colder code); the median is the figure.
    const samples = [first];
    if (first.roundTripSeconds < 2) samples.push(await send(service, costCase), await send(service, costCase));
    const runSeconds = median(samples.map((sample) => sample.runSeconds));
    measured.push({
      costCase,
      observation: { work, seconds: runSeconds },
      roundTripSeconds: median(samples.map((sample) => sample.roundTripSeconds)),
      announcedSeconds: first.announcedSeconds,
      peakBytes: Math.max(...samples.map((sample) => sample.peakBytes)),
    });
    process.stderr.write(`${costCase.name}: ${(runSeconds * 1000).toFixed(1)} ms\n`);
  }
} finally {
  await service.stop();
}

const current: Rates = { ...calibration };
const fitted = fitRates(
  measured.map((entry) => entry.observation),
  current,
);
const ms = (seconds: number | null): string => (seconds === null ? '—' : (seconds * 1000).toFixed(1));
const ratio = (real: number, estimate: number): string => (real / estimate).toFixed(2);
const mib = (bytes: number): string => (bytes / 2 ** 20).toFixed(1);

console.log(`\nbench:cost — ${measured.length} requests, one worker thread, ${new Date().toISOString()}\n`);
console.log(
  table(
    ['request', 'run ms', 'round trip ms', 'estimate ms (current)', 'real/est', 'estimate ms (fitted)', 'real/est', 'peak MiB', 'model MiB'],
    measured.map(({ costCase, observation, roundTripSeconds, peakBytes }) => {
      const currentEstimate = priceOf(observation.work).seconds;
      const fittedEstimate = secondsOf(observation.work, fitted);
      return [
        costCase.name,
        ms(observation.seconds),
        ms(roundTripSeconds),
        ms(currentEstimate),
        ratio(roundTripSeconds, currentEstimate),
        ms(fittedEstimate),
        ratio(roundTripSeconds, fittedEstimate),
        mib(peakBytes),
        mib(priceOf(observation.work).bytes),
      ];
    }),
  ),
);

function spread(estimate: (entry: Measured) => number): string {
  const ratios = measured.map((entry) => entry.roundTripSeconds / estimate(entry));
  const worst = measured[ratios.indexOf(Math.max(...ratios))]?.costCase.name;
  return `real/estimate from ${Math.min(...ratios).toFixed(2)} to ${Math.max(...ratios).toFixed(2)} (median ${median(ratios).toFixed(2)}; largest: ${worst})`;
}
console.log(`\ncurrent rates: ${spread((entry) => priceOf(entry.observation.work).seconds)}`);
console.log(`fitted rates:  ${spread((entry) => secondsOf(entry.observation.work, fitted))}`);
const memoryRatios = measured.filter((entry) => entry.peakBytes > 16 * 2 ** 20).map((entry) => entry.peakBytes / Math.max(1, priceOf(entry.observation.work).bytes));
if (memoryRatios.length > 0) console.log(`memory (cases above 16 MiB): peak/model from ${Math.min(...memoryRatios).toFixed(2)} to ${Math.max(...memoryRatios).toFixed(2)}`);
for (const failure of failures) console.log(`FAILED ${failure}`);
console.log('\nfitted rates for src/requests/calibration.ts:\n');
console.log(ratesBlock(fitted));

if (jsonOut !== undefined) {
  await writeFile(
    jsonOut,
    JSON.stringify(
      {
        fitted,
        current,
        cases: measured.map(({ costCase, observation, roundTripSeconds, announcedSeconds, peakBytes }) => ({
          name: costCase.name,
          work: observation.work,
          runSeconds: observation.seconds,
          roundTripSeconds,
          announcedSeconds,
          peakBytes,
        })),
      },
      null,
      2,
    ),
  );
}
