/**
 * The contract between src/linalg/matmul.ts and the engines that do the
 * arithmetic, plus the pure-JS helpers every engine may use.
 */

export type LinalgEngineName = 'onnxruntime' | 'tfjs-wasm' | 'js';

/**
 * One dense float32 product C = op(A)·op(B) with C m×n, row-major throughout.
 * op(A) is m×k: A is stored m×k, or k×m when `transA`.
 * op(B) is k×n: B is stored k×n, or n×k when `transB`.
 * The caller (matmul.ts) guarantees m, n, k ≥ 1, arrays of exactly the stored
 * sizes (subarrays), plain ArrayBuffer storage, and no overlap between `out`
 * and the inputs. The engine overwrites all of `out`.
 */
export interface GemmEngine {
  readonly name: LinalgEngineName;
  /** Threads one product may use (1 = runs on the calling thread only). */
  readonly threads: number;
  /** Human-readable engine and version, for logs and the bench. */
  readonly description: string;
  gemm(transA: boolean, transB: boolean, m: number, n: number, k: number, a: Float32Array, b: Float32Array, out: Float32Array): void;
  /** Frees native resources; the engine is unusable afterwards. */
  dispose(): void;
}

const TRANSPOSE_BLOCK = 32;

/**
 * out (cols×rows) = aᵀ for a stored rows×cols, row-major. Blocked so that both
 * the reads and the writes stay within a few cache lines per block.
 */
export function transposeInto(a: Float32Array, rows: number, cols: number, out: Float32Array): Float32Array {
  for (let i0 = 0; i0 < rows; i0 += TRANSPOSE_BLOCK) {
    const iEnd = Math.min(i0 + TRANSPOSE_BLOCK, rows);
    for (let j0 = 0; j0 < cols; j0 += TRANSPOSE_BLOCK) {
      const jEnd = Math.min(j0 + TRANSPOSE_BLOCK, cols);
      for (let i = i0; i < iEnd; i++) {
        const rowStart = i * cols;
        for (let j = j0; j < jEnd; j++) out[j * rows + i] = a[rowStart + j] as number;
      }
    }
  }
  return out;
}

/** A growable Float32Array reused across calls (one per purpose, never shared). */
export class Scratch {
  private buffer = new Float32Array(0);

  /** A view of exactly `size` elements; contents are unspecified. */
  take(size: number): Float32Array {
    if (this.buffer.length < size) this.buffer = new Float32Array(Math.max(size, Math.ceil(this.buffer.length * 1.5)));
    return this.buffer.subarray(0, size);
  }

  release(): void {
    this.buffer = new Float32Array(0);
  }
}

/**
 * Pure-JS engine: about 1 GFLOP/s. The last resort when neither native
 * engine loads, and small enough to read as the definition of the contract.
 */
export class JsEngine implements GemmEngine {
  readonly name = 'js' as const;
  readonly threads = 1;
  readonly description = 'plain JavaScript i-k-j loop';
  private readonly scratchA = new Scratch();
  private readonly scratchB = new Scratch();

  gemm(transA: boolean, transB: boolean, m: number, n: number, k: number, a: Float32Array, b: Float32Array, out: Float32Array): void {
    const left = transA ? transposeInto(a, k, m, this.scratchA.take(m * k)) : a;
    const right = transB ? transposeInto(b, n, k, this.scratchB.take(k * n)) : b;
    out.fill(0);
    for (let i = 0; i < m; i++) {
      const outRow = i * n;
      const leftRow = i * k;
      for (let p = 0; p < k; p++) {
        // No skip of zero factors: 0·∞ must still give NaN, as in the native engines.
        const factor = left[leftRow + p] as number;
        const rightRow = p * n;
        for (let j = 0; j < n; j++) out[outRow + j] = (out[outRow + j] as number) + factor * (right[rightRow + j] as number);
      }
    }
  }

  dispose(): void {
    this.scratchA.release();
    this.scratchB.release();
  }
}
