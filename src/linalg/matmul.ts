/**
 * Dense float32 matrix products for the gradient simulator, synchronous after a
 * one-time `await initLinalg()` per thread (main thread or each worker).
 *
 * All matrices are row-major Float32Arrays; a matrix stored r×c has element
 * (i, j) at index i·c + j. Arrays may be longer than needed (only the leading
 * elements are read / written) and may be subarray views.
 *
 * For one dense layer with batch B, Z = A·W (A: B×n_in, W: n_in×n_out):
 *   forward   Z  = matmul(A, B, n_in, W, n_out)
 *   backward  dW = matmulTransA(A, B, n_in, dZ, n_out)      // Aᵀ·dZ, n_in×n_out
 *             dA = matmulTransB(dZ, B, n_out, W, n_in)      // dZ·Wᵀ, B×n_in
 *
 * Engines, fastest first (measured with bench/matmul.ts on the 2-core AVX-512
 * host, 256×512·512×512, one thread):
 *   onnxruntime  ~100–145 GFLOP/s  native MLAS via the optional onnxruntime-node
 *                                   package; transposes free
 *   tfjs-wasm    ~25–30 GFLOP/s     XNNPACK in WebAssembly (SIMD); transposes by
 *                                   an explicit JS copy (its own flags: 2 GFLOP/s)
 *   js           ~1 GFLOP/s         fallback
 * `initLinalg()` picks the first that loads; `linalgInfo()` tells which.
 *
 * Semantics are IEEE float32 with engine-specific summation order: results
 * agree with a float64 reference within a few k·2⁻²⁴ relative to Σ|a||b|, and
 * NaN / ±Infinity propagate. `out` must not overlap `a` or `b`.
 */
import type { GemmEngine, LinalgEngineName } from './engine.js';
import { JsEngine, Scratch, transposeInto } from './engine.js';
import { createOnnxRuntimeEngine } from './engine-onnxruntime.js';
import { createTfjsWasmEngine, type TfjsTransposeStrategy } from './engine-tfjs-wasm.js';
import { nativeCall } from './interrupt.js';

export type { GemmEngine, LinalgEngineName } from './engine.js';

export interface InitLinalgOptions {
  /** `auto` (default): onnxruntime, else tfjs-wasm, else js. A named engine that fails to load throws. */
  engine?: 'auto' | LinalgEngineName;
  /**
   * Threads per product, onnxruntime only (default 1). Keep 1 when several
   * worker threads share the 2 cores: a second intra-op thread only pays off for
   * products of ~1024³ and up, and spins a core while it waits.
   */
  threads?: number;
  /** tfjs-wasm only: folder of the .wasm files, ending in a separator (default: from node_modules). */
  wasmDir?: string;
  /** tfjs-wasm only: how Aᵀ / Bᵀ are handled (default `copy`, the fastest). */
  transposeStrategy?: TfjsTransposeStrategy;
}

export interface LinalgInfo {
  engine: LinalgEngineName;
  threads: number;
  description: string;
  /** Why faster engines were passed over (empty when the first choice loaded). */
  skipped: string[];
}

let active: GemmEngine | null = null;
let activeInfo: LinalgInfo | null = null;
let pending: Promise<LinalgInfo> | null = null;

/** Creates one engine by name, independent of the module-wide one (the bench compares engines with it). */
export async function createEngine(name: LinalgEngineName, options: InitLinalgOptions = {}): Promise<GemmEngine> {
  switch (name) {
    case 'onnxruntime':
      return createOnnxRuntimeEngine(options.threads === undefined ? {} : { threads: options.threads });
    case 'tfjs-wasm':
      return createTfjsWasmEngine({
        ...(options.wasmDir === undefined ? {} : { wasmDir: options.wasmDir }),
        ...(options.transposeStrategy === undefined ? {} : { transposeStrategy: options.transposeStrategy }),
      });
    case 'js':
      return new JsEngine();
  }
}

/**
 * Loads the engine for this thread. Idempotent: later calls return the first
 * call's result (call `disposeLinalg()` first to switch engines).
 */
export function initLinalg(options: InitLinalgOptions = {}): Promise<LinalgInfo> {
  pending ??= (async () => {
    const wanted = options.engine ?? 'auto';
    const order: LinalgEngineName[] = wanted === 'auto' ? ['onnxruntime', 'tfjs-wasm', 'js'] : [wanted];
    const skipped: string[] = [];
    for (const name of order) {
      try {
        const engine = await createEngine(name, options);
        active = engine;
        activeInfo = { engine: engine.name, threads: engine.threads, description: engine.description, skipped };
        return activeInfo;
      } catch (error) {
        if (wanted !== 'auto') throw error;
        skipped.push(`${name}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
      }
    }
    throw new Error(`no linear-algebra engine loaded: ${skipped.join('; ')}`);
  })().catch((error: unknown) => {
    pending = null;
    throw error;
  });
  return pending;
}

/** The engine in use, or null before `initLinalg()` has resolved. */
export function linalgInfo(): LinalgInfo | null {
  return activeInfo;
}

/** Releases the engine's native resources; `initLinalg()` may be called again afterwards. */
export function disposeLinalg(): void {
  active?.dispose();
  active = null;
  activeInfo = null;
  pending = null;
}

function engine(): GemmEngine {
  if (active === null) throw new Error('linalg: await initLinalg() in this thread before the first product');
  return active;
}

function checkDim(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`linalg: ${name} must be a non-negative integer, got ${value}`);
}

function checkLength(name: string, array: Float32Array, needed: number): void {
  if (array.length < needed) throw new RangeError(`linalg: ${name} has ${array.length} elements, needs ${needed}`);
}

function overlaps(x: Float32Array, xLength: number, y: Float32Array, yLength: number): boolean {
  if (x.buffer !== y.buffer) return false;
  const xStart = x.byteOffset;
  const yStart = y.byteOffset;
  return xStart < yStart + yLength * 4 && yStart < xStart + xLength * 4;
}

// Staging for SharedArrayBuffer-backed arrays, which onnxruntime-node rejects.
const stageA = new Scratch();
const stageB = new Scratch();
const stageOut = new Scratch();

function plain(array: Float32Array, scratch: Scratch): Float32Array {
  if (array.buffer instanceof ArrayBuffer) return array;
  const copy = scratch.take(array.length);
  copy.set(array);
  return copy;
}

/**
 * C (m×n) = op(A)·op(B), the general form behind the three named products.
 * op(A) is m×k: A is stored m×k, or k×m when `transA`.
 * op(B) is k×n: B is stored k×n, or n×k when `transB`.
 * Writes into `out` (length ≥ m·n) when given, else into a new array; returns it.
 */
export function gemm(
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  a: Float32Array,
  b: Float32Array,
  out?: Float32Array,
): Float32Array {
  checkDim('m', m);
  checkDim('n', n);
  checkDim('k', k);
  checkLength('a', a, m * k);
  checkLength('b', b, k * n);
  const result = out ?? new Float32Array(m * n);
  checkLength('out', result, m * n);
  if (overlaps(result, m * n, a, m * k) || overlaps(result, m * n, b, k * n)) {
    throw new RangeError('linalg: out must not overlap a or b');
  }
  const engineInUse = engine();
  if (m === 0 || n === 0) return result;
  const target = result.subarray(0, m * n);
  if (k === 0) {
    target.fill(0);
    return result;
  }
  const left = plain(a.subarray(0, m * k), stageA);
  const right = plain(b.subarray(0, k * n), stageB);
  const written = plain(target, stageOut);
  nativeCall(() => engineInUse.gemm(transA, transB, m, n, k, left, right, written));
  if (written !== target) target.set(written);
  return result;
}

/** C = A·B, with A aRows×aCols and B aCols×bCols; C is aRows×bCols. */
export function matmul(a: Float32Array, aRows: number, aCols: number, b: Float32Array, bCols: number, out?: Float32Array): Float32Array {
  return gemm(false, false, aRows, bCols, aCols, a, b, out);
}

/**
 * C = Aᵀ·B, with A stored aRows×aCols and B stored aRows×bCols; C is aCols×bCols.
 * The weight gradient: dW = matmulTransA(A, batch, nIn, dZ, nOut).
 */
export function matmulTransA(a: Float32Array, aRows: number, aCols: number, b: Float32Array, bCols: number, out?: Float32Array): Float32Array {
  return gemm(true, false, aCols, bCols, aRows, a, b, out);
}

/**
 * C = A·Bᵀ, with A stored aRows×aCols and B stored bRows×aCols; C is aRows×bRows.
 * The input gradient: dA = matmulTransB(dZ, batch, nOut, W, nIn).
 */
export function matmulTransB(a: Float32Array, aRows: number, aCols: number, b: Float32Array, bRows: number, out?: Float32Array): Float32Array {
  return gemm(false, true, aRows, bRows, aCols, a, b, out);
}

/** Aᵀ (cols×rows) of A stored rows×cols, as a blocked JS copy; needs no engine. */
export function transpose(a: Float32Array, rows: number, cols: number, out?: Float32Array): Float32Array {
  checkDim('rows', rows);
  checkDim('cols', cols);
  checkLength('a', a, rows * cols);
  const result = out ?? new Float32Array(rows * cols);
  checkLength('out', result, rows * cols);
  if (overlaps(result, rows * cols, a, rows * cols)) throw new RangeError('linalg: out must not overlap a');
  return transposeInto(a, rows, cols, result);
}
