/**
 * GEMM through TensorFlow.js's WebAssembly backend (XNNPACK, 128-bit SIMD),
 * single-threaded: about 25–30 GFLOP/s for A·B on this machine.
 *
 * Transposes: the backend sends A·B to XNNPACK's fully-connected operator, but
 * any `transposeA` / `transposeB` flag to its scalar fallback loop (≈ 2 GFLOP/s).
 * The default strategy `copy` therefore makes a blocked transposed copy in JS
 * (≈ 0.1–0.3 ms for 512×512) and multiplies untransposed; `flag` and
 * `tf-transpose` exist for the bench.
 *
 * Side effect: this selects `wasm` as tfjs-core's global backend for the
 * calling thread (tfjs has no per-call backend choice).
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import type * as TfCore from '@tensorflow/tfjs-core';
import { type GemmEngine, Scratch, transposeInto } from './engine.js';

export type TfjsTransposeStrategy = 'copy' | 'flag' | 'tf-transpose';

export interface TfjsWasmOptions {
  /**
   * Folder holding tfjs-backend-wasm*.wasm, ending in a path separator.
   * Default: the installed package's dist/ folder, resolved from node_modules.
   */
  wasmDir?: string;
  transposeStrategy?: TfjsTransposeStrategy;
}

/** The dist/ folder of the installed @tensorflow/tfjs-backend-wasm, with a trailing separator. */
export function defaultWasmDir(): string {
  const require = createRequire(import.meta.url);
  // `main` of the package is dist/tf-backend-wasm.node.js, next to the three .wasm files.
  return path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm')) + path.sep;
}

class TfjsWasmEngine implements GemmEngine {
  readonly name = 'tfjs-wasm' as const;
  readonly threads = 1;
  readonly description: string;
  private readonly scratchA = new Scratch();
  private readonly scratchB = new Scratch();

  constructor(
    private readonly tf: typeof TfCore,
    private readonly strategy: TfjsTransposeStrategy,
    simd: boolean,
  ) {
    this.description = `@tensorflow/tfjs-backend-wasm ${tf.version_core} (XNNPACK${simd ? ', SIMD' : ', no SIMD'}), 1 thread, transposes: ${strategy}`;
  }

  gemm(transA: boolean, transB: boolean, m: number, n: number, k: number, a: Float32Array, b: Float32Array, out: Float32Array): void {
    const { tf } = this;
    if (this.strategy === 'copy') {
      const left = transA ? transposeInto(a, k, m, this.scratchA.take(m * k)) : a;
      const right = transB ? transposeInto(b, n, k, this.scratchB.take(k * n)) : b;
      this.run(tf.tensor2d(left, [m, k], 'float32'), tf.tensor2d(right, [k, n], 'float32'), false, false, out);
      return;
    }
    const left = tf.tensor2d(a, transA ? [k, m] : [m, k], 'float32');
    const right = tf.tensor2d(b, transB ? [n, k] : [k, n], 'float32');
    if (this.strategy === 'flag') {
      this.run(left, right, transA, transB, out);
      return;
    }
    // tf-transpose: the backend's own Transpose kernel, then an untransposed product.
    const leftT = transA ? tf.transpose(left) : left;
    const rightT = transB ? tf.transpose(right) : right;
    if (leftT !== left) left.dispose();
    if (rightT !== right) right.dispose();
    this.run(leftT, rightT, false, false, out);
  }

  /** Multiplies, copies the product into `out`, and disposes every tensor involved. */
  private run(left: TfCore.Tensor2D, right: TfCore.Tensor2D, transA: boolean, transB: boolean, out: Float32Array): void {
    try {
      const product = this.tf.matMul(left, right, transA, transB);
      try {
        out.set(product.dataSync() as Float32Array);
      } finally {
        product.dispose();
      }
    } finally {
      left.dispose();
      right.dispose();
    }
  }

  dispose(): void {
    this.scratchA.release();
    this.scratchB.release();
  }
}

/**
 * Initialises tfjs-core's `wasm` backend (SIMD build; the threaded build needs
 * patches to run in Node and gains nothing on 2 cores shared by workers) and
 * returns an engine over it.
 */
export async function createTfjsWasmEngine(options: TfjsWasmOptions = {}): Promise<GemmEngine> {
  const tf = await import('@tensorflow/tfjs-core');
  const wasmBackend = await import('@tensorflow/tfjs-backend-wasm');
  // Must precede the backend's initialisation (harmless after it); a string is a
  // folder prefix. Not tf.findBackend('wasm') to test first: it starts the init.
  wasmBackend.setWasmPaths(options.wasmDir ?? defaultWasmDir());
  if (!(await tf.setBackend('wasm'))) throw new Error('tfjs-core could not initialise the wasm backend');
  await tf.ready();
  const simd = Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'));
  return new TfjsWasmEngine(tf, options.transposeStrategy ?? 'copy', simd);
}
