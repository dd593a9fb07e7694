/**
 * The same sweeps through both job engines, as they ship (tsc's output):
 *
 *   npm run bench:jobs [-- --quick] [-- --rounds N]
 *
 * - embedded: the service alone, its pool of one thread (and of two);
 * - distributed: the service with REDIS_URL (its own pool idle) and one, then
 *   two, `dist/worker.js` processes of one thread each, on a redis-server of
 *   the bench's own (Debian's package) on a free loopback port.
 *
 * Two sweeps: 200 tiny cells (depth 2 × width 4: the run is ~nothing, so the
 * time per cell is the engine's own cost, and distributed − embedded is the
 * queue's overhead per cell), and 32 real cells (depth 30 × width 256 ×
 * batch 256, ~0.3 s each: the scaling from one worker to two). The time of a
 * sweep is the job's own startedAt → finishedAt; setups alternate in rounds
 * and the medians are printed.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import { cpus, loadavg } from 'node:os';
import { redisAvailable, REDIS_SERVER, startRedis } from '../test/support/redis-server.js';
import { median } from './lib/statistics.js';
import { compileForBench, spawnNode, startService, type RunningChild, type ServiceProcess } from './lib/service.js';

const quick = process.argv.includes('--quick');
const roundsFlag = process.argv.indexOf('--rounds');
const ROUNDS = roundsFlag > 0 ? Number(process.argv[roundsFlag + 1]) : quick ? 1 : 3;

interface Sweep {
  name: string;
  request: unknown;
  cells: number;
}

const tinySweep = (cells: number): Sweep => ({
  name: `${cells} tiny cells (depth 2 × width 4, batch 4)`,
  cells,
  request: {
    base: { kind: 'feedforward', request: { network: { depth: 2, width: 4, activation: 'tanh', init: { scheme: 'lecun_normal', gain: 1 } }, input: { batchSize: 4 }, seed: 1 } },
    axes: [{ path: 'network.init.gain', grid: { start: 0.5, stop: 2, count: cells } }],
  },
});

const realSweep = (cells: number): Sweep => ({
  name: `${cells} cells of depth 30 × width 256 × batch 256`,
  cells,
  request: {
    base: { kind: 'feedforward', request: { network: { depth: 30, width: 256, activation: 'tanh', init: { scheme: 'lecun_normal', gain: 1 } }, input: { batchSize: 256 }, seed: 1 } },
    axes: [{ path: 'network.init.gain', grid: { start: 0.6, stop: 2.2, count: cells } }],
  },
});

const SWEEPS = quick ? [tinySweep(50), realSweep(8)] : [tinySweep(200), realSweep(32)];

interface Setup {
  name: string;
  start: () => Promise<{ service: ServiceProcess; workers: RunningChild[] }>;
}

interface JobView {
  id: string;
  state: string;
  startedAt: string | null;
  finishedAt: string | null;
  progress: { done: number; total: number };
}

async function runSweep(service: ServiceProcess, sweep: Sweep): Promise<number> {
  const submitted = await fetch(`${service.url}/v1/jobs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ kind: 'sweep', request: sweep.request }) });
  if (submitted.status !== 202) throw new Error(`the sweep was answered ${submitted.status}: ${await submitted.text()}`);
  const { id } = (await submitted.json()) as JobView;
  for (;;) {
    const job = (await (await fetch(`${service.url}/v1/jobs/${id}`)).json()) as JobView;
    if (job.state === 'succeeded') {
      if (job.progress.done !== sweep.cells) throw new Error(`the sweep finished with ${job.progress.done} of ${sweep.cells} cells`);
      return (Date.parse(job.finishedAt as string) - Date.parse(job.startedAt as string)) / 1000;
    }
    if (job.state === 'failed' || job.state === 'cancelled') throw new Error(`the sweep ended ${job.state}: ${JSON.stringify(job)}`);
    await sleep(20);
  }
}

async function main(): Promise<void> {
  if (!redisAvailable()) throw new Error(`${REDIS_SERVER} is missing: apt-get install -y redis-server`);
  const compiled = await compileForBench();
  const redis = await startRedis();
  const quiet = { LOG_LEVEL: 'warn', JOB_MAX_CELLS: '10000' };
  const startWorker = async (): Promise<RunningChild> => {
    const worker = spawnNode([], join(compiled, 'src/worker.js'), [], { ...process.env, ...quiet, LOG_LEVEL: 'info', REDIS_URL: redis.url, SIMULATION_THREADS: '1' });
    const deadline = Date.now() + 60_000;
    while (!worker.output().includes('worker ready')) {
      if (Date.now() > deadline || worker.child.exitCode !== null) throw new Error(`the worker did not start:\n${worker.output()}`);
      await sleep(50);
    }
    return worker;
  };
  const embedded = (threads: number): Setup => ({
    name: `embedded, ${threads} thread${threads === 1 ? '' : 's'}`,
    start: async () => ({ service: await startService({ compiled, env: { ...quiet, SIMULATION_THREADS: String(threads) } }), workers: [] }),
  });
  const distributed = (workers: number): Setup => ({
    name: `distributed, ${workers} worker${workers === 1 ? '' : 's'} × 1 thread`,
    start: async () => {
      const service = await startService({ compiled, env: { ...quiet, SIMULATION_THREADS: '1', REDIS_URL: redis.url } });
      return { service, workers: await Promise.all(Array.from({ length: workers }, startWorker)) };
    },
  });
  const setups = [embedded(1), embedded(2), distributed(1), distributed(2)];
  const seconds = new Map<string, number[]>();

  console.log(`bench:jobs — ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), load ${loadavg().map((load) => load.toFixed(2)).join(' ')}, ${ROUNDS} round(s)`);
  try {
    for (let round = 0; round < ROUNDS; round += 1) {
      for (const setup of setups) {
        const { service, workers } = await setup.start();
        try {
          // One warm-up sweep (the workers' first runs compile the kernels), then the measured ones.
          await runSweep(service, tinySweep(10));
          for (const sweep of SWEEPS) {
            const key = `${setup.name}|${sweep.name}`;
            seconds.set(key, [...(seconds.get(key) ?? []), await runSweep(service, sweep)]);
          }
        } finally {
          await Promise.all(workers.map((worker) => worker.stop()));
          await service.stop();
        }
      }
      console.log(`round ${round + 1} done, load ${loadavg()[0]?.toFixed(2)}`);
    }
  } finally {
    await redis.destroy();
  }

  for (const sweep of SWEEPS) {
    console.log(`\n${sweep.name}`);
    console.log('| setup | median time | cells/s | ms per cell | vs first row |');
    console.log('|---|---|---|---|---|');
    let reference: number | undefined;
    for (const setup of setups) {
      const time = median(seconds.get(`${setup.name}|${sweep.name}`) ?? []);
      reference ??= time;
      console.log(`| ${setup.name} | ${time.toFixed(2)} s | ${(sweep.cells / time).toFixed(1)} | ${((1000 * time) / sweep.cells).toFixed(1)} | ${(reference / time).toFixed(2)}× |`);
    }
  }
  const tiny = SWEEPS[0] as Sweep;
  const real = SWEEPS[1] as Sweep;
  const per = (setup: Setup, sweep: Sweep): number => median(seconds.get(`${setup.name}|${sweep.name}`) ?? []) / sweep.cells;
  const [embeddedOne, , distributedOne, distributedTwo] = setups as [Setup, Setup, Setup, Setup];
  console.log(`\nqueue overhead per cell (tiny cells, 1 worker − embedded 1 thread): ${(1000 * (per(distributedOne, tiny) - per(embeddedOne, tiny))).toFixed(2)} ms (goal < 5 ms)`);
  console.log(`2 workers vs 1 (real cells): ${(per(distributedOne, real) / per(distributedTwo, real)).toFixed(2)}× (goal ≥ 1.8×)`);
}

await main();
process.exit(0);
