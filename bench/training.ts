/**
 * The trainer against PyTorch's CPU loop on the same machine: the same MLP,
 * the same data, the same batches (rows (s·B + j) mod n, no shuffling), the
 * same optimizer, one thread each, float32.
 *
 *   npm run bench:training [-- --quick]
 *
 * Ours: train() in this process (the GEMM engine, one thread), with its
 * history at step 0 and the last step (two evaluations of the training set,
 * the per-layer gradient norms of every step). PyTorch: bench/python/train_mlp.py
 * under Debian's /usr/bin/python3 (python3-torch; products on OpenBLAS when
 * libopenblas0-pthread is installed, else the reference BLAS, ~20× slower —
 * the bench says which), torch.set_num_threads(1), an evaluation of the
 * training set before and after, no per-step instrumentation. The two
 * alternate in rounds (ours once, then PyTorch once in a fresh process after
 * its warm-up run), so that both see the same machine state; the table shows
 * the median of each side over the rounds and their ratio.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveActivation } from '../src/activations/resolve.js';
import { initLinalg, linalgInfo } from '../src/linalg/matmul.js';
import { generateSynthetic, loadFashionMnist } from '../src/training/data/index.js';
import type { TrainingData } from '../src/training/data/types.js';
import type { OptimizerSpec } from '../src/training/optimizers.js';
import { train } from '../src/training/train.js';
import { describeTorch, runPython, TORCH_MISSING, torchSetup } from './lib/pytorch.js';
import { median } from './lib/statistics.js';

const quick = process.argv.includes('--quick');
const ROUNDS = quick ? 1 : 3;
const SCRIPT = new URL('./python/train_mlp.py', import.meta.url).pathname;

interface BenchCase {
  name: string;
  data: () => TrainingData;
  widths: number[];
  activation: 'relu' | 'tanh' | 'sigmoid' | 'elu';
  optimizer: OptimizerSpec['type'];
  learningRate: number;
  batchSize: number;
  steps: number;
}

const cases: BenchCase[] = [
  { name: 'spirals 2-16-16-2 relu, adam, batch 32, 2000 steps', data: () => generateSynthetic('spirals', { trainSize: 1000, testSize: 0, seed: 1 }), widths: [16, 16], activation: 'relu', optimizer: 'adam', learningRate: 0.01, batchSize: 32, steps: quick ? 500 : 2000 },
  { name: 'fashion-mnist 784-64×10-10 sigmoid, sgd, batch 64, 2000 rows, 2 epochs', data: () => loadFashionMnist({ trainSize: 2000, testSize: 0 }), widths: Array.from({ length: 10 }, () => 64), activation: 'sigmoid', optimizer: 'sgd', learningRate: 0.1, batchSize: 64, steps: 63 },
  { name: 'fashion-mnist 784-256-256-10 relu, momentum, batch 128, 10000 rows, 2 epochs', data: () => loadFashionMnist({ trainSize: 10_000, testSize: 0 }), widths: [256, 256], activation: 'relu', optimizer: 'momentum', learningRate: 0.05, batchSize: 128, steps: quick ? 40 : 157 },
];

function optimizerOf(benchCase: BenchCase): OptimizerSpec {
  return { type: benchCase.optimizer, learningRate: benchCase.learningRate, momentum: 0.9, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0 };
}

/** One timed run of ours (call once untimed first: the first run compiles). */
function ours(benchCase: BenchCase, data: TrainingData): { seconds: number; firstLoss: number; lastLoss: number } {
  const classes = data.classes as number;
  const layer = (width: number, activation: string) => ({ width, activation: resolveActivation(activation), init: { scheme: 'he_uniform' as const }, bias: true, batchNorm: false, residual: false });
  const run = () => {
    const started = performance.now();
    const result = train({
      data: { ...data, test: null },
      runs: [{ label: benchCase.name, layers: [...benchCase.widths.map((width) => layer(width, benchCase.activation)), layer(classes, 'identity')], optimizer: optimizerOf(benchCase) }],
      loss: 'cross_entropy',
      maxGradientNorm: null,
      steps: benchCase.steps,
      batchSize: benchCase.batchSize,
      shuffle: false,
      evaluateEvery: benchCase.steps,
      seed: 1,
      precision: 'float32',
      returnWeights: false,
    });
    const history = result.runs[0]?.history ?? [];
    return { seconds: (performance.now() - started) / 1000, firstLoss: history[0]?.trainLoss ?? Number.NaN, lastLoss: history.at(-1)?.trainLoss ?? Number.NaN };
  };
  return run();
}

interface TorchResult {
  seconds: number;
  firstLoss: number;
  lastLoss: number;
  torch: string;
  threads: number;
}

async function pytorch(benchCase: BenchCase, data: TrainingData, folder: string): Promise<TorchResult> {
  const inputs = join(folder, 'inputs.f64');
  const labels = join(folder, 'labels.i32');
  const batches = join(folder, 'batches.i32');
  const n = data.train.count;
  await writeFile(inputs, Buffer.from(data.train.inputs.buffer, data.train.inputs.byteOffset, data.train.inputs.byteLength));
  const labelArray = data.train.labels as Int32Array;
  await writeFile(labels, Buffer.from(labelArray.buffer, labelArray.byteOffset, labelArray.byteLength));
  const rows = Int32Array.from({ length: benchCase.steps * benchCase.batchSize }, (_, position) => position % n);
  await writeFile(batches, Buffer.from(rows.buffer));
  const config = {
    threads: 1,
    precision: 'float32',
    trainCount: n,
    inputWidth: data.inputWidth,
    classes: data.classes,
    inputs,
    labels,
    batches,
    steps: benchCase.steps,
    batchSize: benchCase.batchSize,
    widths: benchCase.widths,
    activation: benchCase.activation,
    optimizer: benchCase.optimizer,
    learningRate: benchCase.learningRate,
    repeats: 1,
  };
  return runPython<TorchResult>(SCRIPT, config);
}

await initLinalg({ threads: 1 });
const torch = torchSetup();
console.log(`bench:training — ours on ${linalgInfo()?.engine ?? '?'} (one thread), ${new Date().toISOString()}, ${ROUNDS} alternating rounds`);
console.log(torch === null ? TORCH_MISSING : describeTorch(torch));

const folder = await mkdtemp(join(tmpdir(), 'bench-training-'));
try {
  const rows: string[][] = [];
  for (const benchCase of cases) {
    const data = benchCase.data();
    ours(benchCase, data);
    const mineRuns: ReturnType<typeof ours>[] = [];
    const theirRuns: TorchResult[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      mineRuns.push(ours(benchCase, data));
      if (torch !== null) theirRuns.push(await pytorch(benchCase, data, folder));
    }
    const mine = { ...(mineRuns.at(-1) as ReturnType<typeof ours>), seconds: median(mineRuns.map((run) => run.seconds)) };
    const theirs = torch === null ? null : { ...(theirRuns.at(-1) as TorchResult), seconds: median(theirRuns.map((run) => run.seconds)) };
    rows.push([
      benchCase.name,
      String(benchCase.steps),
      `${(mine.seconds * 1000).toFixed(0)} ms`,
      theirs === null ? '-' : `${(theirs.seconds * 1000).toFixed(0)} ms`,
      theirs === null ? '-' : `${(theirs.seconds / mine.seconds).toFixed(2)}×`,
      `${mine.firstLoss.toFixed(3)} → ${mine.lastLoss.toFixed(3)}`,
      theirs === null ? '-' : `${theirs.firstLoss.toFixed(3)} → ${theirs.lastLoss.toFixed(3)}`,
    ]);
  }
  const header = ['case', 'steps', 'ours (median)', 'PyTorch (median)', 'PyTorch / ours', 'our loss', 'PyTorch loss (after its warm-up run)'];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] as string).length)));
  const line = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column] as number)).join('  ');
  console.log(`\n${line(header)}\n${widths.map((width) => '-'.repeat(width)).join('  ')}\n${rows.map(line).join('\n')}`);
  console.log('\nPyTorch / ours above 1 means ours is faster. Our time includes the per-layer gradient norms of every step and the dead/saturated counts of both evaluations.');
} finally {
  await rm(folder, { recursive: true, force: true });
}
