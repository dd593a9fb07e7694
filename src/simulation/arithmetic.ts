import { matmul, matmulTransA, matmulTransB } from '../linalg/matmul.js';
import { matmul64, matmulTransA64, matmulTransB64 } from './dense64.js';
import type { FloatArray } from './statistics.js';

/** The arithmetic a simulation runs in: float32 on the GEMM engine, or float64 in plain JS loops. */
export type Precision = 'float32' | 'float64';

/**
 * Dense products in one precision, shared by the simulators. `float32` goes
 * through the GEMM engine of src/linalg (call `await initLinalg()` first);
 * `float64` is plain JS loops, slow but exact enough for finite-difference
 * checks and explicit networks.
 */
export interface Arithmetic<T extends FloatArray> {
  precision: Precision;
  allocate(length: number): T;
  /** out = A·B (A rows×inner, B inner×columns). */
  product(a: T, rows: number, inner: number, b: T, columns: number, out: T): void;
  /** out = Aᵀ·B (A rows×aColumns, B rows×bColumns). */
  productTransA(a: T, rows: number, aColumns: number, b: T, bColumns: number, out: T): void;
  /** out = A·Bᵀ (A rows×inner, B bRows×inner). */
  productTransB(a: T, rows: number, inner: number, b: T, bRows: number, out: T): void;
  /** Float64 weights as a product's operand: themselves, or rounded into `scratch` (length ≥ count). */
  operand(weights: Float64Array, count: number, scratch: T): T;
}

export const float32Arithmetic: Arithmetic<Float32Array> = {
  precision: 'float32',
  allocate: (length) => new Float32Array(length),
  product: (a, rows, inner, b, columns, out) => void matmul(a, rows, inner, b, columns, out),
  productTransA: (a, rows, aColumns, b, bColumns, out) => void matmulTransA(a, rows, aColumns, b, bColumns, out),
  productTransB: (a, rows, inner, b, bRows, out) => void matmulTransB(a, rows, inner, b, bRows, out),
  operand: (weights, count, scratch) => {
    scratch.set(weights.subarray(0, count));
    return scratch;
  },
};

export const float64Arithmetic: Arithmetic<Float64Array> = {
  precision: 'float64',
  allocate: (length) => new Float64Array(length),
  product: matmul64,
  productTransA: matmulTransA64,
  productTransB: matmulTransB64,
  operand: (weights) => weights,
};
