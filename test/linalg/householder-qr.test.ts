import { Matrix, QrDecomposition } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { thinQr } from '../../src/linalg/householder-qr.js';
import { createRandom } from '../../src/random.js';

/** A rows × columns Gaussian matrix, column-major, and the same as an ml-matrix. */
function gaussian(rows: number, columns: number, seed: number): { columnMajor: Float64Array; matrix: Matrix } {
  const random = createRandom(seed);
  const matrix = new Matrix(rows, columns);
  const columnMajor = new Float64Array(rows * columns);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < columns; j++) {
      const value = random.normal();
      matrix.set(i, j, value);
      columnMajor[j * rows + i] = value;
    }
  }
  return { columnMajor, matrix };
}

describe('thinQr', () => {
  it.each([
    [7, 7],
    [40, 13],
    [128, 128],
    [300, 1],
  ])('factorises a %i × %i matrix: QᵀQ = I and Q·R reproduces A to rounding', (rows, columns) => {
    const { columnMajor, matrix } = gaussian(rows, columns, rows * 31 + columns);
    const { q, rDiagonal } = thinQr(columnMajor.slice(), rows, columns);
    let worstOrthogonality = 0;
    for (let a = 0; a < columns; a++) {
      for (let b = 0; b < columns; b++) {
        let dot = 0;
        for (let i = 0; i < rows; i++) dot += (q[a * rows + i] as number) * (q[b * rows + i] as number);
        worstOrthogonality = Math.max(worstOrthogonality, Math.abs(dot - (a === b ? 1 : 0)));
      }
    }
    expect(worstOrthogonality).toBeLessThan(1e-13);
    // R = QᵀA is upper triangular with the reported diagonal.
    for (let j = 0; j < columns; j++) {
      for (let k = 0; k < columns; k++) {
        let r = 0;
        for (let i = 0; i < rows; i++) r += (q[k * rows + i] as number) * matrix.get(i, j);
        if (k > j) expect(Math.abs(r)).toBeLessThan(1e-12);
        if (k === j) expect(r).toBeCloseTo(rDiagonal[j] as number, 11);
      }
    }
  });

  it('gives the Q of ml-matrix once both are normalised to a positive diagonal of R', () => {
    const rows = 60;
    const columns = 25;
    const { columnMajor, matrix } = gaussian(rows, columns, 5);
    const ours = thinQr(columnMajor, rows, columns);
    const theirs = new QrDecomposition(matrix);
    const theirQ = theirs.orthogonalMatrix;
    const theirR = theirs.upperTriangularMatrix;
    for (let j = 0; j < columns; j++) {
      const ourSign = Math.sign(ours.rDiagonal[j] as number);
      const theirSign = Math.sign(theirR.get(j, j));
      for (let i = 0; i < rows; i++) expect(ourSign * (ours.q[j * rows + i] as number)).toBeCloseTo(theirSign * theirQ.get(i, j), 12);
    }
  });

  it('refuses a wide matrix and a wrong length', () => {
    expect(() => thinQr(new Float64Array(6), 2, 3)).toThrow(RangeError);
    expect(() => thinQr(new Float64Array(5), 3, 2)).toThrow(RangeError);
  });
});
