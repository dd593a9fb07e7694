import { gaussLegendreRule } from './gauss-legendre.js';

/**
 * ∫ f(z) Dz over an interval by composite Gauss–Legendre on panels graded
 * towards the interval's finite ends: where φ(√q z) has its features (a kink
 * at the end, or z = 0) the first panels are `smallest` wide and double up to
 * 1; then panels are 1 wide to 2 units from the end and 2 wide further out.
 * The sum runs outwards from z = 0 and stops past |z| = TAIL_CUTOFF once a
 * panel adds less than TAIL_RELATIVE_CONTRIBUTION of the total, at the latest
 * at |z| = GAUSSIAN_SUPPORT.
 */

/**
 * Nodes per panel: 12 integrate e^{−z²/2} times the activation terms to
 * ~1e−16 relative on these panels (10 nodes: 1e−14, 8 nodes: 5e−12, measured
 * for tanh, gelu, mish, sigmoid, softsign against mpmath).
 */
export const PANEL_NODES = 12;
/** Beyond |z| = 38 the Gaussian weight e^{−z²/2} < 1e−313 underflows. */
const GAUSSIAN_SUPPORT = 38;
/** Past |z| = 10 a panel whose contribution is below this fraction of the running total ends the tail. */
const TAIL_CUTOFF = 10;
const TAIL_RELATIVE_CONTRIBUTION = 1e-18;
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/** Panel edges of [lower, upper] (0 not inside), graded towards every finite end. */
function panelEdges(lower: number, upper: number, smallest: number): number[] {
  const from = Math.max(lower, -GAUSSIAN_SUPPORT);
  const to = Math.min(upper, GAUSSIAN_SUPPORT);
  if (!(from < to)) return [];
  const edges = [from, to];
  for (const end of [lower, upper]) {
    if (!Number.isFinite(end) || Math.abs(end) > GAUSSIAN_SUPPORT) continue;
    const inward = end === lower ? 1 : -1;
    for (let width = smallest; width < 1; width *= 2) edges.push(end + inward * width);
    for (let distance = 1; distance < to - from; distance += distance < 2 ? 1 : 2) edges.push(end + inward * distance);
  }
  const sorted = [...new Set(edges.filter((edge) => edge >= from && edge <= to))].sort((a, b) => a - b);
  // Merge slivers left where the grids from the two ends meet.
  return sorted.filter((edge, index) => index === 0 || edge === to || edge - (sorted[index - 1] ?? edge) > smallest / 4);
}

/** ∫_lower^upper f(z) Dz for an interval not containing 0 in its interior (split there first). */
export function panelIntegral(f: (z: number) => number, lower: number, upper: number, smallest: number): number {
  const { nodes, weights } = gaussLegendreRule(PANEL_NODES);
  const edges = panelEdges(lower, upper, smallest);
  const panels = edges.slice(1).map((right, index) => [edges[index] ?? right, right] as const);
  // Outward from z = 0, so the tail test sees contributions that only shrink.
  if (upper <= 0) panels.reverse();
  let total = 0;
  for (const [left, right] of panels) {
    const half = (right - left) / 2;
    const middle = (right + left) / 2;
    let sum = 0;
    for (let i = 0; i < nodes.length; i += 1) {
      const z = middle + half * (nodes[i] ?? 0);
      const density = Math.exp(-0.5 * z * z);
      if (density !== 0) sum += (weights[i] ?? 0) * density * f(z);
    }
    const contribution = sum * half * INV_SQRT_2PI;
    total += contribution;
    const inner = Math.min(Math.abs(left), Math.abs(right));
    if (inner >= TAIL_CUTOFF && Math.abs(contribution) <= TAIL_RELATIVE_CONTRIBUTION * Math.abs(total)) break;
  }
  return total;
}
