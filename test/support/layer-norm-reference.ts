/* eslint-disable @typescript-eslint/no-non-null-assertion -- plain arrays whose shapes the callers fix */
/**
 * Layer normalisation on plain arrays, from its definition, for the
 * independent references of the tests (nothing of src/ is used): per row,
 * x̂ = (x − μ)/√(σ² + ε) with the biased variance and ε = 1e−5, and its gradient.
 */

export type Matrix = number[][];

const EPSILON = 1e-5;

/** Per row: x̂ and 1/σ. */
export function layerNorm(x: Matrix): { normalized: Matrix; inverseStd: number[] } {
  const inverseStd: number[] = [];
  const normalized = x.map((row) => {
    const mean = row.reduce((s, v) => s + v, 0) / row.length;
    const variance = row.reduce((s, v) => s + (v - mean) ** 2, 0) / row.length;
    const scale = 1 / Math.sqrt(variance + EPSILON);
    inverseStd.push(scale);
    return row.map((v) => (v - mean) * scale);
  });
  return { normalized, inverseStd };
}
export const layerNormBack = (g: Matrix, normalized: Matrix, inverseStd: number[]): Matrix =>
  g.map((row, b) => {
    const n = row.length;
    const meanG = row.reduce((s, v) => s + v, 0) / n;
    const meanGx = row.reduce((s, v, j) => s + v * normalized[b]![j]!, 0) / n;
    return row.map((v, j) => inverseStd[b]! * (v - meanG - normalized[b]![j]! * meanGx));
  });

