/**
 * GFLOP/s of the dense float32 products the gradient simulator needs, per
 * engine, shape and transpose handling; the cost of moving data in and out of
 * TensorFlow.js; and one tanh layer forward + backward in two styles.
 *
 *   npx tsx bench/matmul.ts [--quick] [--engines=onnxruntime,tfjs-wasm,js]
 *
 * Every figure is the median over several timed samples after a warm-up, in
 * one thread. Shapes (batch B = 256, n_in = n_out = 512):
 *   Z  = A·W     256×512 · 512×512
 *   dW = Aᵀ·dZ   (256×512)ᵀ · 256×512  (the same work as 512×256 · 256×512)
 *   dA = dZ·Wᵀ   256×512 · (512×512)ᵀ
 */
import os from 'node:os';
import { createEngine, type GemmEngine, type LinalgEngineName, transpose } from '../src/linalg/matmul.js';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const engineArg = args.find((arg) => arg.startsWith('--engines='));
const wantedEngines = (engineArg?.slice('--engines='.length).split(',') ?? ['onnxruntime', 'tfjs-wasm', 'js']) as LinalgEngineName[];
const SAMPLE_MS = quick ? 10 : 25;
const TOTAL_MS = quick ? 80 : 300;

/** Median milliseconds per call of fn. */
function time(fn: () => void): number {
  const warmStart = performance.now();
  let warmCalls = 0;
  while (warmCalls < 3 || (performance.now() - warmStart < 50 && warmCalls < 200)) {
    fn();
    warmCalls++;
  }
  const perCall = (performance.now() - warmStart) / warmCalls;
  const inner = Math.max(1, Math.round(SAMPLE_MS / Math.max(perCall, 1e-3)));
  const samples: number[] = [];
  const start = performance.now();
  while (samples.length < 5 || (performance.now() - start < TOTAL_MS && samples.length < 200)) {
    const t0 = performance.now();
    for (let i = 0; i < inner; i++) fn();
    samples.push((performance.now() - t0) / inner);
  }
  samples.sort((x, y) => x - y);
  return samples[Math.floor(samples.length / 2)] as number;
}

function random(size: number): Float32Array {
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) out[i] = (Math.random() * 2 - 1) * 0.05;
  return out;
}

interface Row {
  shape: string;
  variant: string;
  engine: string;
  ms: number;
  flops: number;
}
const rows: Row[] = [];

function record(shape: string, variant: string, engine: string, flops: number, fn: () => void): void {
  const ms = time(fn);
  rows.push({ shape, variant, engine, ms, flops });
  const gflops = flops > 0 ? (flops / ms / 1e6).toFixed(1).padStart(7) : '      –';
  console.log(`  ${shape.padEnd(26)} ${variant.padEnd(44)} ${engine.padEnd(12)} ${ms.toFixed(3).padStart(9)} ms ${gflops} GFLOP/s`);
}

const B = 256;
const N_IN = 512;
const N_OUT = 512;
const A = random(B * N_IN);
const W = random(N_IN * N_OUT);
const dZ = random(B * N_OUT);
const At = transpose(A, B, N_IN); // n_in×B
const Wt = transpose(W, N_IN, N_OUT); // n_out×n_in
const flopsFwd = 2 * B * N_IN * N_OUT;
const flopsDW = 2 * N_IN * N_OUT * B;
const flopsDA = 2 * B * N_OUT * N_IN;
const Z = new Float32Array(B * N_OUT);
const dWout = new Float32Array(N_IN * N_OUT);
const dAout = new Float32Array(B * N_IN);

const S_FWD = 'Z=A·W 256×512·512×512';
const S_DW = 'dW=Aᵀ·dZ 512×256·256×512';
const S_DA = 'dA=dZ·Wᵀ 256×512·(512×512)ᵀ';

console.log(`node ${process.version}, ${os.cpus()[0]?.model ?? 'cpu'} × ${os.cpus().length}${quick ? ', --quick' : ''}\n`);

// ---------------------------------------------------------------- engines
const engines = new Map<LinalgEngineName, GemmEngine>();
for (const name of wantedEngines) {
  try {
    const engine = await createEngine(name);
    engines.set(name, engine);
    console.log(`engine ${name}: ${engine.description}`);
  } catch (error) {
    console.log(`engine ${name}: not available (${error instanceof Error ? error.message.split('\n')[0] : String(error)})`);
  }
}
console.log('\nproducts (Float32Array in, Float32Array out, through the engine API):');

for (const [name, engine] of engines) {
  if (name === 'js') continue;
  record(S_FWD, 'A·B', name, flopsFwd, () => engine.gemm(false, false, B, N_OUT, N_IN, A, W, Z));
  record(S_DW, 'A·B, A already transposed', name, flopsDW, () => engine.gemm(false, false, N_IN, N_OUT, B, At, dZ, dWout));
  record(S_DW, name === 'onnxruntime' ? 'Aᵀ·B, Gemm transA' : 'Aᵀ·B, JS transposed copy + A·B', name, flopsDW, () =>
    engine.gemm(true, false, N_IN, N_OUT, B, A, dZ, dWout),
  );
  record(S_DA, 'A·B, W already transposed', name, flopsDA, () => engine.gemm(false, false, B, N_IN, N_OUT, dZ, Wt, dAout));
  record(S_DA, name === 'onnxruntime' ? 'A·Bᵀ, Gemm transB' : 'A·Bᵀ, JS transposed copy + A·B', name, flopsDA, () =>
    engine.gemm(false, true, B, N_IN, N_OUT, dZ, W, dAout),
  );
  if (name === 'onnxruntime') {
    const scratch = new Float32Array(N_IN * B);
    record(S_DW, 'JS transposed copy + A·B', name, flopsDW, () => {
      transpose(A, B, N_IN, scratch);
      engine.gemm(false, false, N_IN, N_OUT, B, scratch, dZ, dWout);
    });
  }
}
const jsEngine = engines.get('js');
if (jsEngine !== undefined) {
  record(S_FWD, 'A·B', 'js', flopsFwd, () => jsEngine.gemm(false, false, B, N_OUT, N_IN, A, W, Z));
}

// ------------------------------------------------- tfjs-wasm in detail
if (engines.has('tfjs-wasm')) {
  const tf = await import('@tensorflow/tfjs-core');
  console.log('\ntfjs-wasm, tensors resident in wasm memory (no copies unless stated):');
  const tA = tf.tensor2d(A, [B, N_IN]);
  const tW = tf.tensor2d(W, [N_IN, N_OUT]);
  const tDZ = tf.tensor2d(dZ, [B, N_OUT]);
  const tAt = tf.tensor2d(At, [N_IN, B]);
  const tWt = tf.tensor2d(Wt, [N_OUT, N_IN]);
  const disposeAfter = (make: () => { dispose(): void }) => () => make().dispose();
  record(S_FWD, 'matMul(A, W)', 'tfjs-wasm', flopsFwd, disposeAfter(() => tf.matMul(tA, tW)));
  record(S_FWD, 'matMul(A, W) + dataSync()', 'tfjs-wasm', flopsFwd, () => {
    const c = tf.matMul(tA, tW);
    c.dataSync();
    c.dispose();
  });
  record(S_DW, 'matMul(Aᵀ, dZ), Aᵀ resident', 'tfjs-wasm', flopsDW, disposeAfter(() => tf.matMul(tAt, tDZ)));
  record(S_DW, 'matMul(A, dZ, transposeA=true)', 'tfjs-wasm', flopsDW, disposeAfter(() => tf.matMul(tA, tDZ, true, false)));
  record(S_DW, 'matMul(tf.transpose(A), dZ)', 'tfjs-wasm', flopsDW, disposeAfter(() => tf.tidy(() => tf.matMul(tf.transpose(tA), tDZ))));
  record(S_DA, 'matMul(dZ, Wᵀ), Wᵀ resident', 'tfjs-wasm', flopsDA, disposeAfter(() => tf.matMul(tDZ, tWt)));
  record(S_DA, 'matMul(dZ, W, false, transposeB=true)', 'tfjs-wasm', flopsDA, disposeAfter(() => tf.matMul(tDZ, tW, false, true)));
  record(S_DA, 'matMul(dZ, tf.transpose(W))', 'tfjs-wasm', flopsDA, disposeAfter(() => tf.tidy(() => tf.matMul(tDZ, tf.transpose(tW)))));

  console.log('\ndata movement and elementwise work (256×512 = 131 072 floats unless stated):');
  record('256×512', 'tf.tensor2d(Float32Array) + dispose', 'tfjs-wasm', 0, disposeAfter(() => tf.tensor2d(A, [B, N_IN])));
  record('512×512', 'tf.tensor2d(Float32Array) + dispose', 'tfjs-wasm', 0, disposeAfter(() => tf.tensor2d(W, [N_IN, N_OUT])));
  record('256×512', 'tensor.dataSync()', 'tfjs-wasm', 0, () => tA.dataSync());
  record('512×512', 'transpose, blocked JS copy', 'js', 0, () => transpose(W, N_IN, N_OUT, dWout));
  record('256×512', 'transpose, blocked JS copy', 'js', 0, () => transpose(A, B, N_IN, dAout));
  record('512×512', 'tf.transpose', 'tfjs-wasm', 0, disposeAfter(() => tf.transpose(tW)));
  const H = new Float32Array(B * N_IN);
  record('256×512', 'tanh, JS loop over Math.tanh', 'js', 0, () => {
    for (let i = 0; i < H.length; i++) H[i] = Math.tanh(A[i] as number);
  });
  record('256×512', 'tf.tanh', 'tfjs-wasm', 0, disposeAfter(() => tf.tanh(tA)));
  record('256×512', "dZ = dH⊙(1−H²), JS loop", 'js', 0, () => {
    for (let i = 0; i < H.length; i++) {
      const h = H[i] as number;
      dAout[i] = (dZ[i] as number) * (1 - h * h);
    }
  });
  record('256×512', 'dZ = dH⊙(1−H²), tf ops (tidy)', 'tfjs-wasm', 0, disposeAfter(() => tf.tidy(() => tf.mul(tDZ, tf.sub(1, tf.square(tA))))));

  // ---------------------------------------------- one layer, two styles
  console.log('\none tanh layer forward + backward (Z=A·W, H=tanh Z, dZ=dH⊙(1−H²), dW=Aᵀ·dZ, dA=dZ·Wᵀ, ‖dA‖², ‖dW‖²):');
  const layerFlops = flopsFwd + flopsDW + flopsDA;
  record('B=256, 512→512', 'tfjs tensors + tf ops, 2 scalars read back', 'tfjs-wasm', layerFlops, () => {
    const norms = tf.tidy(() => {
      const h = tf.tanh(tf.matMul(tA, tW));
      const gz = tf.mul(tDZ, tf.sub(1, tf.square(h)));
      const gw = tf.matMul(tf.transpose(tA), gz);
      const ga = tf.matMul(gz, tf.transpose(tW));
      return tf.stack([tf.sum(tf.square(ga)), tf.sum(tf.square(gw))]);
    });
    norms.dataSync();
    norms.dispose();
  });
  tA.dispose();
  tW.dispose();
  tDZ.dispose();
  tAt.dispose();
  tWt.dispose();
}

const Hs = new Float32Array(B * N_OUT);
const gZ = new Float32Array(B * N_OUT);
function layerFloat32(engine: GemmEngine): void {
  engine.gemm(false, false, B, N_OUT, N_IN, A, W, Z);
  for (let i = 0; i < Z.length; i++) Hs[i] = Math.tanh(Z[i] as number);
  for (let i = 0; i < gZ.length; i++) {
    const h = Hs[i] as number;
    gZ[i] = (dZ[i] as number) * (1 - h * h);
  }
  engine.gemm(true, false, N_IN, N_OUT, B, A, gZ, dWout);
  engine.gemm(false, true, B, N_IN, N_OUT, gZ, W, dAout);
  let normA = 0;
  for (let i = 0; i < dAout.length; i++) normA += (dAout[i] as number) ** 2;
  let normW = 0;
  for (let i = 0; i < dWout.length; i++) normW += (dWout[i] as number) ** 2;
  if (!Number.isFinite(normA + normW)) throw new Error('non-finite norm');
}
for (const [name, engine] of engines) {
  if (name === 'js') continue;
  record('B=256, 512→512', 'Float32Array + JS elementwise, products via engine', name, flopsFwd + flopsDW + flopsDA, () => layerFloat32(engine));
}

// --------------------------------------------------------------- summary
console.log('\n| shape | variant | engine | ms | GFLOP/s |\n| --- | --- | --- | ---: | ---: |');
for (const row of rows) {
  const gflops = row.flops > 0 ? (row.flops / row.ms / 1e6).toFixed(1) : '–';
  console.log(`| ${row.shape} | ${row.variant} | ${row.engine} | ${row.ms.toFixed(3)} | ${gflops} |`);
}
for (const engine of engines.values()) engine.dispose();
