/**
 * GEMM through ONNX Runtime's native CPU kernels (MLAS: AVX2 / AVX-512 SGEMM),
 * from the `onnxruntime-node` package, which ships libonnxruntime.so inside its
 * npm tarball (linux x64/arm64 glibc, macOS, Windows).
 *
 * One single-node `Gemm` session per (transA, transB) pair, created on first
 * use; the transposes are MLAS's own, so Aᵀ·B and A·Bᵀ cost the same as A·B.
 *
 * Synchronous by design: the public `InferenceSession.run()` wraps the native
 * call in `setImmediate` + a Promise, so this engine calls the package's own
 * synchronous binding (`onnxruntime-node/dist/binding.js`, the object that
 * `run()` forwards to). That is an internal module: the package version is
 * pinned, and `createOnnxRuntimeEngine` checks one small product before it
 * returns, so an incompatible release fails at start-up, not with wrong numbers.
 *
 * The package is loaded with `createRequire`, not a static import, so this file
 * type-checks and the service runs where the package is not installed.
 */
import { createRequire } from 'node:module';
import type { GemmEngine } from './engine.js';
import { gemmModelBytes } from './onnx-gemm-model.js';

const PACKAGE = 'onnxruntime-node';

interface OrtTensorConstructor {
  new (type: 'float32', data: Float32Array, dims: readonly number[]): object;
}

interface OrtBindingSession {
  loadModel(buffer: ArrayBuffer, byteOffset: number, byteLength: number, options: object): void;
  run(feeds: Record<string, object>, fetches: Record<string, object | null>, options: object): Record<string, object>;
  dispose(): void;
}

interface OrtBindingModule {
  binding: { InferenceSession: new () => OrtBindingSession };
  initOrt: () => void;
}

export interface OnnxRuntimeOptions {
  /** Intra-op threads for one product (default 1: the calling thread only). */
  threads?: number;
}

class OnnxRuntimeEngine implements GemmEngine {
  readonly name = 'onnxruntime' as const;
  readonly threads: number;
  readonly description: string;
  private readonly sessions = new Map<number, OrtBindingSession>();
  private readonly runOptions = {};

  constructor(
    private readonly binding: OrtBindingModule['binding'],
    private readonly Tensor: OrtTensorConstructor,
    version: string,
    threads: number,
  ) {
    this.threads = threads;
    this.description = `onnxruntime-node ${version} (MLAS), ${threads} intra-op thread${threads === 1 ? '' : 's'}`;
  }

  private session(transA: boolean, transB: boolean): OrtBindingSession {
    const key = (transA ? 2 : 0) + (transB ? 1 : 0);
    let session = this.sessions.get(key);
    if (session === undefined) {
      const model = gemmModelBytes(transA, transB);
      session = new this.binding.InferenceSession();
      session.loadModel(model.buffer as ArrayBuffer, model.byteOffset, model.byteLength, {
        intraOpNumThreads: this.threads,
        interOpNumThreads: 1,
        executionMode: 'sequential',
        graphOptimizationLevel: 'all',
        // Shapes change from call to call: no memory-pattern planning.
        enableMemPattern: false,
        logSeverityLevel: 3,
      });
      this.sessions.set(key, session);
    }
    return session;
  }

  gemm(transA: boolean, transB: boolean, m: number, n: number, k: number, a: Float32Array, b: Float32Array, out: Float32Array): void {
    const { Tensor } = this;
    // The output tensor wraps `out`: ONNX Runtime writes the product straight into it.
    this.session(transA, transB).run(
      {
        A: new Tensor('float32', a, transA ? [k, m] : [m, k]),
        B: new Tensor('float32', b, transB ? [n, k] : [k, n]),
      },
      { C: new Tensor('float32', out, [m, n]) },
      this.runOptions,
    );
  }

  dispose(): void {
    for (const session of this.sessions.values()) session.dispose();
    this.sessions.clear();
  }
}

/**
 * Loads onnxruntime-node and returns a checked engine. Throws (with the reason)
 * when the package is missing, its native library does not load (e.g. musl /
 * Alpine images), or the synchronous binding no longer behaves as expected.
 */
export function createOnnxRuntimeEngine(options: OnnxRuntimeOptions = {}): GemmEngine {
  const threads = Math.max(1, Math.floor(options.threads ?? 1));
  const require = createRequire(import.meta.url);
  const ort = require(PACKAGE) as { Tensor: OrtTensorConstructor };
  const { version } = require(`${PACKAGE}/package.json`) as { version: string };
  const bindingModule = require(`${PACKAGE}/dist/binding.js`) as OrtBindingModule;
  if (typeof bindingModule.initOrt !== 'function' || typeof bindingModule.binding?.InferenceSession !== 'function') {
    throw new Error(`${PACKAGE} ${version}: dist/binding.js no longer exports { binding.InferenceSession, initOrt }`);
  }
  bindingModule.initOrt();
  const engine = new OnnxRuntimeEngine(bindingModule.binding, ort.Tensor, version, threads);
  selfCheck(engine, version);
  return engine;
}

/** [[1,2,3],[4,5,6]]·[[1,2],[3,4],[5,6]] = [[22,28],[49,64]], in all four transpose modes. */
function selfCheck(engine: GemmEngine, version: string): void {
  const a = new Float32Array([1, 2, 3, 4, 5, 6]);
  const aT = new Float32Array([1, 4, 2, 5, 3, 6]);
  const b = new Float32Array([1, 2, 3, 4, 5, 6]);
  const bT = new Float32Array([1, 3, 5, 2, 4, 6]);
  const expected = [22, 28, 49, 64];
  for (const transA of [false, true]) {
    for (const transB of [false, true]) {
      const out = new Float32Array(4).fill(Number.NaN);
      engine.gemm(transA, transB, 2, 2, 3, transA ? aT : a, transB ? bT : b, out);
      if (!expected.every((value, index) => out[index] === value)) {
        engine.dispose();
        throw new Error(`${PACKAGE} ${version}: self-check failed for transA=${transA} transB=${transB}: got [${Array.from(out).join(', ')}]`);
      }
    }
  }
}
