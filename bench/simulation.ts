/**
 * The feed-forward simulator against its own matrix products and against
 * TensorFlow.js autodiff, on the issue's network: depth 20, width 512,
 * batch 256, tanh, Xavier initialisation, mse loss, one trial.
 *
 *   npx tsx bench/simulation.ts [--quick] [--engine=onnxruntime|tfjs-wasm|js]
 *
 * In one run, interleaved so that both see the same machine state:
 *   simulation   simulateFeedforward (draws, forward, backward, figures)
 *   products     the 60 plain products of that network (20 × A·W, Aᵀ·δ, δ·Wᵀ)
 *                on the same engine, same shapes; the simulator itself does 59
 *                (no ∂L/∂X)
 *   draws        just the 20 weight matrices from the seeded stream
 *   tfjs grad    tf.variableGrads over the same 20-layer tanh net (wasm backend),
 *                weights already made, the 20 weight-gradient norms read back
 * Every figure is the median of the samples. What is neither product nor draw
 * is elementwise JS (φ and φ′ — Math.tanh alone is ~1.2–2.4 ms per 256×512 —,
 * statistics, norms, batch-norm and residual passes) and allocation.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { resolveActivation } from '../src/activations/resolve.js';
import { defaultWasmDir } from '../src/linalg/engine-tfjs-wasm.js';
import { initLinalg, type LinalgEngineName, linalgInfo, matmul, matmulTransA, matmulTransB } from '../src/linalg/matmul.js';
import { createRandom } from '../src/random.js';
import { type FeedforwardSpec, simulateFeedforward } from '../src/simulation/feedforward/index.js';
import { type InitScheme, initializeWeightsInto } from '../src/simulation/init.js';

const quick = process.argv.includes('--quick');
const engineArgument = process.argv.find((argument) => argument.startsWith('--engine='))?.slice('--engine='.length);
const SAMPLES = quick ? 3 : 7;
const TFJS_SAMPLES = quick ? 1 : 3;
const DEPTH = 20;
const WIDTH = 512;
const BATCH = 256;
const PRODUCT_FLOPS = 2 * BATCH * WIDTH * WIDTH;
/** The TF.js net is the simulator's network for this seed, so their gradient ratios must agree. */
const TFJS_SEED = 3;

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

function timed(fn: () => void): number {
  const start = performance.now();
  fn();
  return performance.now() - start;
}

function networkSpec(scheme: InitScheme, seed: number): FeedforwardSpec {
  return {
    inputSize: WIDTH,
    layers: Array.from({ length: DEPTH }, () => ({
      width: WIDTH,
      activation: resolveActivation('tanh'),
      init: { scheme },
      bias: false,
      batchNorm: false,
      residual: false,
    })),
    input: { batchSize: BATCH, distribution: 'normal', scale: 1 },
    loss: { type: 'mse' },
    trials: 1,
    seed,
  };
}

const info = await initLinalg(engineArgument === undefined ? {} : { engine: engineArgument as LinalgEngineName });
console.log(`engine: ${info.engine} (${info.description})`);

// ------------------------------------------------- plain products, same shapes
const random = createRandom(1);
const activations = Array.from({ length: DEPTH + 1 }, () => Float32Array.from({ length: BATCH * WIDTH }, () => random.normal()));
const weights = Array.from({ length: DEPTH }, () => initializeWeightsInto({ scheme: 'xavier_uniform' }, WIDTH, WIDTH, random, 0, new Float32Array(WIDTH * WIDTH)));
const delta = Float32Array.from({ length: BATCH * WIDTH }, () => random.normal());
const weightGradient = new Float32Array(WIDTH * WIDTH);
const inputGradient = new Float32Array(BATCH * WIDTH);
function plainProducts(): void {
  for (let l = 0; l < DEPTH; l += 1) matmul(activations[l] as Float32Array, BATCH, WIDTH, weights[l] as Float32Array, WIDTH, activations[l + 1] as Float32Array);
  for (let l = DEPTH - 1; l >= 0; l -= 1) {
    matmulTransA(activations[l] as Float32Array, BATCH, WIDTH, delta, WIDTH, weightGradient);
    matmulTransB(delta, BATCH, WIDTH, weights[l] as Float32Array, WIDTH, inputGradient);
  }
}

function drawWeights(scheme: InitScheme): void {
  const stream = createRandom(2);
  for (const matrix of weights) initializeWeightsInto({ scheme }, WIDTH, WIDTH, stream, 0, matrix);
}

// ------------------------------------------------------------- TF.js autodiff
/**
 * tfjs-core's Node bundle registers no gradients (the @tensorflow/tfjs package
 * does, from ESM files Node cannot load), so the six this net needs are
 * registered here exactly as tfjs-core/src/gradients/*_grad.ts define them.
 */
function registerGradients(): void {
  tf.registerGradient({
    kernelName: tf.BatchMatMul,
    inputsToSave: ['a', 'b'],
    gradFunc: (dy, [a, b]) => ({
      a: () => tf.matMul(dy as tf.Tensor2D, b as tf.Tensor2D, false, true),
      b: () => tf.matMul(a as tf.Tensor2D, dy as tf.Tensor2D, true, false),
    }),
  });
  tf.registerGradient({
    kernelName: tf.Tanh,
    outputsToSave: [true],
    gradFunc: (dy, [y]) => ({ x: () => tf.mul(tf.sub(tf.scalar(1), tf.square(y as tf.Tensor)), dy as tf.Tensor) }),
  });
  tf.registerGradient({ kernelName: tf.Sub, gradFunc: (dy) => ({ a: () => dy as tf.Tensor, b: () => tf.neg(dy as tf.Tensor) }) });
  tf.registerGradient({
    kernelName: tf.Square,
    inputsToSave: ['x'],
    gradFunc: (dy, [x]) => ({ x: () => tf.mul(dy as tf.Tensor, tf.mul(tf.cast(x as tf.Tensor, 'float32'), 2)) }),
  });
  tf.registerGradient({
    kernelName: tf.Sum,
    inputsToSave: ['x'],
    gradFunc: (dy, [x]) => ({ x: () => tf.mul(tf.reshape(dy as tf.Tensor, (x as tf.Tensor).shape.map(() => 1)), tf.ones((x as tf.Tensor).shape)) }),
  });
  tf.registerGradient({
    kernelName: tf.Multiply,
    inputsToSave: ['a', 'b'],
    gradFunc: (dy, [a, b]) => ({ a: () => tf.mul(dy as tf.Tensor, b as tf.Tensor), b: () => tf.mul(dy as tf.Tensor, a as tf.Tensor) }),
  });
}

async function tfjsAutodiff(): Promise<{ ms: number; log10Ratio: number }> {
  if (linalgInfo()?.engine !== 'tfjs-wasm') {
    setWasmPaths(defaultWasmDir());
    await tf.setBackend('wasm');
    await tf.ready();
  }
  registerGradients();
  // Same stream, same order as simulateFeedforward with seed 3: X, Y, then W^1 … W^20.
  const stream = createRandom(TFJS_SEED);
  const x = tf.tensor2d(Float32Array.from({ length: BATCH * WIDTH }, () => stream.normal()), [BATCH, WIDTH]);
  const y = tf.tensor2d(Float32Array.from({ length: BATCH * WIDTH }, () => stream.normal()), [BATCH, WIDTH]);
  const variables = Array.from({ length: DEPTH }, (_, l) =>
    tf.variable(tf.tensor2d(initializeWeightsInto({ scheme: 'xavier_uniform' }, WIDTH, WIDTH, stream, 0, new Float32Array(WIDTH * WIDTH)), [WIDTH, WIDTH]), true, `w${l}`),
  );
  const step = (): number[] => {
    const { grads, value } = tf.variableGrads(() =>
      tf.tidy(() => {
        let a: tf.Tensor2D = x;
        for (const w of variables) a = tf.tanh(tf.matMul(a, w));
        return tf.mul(tf.sum(tf.square(tf.sub(a, y))), tf.scalar(1 / (2 * BATCH)));
      }),
    );
    const norms = tf.tidy(() => tf.stack(variables.map((w) => tf.norm(grads[w.name] as tf.Tensor))));
    const result = Array.from(norms.dataSync());
    tf.dispose([norms, value, ...Object.values(grads)]);
    return result;
  };
  step();
  const samples: number[] = [];
  let norms: number[] = [];
  for (let s = 0; s < TFJS_SAMPLES; s += 1) samples.push(timed(() => (norms = step())));
  tf.dispose([x, y, ...variables]);
  return { ms: median(samples), log10Ratio: Math.log10((norms[0] as number) / (norms[DEPTH - 1] as number)) };
}

// ------------------------------------------------------------------ the run
simulateFeedforward(networkSpec('xavier_uniform', 0));
plainProducts();
const rows: Record<string, number[]> = { uniform: [], normal: [], products: [], drawsUniform: [], drawsNormal: [] };
for (let s = 0; s < SAMPLES; s += 1) {
  (rows.products as number[]).push(timed(plainProducts));
  (rows.uniform as number[]).push(timed(() => simulateFeedforward(networkSpec('xavier_uniform', s + 1))));
  (rows.normal as number[]).push(timed(() => simulateFeedforward(networkSpec('xavier_normal', s + 1))));
  (rows.drawsUniform as number[]).push(timed(() => drawWeights('xavier_uniform')));
  (rows.drawsNormal as number[]).push(timed(() => drawWeights('xavier_normal')));
}
const products = median(rows.products as number[]);
const simulatedFlops = (3 * DEPTH - 1) * PRODUCT_FLOPS;
const gflops = (flops: number, ms: number): string => (flops / ms / 1e6).toFixed(1);

console.log(`\ndepth ${DEPTH} × width ${WIDTH} × batch ${BATCH}, tanh, mse, 1 trial; median of ${SAMPLES}`);
console.log(`60 plain products            ${products.toFixed(0).padStart(6)} ms   ${gflops(60 * PRODUCT_FLOPS, products)} GFLOP/s`);
for (const [scheme, key, draws] of [
  ['xavier_uniform', 'uniform', 'drawsUniform'],
  ['xavier_normal', 'normal', 'drawsNormal'],
] as const) {
  const ms = median(rows[key] as number[]);
  const drawMs = median(rows[draws] as number[]);
  console.log(
    `simulation, ${scheme.padEnd(15)} ${ms.toFixed(0).padStart(6)} ms   ${gflops(simulatedFlops, ms)} GFLOP/s effective` +
      `   ratio to products ${(ms / products).toFixed(2)}` +
      `   (weight draws ${drawMs.toFixed(0)} ms; without them ${(ms - drawMs).toFixed(0)} ms, ratio ${((ms - drawMs) / products).toFixed(2)})`,
  );
}

const autodiff = await tfjsAutodiff();
const sameNetwork = simulateFeedforward(networkSpec('xavier_uniform', TFJS_SEED)).summary.log10GradientRatio ?? NaN;
console.log(
  `TF.js autodiff (variableGrads, wasm) ${autodiff.ms.toFixed(0).padStart(6)} ms   ${gflops(60 * PRODUCT_FLOPS, autodiff.ms)} GFLOP/s` +
    `   ${(autodiff.ms / median(rows.uniform as number[])).toFixed(1)}× the simulation`,
);
console.log(
  `log10(‖∂L/∂W¹‖/‖∂L/∂W²⁰‖) on the same network (seed ${TFJS_SEED}): simulator ${sameNetwork.toFixed(6)}, TF.js ${autodiff.log10Ratio.toFixed(6)}`,
);

// ------------------------------------------------------- PyTorch, side by side
/**
 * PyTorch's autograd on the same network (Debian's /usr/bin/python3 with
 * python3-torch, one thread; its products on OpenBLAS when
 * libopenblas0-pthread is installed — the bench says which), drawing its
 * weights and inputs, forward, backward, the 20 norms read out. Rounds
 * alternate: one sample of ours, then a batch of PyTorch's in one process.
 */
const PYTHON = '/usr/bin/python3';
const torchPresent = existsSync(PYTHON) && spawnSync(PYTHON, ['-c', 'import torch'], { encoding: 'utf8' }).status === 0;
if (!torchPresent) {
  console.log(`\nPyTorch: not importable from ${PYTHON} (apt-get install python3-torch libopenblas0-pthread); no side-by-side figures.`);
} else {
  const blas = /openblas/i.test(spawnSync(PYTHON, ['-c', 'import torch; torch.ones(2,2) @ torch.ones(2,2); print(open("/proc/self/maps").read())'], { encoding: 'utf8' }).stdout)
    ? 'OpenBLAS'
    : 'not OpenBLAS (the reference BLAS is ~20× slower: install libopenblas0-pthread)';
  const script = new URL('./python/simulate_mlp.py', import.meta.url).pathname;
  const ours: number[] = [];
  const theirs: number[] = [];
  for (let round = 0; round < SAMPLES; round += 1) {
    ours.push(timed(() => simulateFeedforward(networkSpec('lecun_normal', round + 1))));
    const output = execFileSync(PYTHON, [script, JSON.stringify({ depth: DEPTH, width: WIDTH, batch: BATCH, scheme: 'lecun_normal', seed: round + 1, samples: 3 })], { encoding: 'utf8' });
    theirs.push(...(JSON.parse(output.trim().split('\n').at(-1) as string) as { ms: number[] }).ms);
  }
  const mine = median(ours);
  const torchMs = median(theirs);
  console.log(`\nPyTorch autograd (torch.set_num_threads(1), products on ${blas}), lecun_normal, ${SAMPLES} alternating rounds:`);
  console.log(`  ours (in process)   ${mine.toFixed(0).padStart(6)} ms`);
  console.log(`  PyTorch             ${torchMs.toFixed(0).padStart(6)} ms`);
  console.log(`  PyTorch / ours      ${(torchMs / mine).toFixed(2)}× (above 1: ours is faster)`);
}
