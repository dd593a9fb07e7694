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
 * is elementwise JS (φ and φ′ in one pass — tanh's one expm1 per element is
 * ~1.5 ms per 256×512 —, statistics, norms, batch-norm and residual passes).
 * Then the issue's side-by-side comparison (below): the same network with
 * lecun_normal weights and the sum loss, over HTTP and in PyTorch, in rounds.
 */
import * as tf from '@tensorflow/tfjs-core';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { resolveActivation } from '../src/activations/resolve.js';
import { defaultWasmDir } from '../src/linalg/engine-tfjs-wasm.js';
import { initLinalg, type LinalgEngineName, linalgInfo, matmul, matmulTransA, matmulTransB } from '../src/linalg/matmul.js';
import { createRandom } from '../src/random.js';
import { type FeedforwardSpec, simulateFeedforward } from '../src/simulation/feedforward/index.js';
import { type InitScheme, initializeWeightsInto } from '../src/simulation/init.js';
import { describeTorch, runPython, TORCH_MISSING, torchSetup } from './lib/pytorch.js';
import { compileForBench, startService } from './lib/service.js';

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

/** The request of the side-by-side rounds: lecun_normal, the sum loss (the issue's network). */
function benchRequestSpec(seed: number): FeedforwardSpec {
  return { ...networkSpec('lecun_normal', seed), loss: { type: 'sum' } };
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

// ------------------------------------------- side by side: HTTP and PyTorch
/**
 * The issue's comparison, in rounds that alternate so that every side sees the
 * same machine state: with lecun_normal weights and the sum loss, one round is
 *   products   the 60 plain products above
 *   in process simulateFeedforward here
 *   HTTP       POST /v1/simulations/feedforward to the service (tsc's output, as
 *              `npm start` runs it, in a child process), timed from sending to the
 *              parsed answer; its Server-Timing `run` is the worker's share
 *   PyTorch    bench/python/simulate_mlp.py (one thread, OpenBLAS checked): drawing
 *              the weights and input, forward, backward, the 20 norms read out; one
 *              timed run after a warm-up in a fresh process
 * and the medians over the rounds are compared.
 */
const torch = torchSetup();
const sideBySide = { products: [] as number[], inProcess: [] as number[], http: [] as number[], worker: [] as number[], pytorch: [] as number[] };
const build = await compileForBench();
const service = await startService({ compiled: build });
try {
  const script = new URL('./python/simulate_mlp.py', import.meta.url).pathname;
  const request = (seed: number) => ({ network: { depth: DEPTH, width: WIDTH, activation: 'tanh', init: 'lecun_normal' }, input: { batchSize: BATCH }, loss: { type: 'sum' }, seed });
  const overHttp = async (seed: number): Promise<{ ms: number; runMs: number }> => {
    const started = performance.now();
    const response = await fetch(`${service.url}/v1/simulations/feedforward`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(request(seed)) });
    const answer = (await response.json()) as { layers?: unknown[] };
    const ms = performance.now() - started;
    if (response.status !== 200 || answer.layers?.length !== DEPTH) throw new Error(`POST /v1/simulations/feedforward answered ${response.status}: ${JSON.stringify(answer).slice(0, 300)}`);
    const runMs = Number(/run;dur=([\d.]+)/.exec(response.headers.get('server-timing') ?? '')?.[1] ?? Number.NaN);
    return { ms, runMs };
  };
  await overHttp(0);
  for (let round = 0; round < SAMPLES; round += 1) {
    sideBySide.products.push(timed(plainProducts));
    sideBySide.inProcess.push(timed(() => simulateFeedforward(benchRequestSpec(round + 1))));
    const http = await overHttp(round + 1);
    sideBySide.http.push(http.ms);
    sideBySide.worker.push(http.runMs);
    if (torch !== null) {
      const config = { depth: DEPTH, width: WIDTH, batch: BATCH, scheme: 'lecun_normal', loss: 'sum', seed: round + 1, samples: 1 };
      sideBySide.pytorch.push(...runPython<{ ms: number[] }>(script, config).ms);
    }
  }
} finally {
  await service.stop();
}
const productsMs = median(sideBySide.products);
const httpMs = median(sideBySide.http);
console.log(`\nSide by side, lecun_normal, sum loss, ${SAMPLES} alternating rounds (medians):`);
console.log(`  60 plain products            ${productsMs.toFixed(0).padStart(6)} ms`);
console.log(`  ours in process              ${median(sideBySide.inProcess).toFixed(0).padStart(6)} ms   ${(median(sideBySide.inProcess) / productsMs).toFixed(2)}× the products`);
console.log(`  ours over HTTP               ${httpMs.toFixed(0).padStart(6)} ms   ${(httpMs / productsMs).toFixed(2)}× the products (goal ≤ 1.2×); worker run ${median(sideBySide.worker).toFixed(0)} ms`);
if (torch === null) {
  console.log(`  ${TORCH_MISSING}`);
} else {
  const torchMs = median(sideBySide.pytorch);
  console.log(`  PyTorch autograd             ${torchMs.toFixed(0).padStart(6)} ms   (${describeTorch(torch)})`);
  console.log(`  PyTorch / ours over HTTP     ${(torchMs / httpMs).toFixed(2)}×   (at least 1: ours is no slower)`);
}
