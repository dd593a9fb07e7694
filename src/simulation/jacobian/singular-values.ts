/**
 * Singular values only (no vectors) of a dense float64 matrix, for the Jacobian
 * spectrum. Two steps, both backward stable:
 *
 * 1. Golub–Kahan Householder bidiagonalisation A = U·B·Vᵀ (LAPACK dgebd2,
 *    unblocked), on a row-major copy with rows ≥ columns, reflectors applied
 *    row by row so every inner loop runs over contiguous memory:
 *    4mk² − 4k³/3 flops for m × k.
 * 2. The singular values of the upper bidiagonal B are the non-negative
 *    eigenvalues of its Golub–Kahan form, the 2k × 2k symmetric tridiagonal
 *    matrix with zero diagonal and off-diagonal (d₁, e₁, d₂, e₂, …, d_k), whose
 *    spectrum is ±σᵢ; found by implicit QL with Wilkinson-type shifts (EISPACK
 *    tql1, JAMA's tql2 without the vectors): O(k²).
 *
 * Every σ then carries an absolute error of a small multiple of ε·‖A‖₂
 * (ε = 2⁻⁵²), the best a backward-stable method can promise. The Gram route —
 * eigenvalues of AᵀA — would square the condition number: σ below √ε·σ_max
 * ≈ 1.5e−8·σ_max would be noise, and a deep ReLU or Gaussian network has many.
 * ml-matrix's SingularValueDecomposition (the same Golub–Kahan–Reinsch family,
 * through get/set accessors) agrees to ~1e−14·σ_max and is 1.7–2.5× slower
 * even without U and V. Here: ~1.2 GFLOP/s, 45 ms at 256 × 256, 300 ms at
 * 512 × 512 on the 2-core host.
 */

/** QL sweeps allowed per eigenvalue before giving up (LAPACK allows 30; convergence is typically cubic, 2–3 sweeps). */
const MAX_SWEEPS_PER_EIGENVALUE = 60;

/** Thrown should the QL iteration fail to converge (never observed). */
export class SingularValueConvergenceError extends Error {
  override name = 'SingularValueConvergenceError';
}

/**
 * The min(rows, columns) singular values of the row-major rows × columns
 * matrix `matrix`, in descending order. `matrix` is left untouched (one copy
 * of min·max doubles is made, transposed when rows < columns).
 */
export function singularValues(matrix: Float64Array | Float32Array, rows: number, columns: number): Float64Array {
  const tall = rows >= columns;
  const m = tall ? rows : columns;
  const k = tall ? columns : rows;
  const work = new Float64Array(m * k);
  if (tall) {
    for (let i = 0; i < m * k; i += 1) work[i] = matrix[i] as number;
  } else {
    for (let i = 0; i < rows; i += 1) {
      for (let j = 0; j < columns; j += 1) work[j * k + i] = matrix[i * columns + j] as number;
    }
  }
  const diagonal = new Float64Array(k);
  const superdiagonal = new Float64Array(Math.max(k - 1, 0));
  bidiagonalize(work, m, k, diagonal, superdiagonal);
  return bidiagonalSingularValues(diagonal, superdiagonal);
}

/** Flops of `singularValues` for a rows × columns matrix (the bidiagonalisation; the QL step is O(k²)). */
export function singularValueFlops(rows: number, columns: number): number {
  const m = Math.max(rows, columns);
  const k = Math.min(rows, columns);
  return 4 * m * k * k - (4 * k * k * k) / 3 + 60 * k * k;
}

/**
 * Householder reflector H = I − τ·v·vᵀ with v₀ = 1 mapping x to (β, 0, …, 0)
 * (LAPACK dlarfg): writes v₁… over x₁… and returns [β, τ]; τ = 0 when x₁… = 0.
 */
function reflector(x: Float64Array, start: number, end: number, stride: number): [number, number] {
  const alpha = x[start] as number;
  let tailSquares = 0;
  for (let i = start + stride; i < end; i += stride) tailSquares += (x[i] as number) ** 2;
  if (tailSquares === 0) return [alpha, 0];
  const norm = Math.sqrt(alpha * alpha + tailSquares);
  const beta = alpha >= 0 ? -norm : norm;
  const inverse = 1 / (alpha - beta);
  for (let i = start + stride; i < end; i += stride) x[i] = (x[i] as number) * inverse;
  return [beta, (beta - alpha) / beta];
}

/**
 * Reduces the row-major m × k matrix `a` (m ≥ k) in place to upper bidiagonal
 * form: diagonal d (k), superdiagonal e (k − 1). `a` is destroyed.
 *
 * Step j: the left reflector (v, τ) zeroes column j below the diagonal, then
 * the right reflector (u, τ′) zeroes row j beyond the superdiagonal. Both
 * updates of a trailing row i > j — A[i] −= τ·vᵢ·w with w = vᵀ·A[j…], then
 * A[i] −= τ′·(A[i]·u)·u — are done while the row is in cache: two sweeps over
 * the trailing matrix per step instead of three.
 */
function bidiagonalize(a: Float64Array, m: number, k: number, diagonal: Float64Array, superdiagonal: Float64Array): void {
  const column = new Float64Array(m);
  const combination = new Float64Array(k);
  for (let j = 0; j < k; j += 1) {
    for (let i = j; i < m; i += 1) column[i] = a[i * k + j] as number;
    const [beta, tau] = reflector(column, j, m, 1);
    diagonal[j] = beta;
    if (j + 1 >= k) break;
    column[j] = 1;
    if (tau !== 0) {
      combination.fill(0, j + 1, k);
      for (let i = j; i < m; i += 1) {
        const v = column[i] as number;
        if (v === 0) continue;
        const row = i * k;
        for (let c = j + 1; c < k; c += 1) combination[c] = (combination[c] as number) + v * (a[row + c] as number);
      }
    }
    const head = j * k;
    if (tau !== 0) {
      for (let c = j + 1; c < k; c += 1) a[head + c] = (a[head + c] as number) - tau * (combination[c] as number);
    }
    const [superBeta, superTau] = reflector(a, head + j + 1, head + k, 1);
    superdiagonal[j] = superBeta;
    a[head + j + 1] = 1;
    for (let i = j + 1; i < m; i += 1) {
      const row = i * k;
      const leftFactor = tau * (column[i] as number);
      let dot = 0;
      if (leftFactor !== 0) {
        for (let c = j + 1; c < k; c += 1) {
          const value = (a[row + c] as number) - leftFactor * (combination[c] as number);
          a[row + c] = value;
          dot += value * (a[head + c] as number);
        }
      } else {
        for (let c = j + 1; c < k; c += 1) dot += (a[row + c] as number) * (a[head + c] as number);
      }
      if (superTau === 0) continue;
      const rightFactor = superTau * dot;
      if (rightFactor === 0) continue;
      for (let c = j + 1; c < k; c += 1) a[row + c] = (a[row + c] as number) - rightFactor * (a[head + c] as number);
    }
  }
}

/**
 * Singular values (descending) of the upper bidiagonal matrix with diagonal d
 * and superdiagonal e, as the non-negative half of the spectrum of its
 * Golub–Kahan tridiagonal form.
 */
export function bidiagonalSingularValues(diagonal: Float64Array, superdiagonal: Float64Array): Float64Array {
  const k = diagonal.length;
  const size = 2 * k;
  const offDiagonal = new Float64Array(size);
  for (let i = 0; i < k; i += 1) {
    offDiagonal[2 * i] = diagonal[i] as number;
    if (i < k - 1) offDiagonal[2 * i + 1] = superdiagonal[i] as number;
  }
  const eigenvalues = symmetricTridiagonalEigenvalues(new Float64Array(size), offDiagonal);
  eigenvalues.sort();
  // The k largest of ±σ are the σ; a pair ±0 may come out as ±tiny in either order.
  const values = new Float64Array(k);
  for (let i = 0; i < k; i += 1) values[i] = Math.abs(eigenvalues[size - 1 - i] as number);
  return values.sort().reverse();
}

/**
 * Eigenvalues (unordered) of the symmetric tridiagonal matrix with diagonal d
 * and off-diagonal e (e[i] couples i and i+1; e[n−1] is ignored), by implicit
 * QL (EISPACK tql1). Both arrays are overwritten; d is returned.
 */
function symmetricTridiagonalEigenvalues(d: Float64Array, e: Float64Array): Float64Array {
  const n = d.length;
  if (n === 0) return d;
  e[n - 1] = 0;
  const epsilon = 2 ** -52;
  let shift = 0;
  let scale = 0;
  for (let l = 0; l < n; l += 1) {
    scale = Math.max(scale, Math.abs(d[l] as number) + Math.abs(e[l] as number));
    for (let sweeps = 1; ; sweeps += 1) {
      // The first negligible off-diagonal element at or below l ends the unreduced block.
      let m = l;
      while (m < n - 1 && Math.abs(e[m] as number) > epsilon * scale) m += 1;
      if (m === l) break;
      if (sweeps > MAX_SWEEPS_PER_EIGENVALUE) throw new SingularValueConvergenceError('singular values: the QL iteration did not converge');
      // Shift from the leading 2 × 2 block; it is subtracted from the whole unreduced part.
      const first = d[l] as number;
      let p = ((d[l + 1] as number) - first) / (2 * (e[l] as number));
      let r = Math.hypot(p, 1);
      if (p < 0) r = -r;
      d[l] = (e[l] as number) / (p + r);
      d[l + 1] = (e[l] as number) * (p + r);
      const nextDiagonal = d[l + 1] as number;
      let h = first - (d[l] as number);
      for (let i = l + 2; i < n; i += 1) d[i] = (d[i] as number) - h;
      shift += h;
      // Implicit QL sweep from m up to l.
      p = d[m] as number;
      let c = 1;
      let c2 = 1;
      let c3 = 1;
      const nextOff = e[l + 1] as number;
      let s = 0;
      let s2 = 0;
      for (let i = m - 1; i >= l; i -= 1) {
        c3 = c2;
        c2 = c;
        s2 = s;
        const g = c * (e[i] as number);
        h = c * p;
        r = Math.hypot(p, e[i] as number);
        e[i + 1] = s * r;
        s = (e[i] as number) / r;
        c = p / r;
        p = c * (d[i] as number) - s * g;
        d[i + 1] = h + s * (c * g + s * (d[i] as number));
      }
      p = (-s * s2 * c3 * nextOff * (e[l] as number)) / nextDiagonal;
      e[l] = s * p;
      d[l] = c * p;
    }
    d[l] = (d[l] as number) + shift;
    e[l] = 0;
  }
  return d;
}
