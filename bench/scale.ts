/**
 * npm run bench:scale — how the feed-forward simulation's time grows with
 * depth, width, batch and trials, so that a user can predict a request's cost.
 *
 *   npx tsx bench/scale.ts [--quick]
 *
 * In this process, on the GEMM engine (one thread), exactly what
 * POST /v1/simulations/feedforward runs (the operation's plan, the simulator,
 * not the JSON): tanh, lecun_normal, the sum loss, float32. From a base network
 * (depth 20, width 256, batch 128, 1 trial) one dimension at a time is varied
 * over a grid; each point is the median of a few runs after a warm-up. For each
 * dimension the log-log slope of time against it is fitted (least squares over
 * the grid), with the cost model's own estimate of every point beside it
 * (src/requests/cost.ts with the rates of src/requests/calibration.ts, without
 * the fixed HTTP part and the answer), so the two can be compared.
 *
 * Expected: depth and trials linear (exponent 1); batch linear once the
 * products dominate; width between 1 (elementwise work, B·n per layer) and 2
 * (products, 2·B·n² per layer and pass).
 */
import { initLinalg, linalgInfo } from '../src/linalg/matmul.js';
import { calibration } from '../src/requests/calibration.js';
import { priceOf } from '../src/requests/cost.js';
import { feedforwardSpecOf, feedforwardWork } from '../src/requests/operations/feedforward.js';
import { plannedLayers } from '../src/requests/networks.js';
import { feedforwardBodySchema } from '../src/schemas/simulations.js';
import { simulateFeedforward } from '../src/simulation/feedforward/index.js';
import { linearFit, median, table } from './lib/statistics.js';

const quick = process.argv.includes('--quick');
const RUNS = quick ? 3 : 5;

type Dimension = 'depth' | 'width' | 'batch' | 'trials';
const base: Record<Dimension, number> = { depth: 20, width: 256, batch: 128, trials: 1 };
const grids: Record<Dimension, number[]> = {
  depth: quick ? [5, 20, 80] : [5, 10, 20, 40, 80, 160],
  width: quick ? [64, 256, 1024] : [32, 64, 128, 256, 512, 1024],
  batch: quick ? [32, 128, 512] : [16, 32, 64, 128, 256, 512, 1024],
  trials: quick ? [1, 4] : [1, 2, 4, 8, 16],
};

function planOf(point: Record<Dimension, number>) {
  const body = feedforwardBodySchema.parse({
    network: { depth: point.depth, width: point.width, activation: 'tanh', init: 'lecun_normal' },
    input: { batchSize: point.batch },
    loss: { type: 'sum' },
    trials: point.trials,
    seed: 1,
  });
  return { ...plannedLayers(body.network), input: body.input ?? { batchSize: point.batch, distribution: 'normal' as const, scale: 1 }, loss: body.loss ?? { type: 'sum' as const }, trials: body.trials, seed: body.seed };
}

/** The model's seconds for the computing alone (no fixed HTTP share, no answer to serialise). */
function estimateSeconds(plan: ReturnType<typeof planOf>): number {
  return priceOf({ ...feedforwardWork(plan), answerBytes: 0 }).seconds - calibration.fixedSeconds;
}

function measure(plan: ReturnType<typeof planOf>): number {
  const spec = feedforwardSpecOf(plan);
  simulateFeedforward(spec);
  const times: number[] = [];
  for (let run = 0; run < RUNS; run += 1) {
    const started = performance.now();
    simulateFeedforward({ ...spec, seed: run + 2 });
    times.push((performance.now() - started) / 1000);
  }
  return median(times);
}

const info = await initLinalg({ threads: 1 });
console.log(`bench:scale — ${info.engine} (${linalgInfo()?.description ?? ''}), ${new Date().toISOString()}`);
console.log(`base: depth ${base.depth}, width ${base.width}, batch ${base.batch}, ${base.trials} trial; tanh, lecun_normal, sum loss, float32; median of ${RUNS}\n`);

const rows: (string | number)[][] = [];
const fits: (string | number)[][] = [];
for (const dimension of Object.keys(grids) as Dimension[]) {
  const xs: number[] = [];
  const measured: number[] = [];
  const estimated: number[] = [];
  for (const value of grids[dimension]) {
    const plan = planOf({ ...base, [dimension]: value });
    const seconds = measure(plan);
    const estimate = estimateSeconds(plan);
    xs.push(Math.log(value));
    measured.push(Math.log(seconds));
    estimated.push(Math.log(estimate));
    rows.push([dimension, value, Number((seconds * 1000).toFixed(1)), Number((estimate * 1000).toFixed(1)), Number((seconds / estimate).toFixed(2))]);
  }
  fits.push([dimension, `${grids[dimension][0]}–${grids[dimension].at(-1)}`, Number(linearFit(xs, measured).slope.toFixed(2)), Number(linearFit(xs, estimated).slope.toFixed(2))]);
}
console.log(table(['varied', 'value', 'measured ms', 'cost model ms', 'measured / model'], rows));
console.log(`\n${table(['dimension', 'range', 'fitted exponent (measured)', 'exponent (cost model)'], fits)}`);
console.log('\ntime ≈ t(base) · (depth/20)^a · (width/256)^b · (batch/128)^c · trials^d, with the exponents above.');
