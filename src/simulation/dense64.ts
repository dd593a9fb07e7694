/**
 * Float64 products in plain JS loops, with the signatures of the float32 ones
 * in src/linalg/matmul.ts, for the simulators' exact mode (small explicit
 * networks, finite-difference tests). Row-major; each output element is one
 * float64 sum in a fixed order, so results are reproducible bit for bit.
 * ~1 GFLOP/s: fine for widths up to ~100, not a replacement for the GEMM engine.
 */

/** C = A·B, A aRows×aCols, B aCols×bCols. */
export function matmul64(a: Float64Array, aRows: number, aCols: number, b: Float64Array, bCols: number, out: Float64Array): Float64Array {
  out.fill(0, 0, aRows * bCols);
  for (let i = 0; i < aRows; i += 1) {
    const outRow = i * bCols;
    for (let p = 0; p < aCols; p += 1) {
      const aValue = a[i * aCols + p] as number;
      const bRow = p * bCols;
      for (let j = 0; j < bCols; j += 1) out[outRow + j] = (out[outRow + j] as number) + aValue * (b[bRow + j] as number);
    }
  }
  return out;
}

/** C = Aᵀ·B, A stored aRows×aCols, B aRows×bCols; C is aCols×bCols. */
export function matmulTransA64(a: Float64Array, aRows: number, aCols: number, b: Float64Array, bCols: number, out: Float64Array): Float64Array {
  out.fill(0, 0, aCols * bCols);
  for (let r = 0; r < aRows; r += 1) {
    const bRow = r * bCols;
    for (let i = 0; i < aCols; i += 1) {
      const aValue = a[r * aCols + i] as number;
      const outRow = i * bCols;
      for (let j = 0; j < bCols; j += 1) out[outRow + j] = (out[outRow + j] as number) + aValue * (b[bRow + j] as number);
    }
  }
  return out;
}

/** C = A·Bᵀ, A aRows×aCols, B stored bRows×aCols; C is aRows×bRows. */
export function matmulTransB64(a: Float64Array, aRows: number, aCols: number, b: Float64Array, bRows: number, out: Float64Array): Float64Array {
  for (let i = 0; i < aRows; i += 1) {
    const aRow = i * aCols;
    for (let j = 0; j < bRows; j += 1) {
      const bRow = j * aCols;
      let sum = 0;
      for (let p = 0; p < aCols; p += 1) sum += (a[aRow + p] as number) * (b[bRow + p] as number);
      out[i * bRows + j] = sum;
    }
  }
  return out;
}
