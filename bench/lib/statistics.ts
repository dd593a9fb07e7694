/** Small descriptive statistics for the load benches and tests. */

/** The p-th percentile (0–100) by the nearest-rank method; NaN for no values. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] as number;
}

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** Ordinary least squares y ≈ intercept + slope·x. */
export function linearFit(xs: readonly number[], ys: readonly number[]): { slope: number; intercept: number } {
  const n = xs.length;
  if (n < 2 || ys.length !== n) return { slope: Number.NaN, intercept: Number.NaN };
  const meanX = xs.reduce((sum, x) => sum + x, 0) / n;
  const meanY = ys.reduce((sum, y) => sum + y, 0) / n;
  let covariance = 0;
  let varianceX = 0;
  for (let index = 0; index < n; index++) {
    const dx = (xs[index] as number) - meanX;
    covariance += dx * ((ys[index] as number) - meanY);
    varianceX += dx * dx;
  }
  const slope = covariance / varianceX;
  return { slope, intercept: meanY - slope * meanX };
}

/** Formats rows as an aligned plain-text table; numbers are right-aligned. */
export function table(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const cells = [header, ...rows].map((row) => row.map((cell) => String(cell)));
  const widths = header.map((_, column) => Math.max(...cells.map((row) => (row[column] ?? '').length)));
  const line = (row: readonly string[], numeric: readonly boolean[]): string =>
    row.map((cell, column) => (numeric[column] ? cell.padStart(widths[column] ?? 0) : cell.padEnd(widths[column] ?? 0))).join('  ');
  const numericColumns = header.map((_, column) => rows.every((row) => typeof row[column] === 'number'));
  const rule = widths.map((width) => '-'.repeat(width)).join('  ');
  return [line(cells[0] ?? [], header.map(() => false)), rule, ...cells.slice(1).map((row) => line(row, numericColumns))].join('\n');
}
