import { checkInterrupt } from './interrupt.js';

/**
 * The thin QR decomposition of a tall float64 matrix by Householder
 * reflections (LAPACK's dgeqr2 then dorg2r, unblocked), on column-major
 * storage so that every inner loop runs down one contiguous column. It exists
 * for orthogonal initialisation: ml-matrix's QrDecomposition walks rows of
 * nested arrays and ran a 1024 × 1024 factorisation in about 7 s on the
 * reference machine; this one takes a fraction of that (bench:cost).
 */

export interface ThinQr {
  /** Q, rows × columns, column-major, orthonormal columns. */
  q: Float64Array;
  /** The diagonal of R (R is not formed otherwise). */
  rDiagonal: Float64Array;
}

/**
 * Factorises A (rows × columns, rows ≥ columns, column-major) as A = QR.
 * `a` is overwritten (it holds the reflectors afterwards).
 */
export function thinQr(a: Float64Array, rows: number, columns: number): ThinQr {
  if (rows < columns) throw new RangeError(`thinQr needs rows ≥ columns, got ${rows} × ${columns}`);
  if (a.length !== rows * columns) throw new RangeError(`thinQr: ${a.length} numbers for ${rows} × ${columns}`);
  const tau = new Float64Array(columns);
  const rDiagonal = new Float64Array(columns);

  for (let k = 0; k < columns; k++) {
    checkInterrupt();
    const column = k * rows;
    // The reflector H = I − τ v vᵀ (v[k] = 1) that sends A[k:, k] to (β, 0, …, 0).
    let tailSquared = 0;
    for (let i = k + 1; i < rows; i++) tailSquared += (a[column + i] as number) ** 2;
    const alpha = a[column + k] as number;
    if (tailSquared === 0) {
      tau[k] = 0;
      rDiagonal[k] = alpha;
      continue;
    }
    const norm = Math.hypot(alpha, Math.sqrt(tailSquared));
    const beta = alpha >= 0 ? -norm : norm;
    const scale = 1 / (alpha - beta);
    for (let i = k + 1; i < rows; i++) a[column + i] = (a[column + i] as number) * scale;
    const t = (beta - alpha) / beta;
    tau[k] = t;
    rDiagonal[k] = beta;
    a[column + k] = beta;
    // Apply H to the columns to the right: A[k:, j] −= τ (vᵀ A[k:, j]) v.
    for (let j = k + 1; j < columns; j++) {
      const target = j * rows;
      let dot = a[target + k] as number;
      for (let i = k + 1; i < rows; i++) dot += (a[column + i] as number) * (a[target + i] as number);
      const step = t * dot;
      a[target + k] = (a[target + k] as number) - step;
      for (let i = k + 1; i < rows; i++) a[target + i] = (a[target + i] as number) - step * (a[column + i] as number);
    }
  }

  // Q = H_0 H_1 … H_{n−1} applied to the first `columns` columns of I, last reflector first.
  const q = new Float64Array(rows * columns);
  for (let k = columns - 1; k >= 0; k--) {
    const column = k * rows;
    const t = tau[k] as number;
    // Column k of Q: H_k e_k, with the later reflectors already applied to columns > k only.
    q[column + k] = 1 - t;
    for (let i = k + 1; i < rows; i++) q[column + i] = -t * (a[column + i] as number);
    for (let j = k + 1; j < columns; j++) {
      const target = j * rows;
      let dot = q[target + k] as number;
      for (let i = k + 1; i < rows; i++) dot += (a[column + i] as number) * (q[target + i] as number);
      if (dot === 0) continue;
      const step = t * dot;
      q[target + k] = (q[target + k] as number) - step;
      for (let i = k + 1; i < rows; i++) q[target + i] = (q[target + i] as number) - step * (a[column + i] as number);
    }
  }
  return { q, rDiagonal };
}
