import type { ResolvedActivation } from '../activations/resolve.js';
import { gaussianExpectations, type GaussianExpectations } from './gaussian-expectations.js';
import { CRITICAL_TOLERANCE, criticalityOf, type FixedPointKind, type Phase } from './mean-field.js';
import { brentRoot } from './root-finding.js';
import { checkInterrupt } from '../linalg/interrupt.js';

/**
 * χ₁ over a grid of (σ_w², σ_b²), and the critical line χ₁ = 1 ("edge of
 * chaos") found exactly, row by row. Every cell solves its own fixed point from
 * q⁰ = σ_w² + σ_b², as `meanField` does by default.
 */

/**
 * Most points per axis. A cell costs one fixed-point solve (~8 integrals of
 * 72–400 kernel calls): 100 × 100 took 0.1 s (ReLU) to ~3 s (GELU, softplus,
 * whose kernels cost ~100–150 ns a call) on a shared 2-core machine; 200 × 200
 * four times that.
 */
export const MAX_PHASE_DIAGRAM_POINTS_PER_AXIS = 200;

/** An axis as in the API's grids: `count` points from `start` to `stop`, both included. */
export interface AxisGrid {
  start: number;
  stop: number;
  count: number;
}

export interface PhaseDiagramOptions {
  sigmaW2: AxisGrid;
  sigmaB2: AxisGrid;
  /** Gauss–Hermite nodes for analytic activations (default DEFAULT_GAUSS_HERMITE_NODES). */
  nodeCount?: number;
}

/** A point of the critical line; `branch` numbers the crossings of one row by increasing σ_w² (0 for the first). */
export interface CriticalPoint {
  sigmaB2: number;
  sigmaW2: number;
  branch: number;
}

export interface PhaseDiagram {
  sigmaW2: number[];
  sigmaB2: number[];
  /** chi1[i][j] at (sigmaW2[j], sigmaB2[i]): one row per σ_b². Null where infinite (see `Criticality.chi1`). */
  chi1: (number | null)[][];
  qStar: (number | null)[][];
  fixedPoint: FixedPointKind[][];
  phase: Phase[][];
  /**
   * Where χ₁ crosses 1, ordered by σ_b² then σ_w²: in every row, each pair of
   * neighbouring columns where χ₁ − 1 changes sign is refined by Brent's method
   * on σ_w² (each step a fixed-point solve) to ~1e−12 relative, and a grid point
   * with χ₁ = 1 exactly is taken as it is. Crossings closer together than the
   * grid spacing can be missed; a jump of χ₁ across 1 (where the fixed point
   * changes kind, e.g. from `zero` to `diverges`) is not a crossing and is left out.
   * Joining the points of one `branch` in order gives the polyline.
   */
  criticalLine: CriticalPoint[];
}

function axisValues(name: string, { start, stop, count }: AxisGrid): number[] {
  if (!(Number.isFinite(start) && Number.isFinite(stop) && start >= 0 && stop >= start)) {
    throw new RangeError(`${name}: need finite 0 ≤ start ≤ stop, got start ${start}, stop ${stop}`);
  }
  if (!(Number.isInteger(count) && count >= 1 && count <= MAX_PHASE_DIAGRAM_POINTS_PER_AXIS)) {
    throw new RangeError(`${name}: count must be an integer in [1, ${MAX_PHASE_DIAGRAM_POINTS_PER_AXIS}], got ${count}`);
  }
  if (count === 1) return [start];
  return Array.from({ length: count }, (_, index) =>
    index === count - 1 ? stop : start + ((stop - start) * index) / (count - 1),
  );
}

/** χ₁ − 1, an infinite χ₁ counting as the largest float (Brent's interpolation needs finite values). */
function excess(chi1: number | null): number {
  return chi1 === null ? Number.MAX_VALUE : chi1 - 1;
}

/** The crossings of χ₁ = 1 along one row (fixed σ_b²), given χ₁ − 1 at the row's grid points. */
function rowCrossings(
  expectations: GaussianExpectations,
  sigmaB2: number,
  columns: readonly number[],
  excesses: readonly number[],
): CriticalPoint[] {
  const excessAt = (sigmaW2: number): number => excess(criticalityOf(expectations, sigmaW2, sigmaB2).chi1);
  const crossings: number[] = [];
  columns.forEach((sigmaW2, index) => {
    const here = excesses[index] ?? Number.NaN;
    if (here === 0) {
      crossings.push(sigmaW2);
      return;
    }
    const nextW = columns[index + 1];
    const next = excesses[index + 1];
    if (nextW === undefined || next === undefined || next === 0 || !(here * next < 0)) return;
    const root = brentRoot(excessAt, sigmaW2, nextW, here, next, 1e-12 * nextW);
    if (Math.abs(excessAt(root)) <= CRITICAL_TOLERANCE) crossings.push(root);
  });
  return crossings.map((sigmaW2, branch) => ({ sigmaB2, sigmaW2, branch }));
}

export function phaseDiagram(activation: ResolvedActivation, options: PhaseDiagramOptions): PhaseDiagram {
  const columns = axisValues('sigmaW2', options.sigmaW2);
  const rows = axisValues('sigmaB2', options.sigmaB2);
  const expectations = gaussianExpectations(
    activation,
    options.nodeCount === undefined ? {} : { nodeCount: options.nodeCount },
  );
  const chi1: (number | null)[][] = [];
  const qStar: (number | null)[][] = [];
  const fixedPoint: FixedPointKind[][] = [];
  const phase: Phase[][] = [];
  const criticalLine: CriticalPoint[] = [];
  for (const sigmaB2 of rows) {
    checkInterrupt();
    const cells = columns.map((sigmaW2) => criticalityOf(expectations, sigmaW2, sigmaB2));
    chi1.push(cells.map((cell) => cell.chi1));
    qStar.push(cells.map((cell) => cell.qStar));
    fixedPoint.push(cells.map((cell) => cell.fixedPoint));
    phase.push(cells.map((cell) => cell.phase));
    const excesses = cells.map((cell) => excess(cell.chi1));
    criticalLine.push(...rowCrossings(expectations, sigmaB2, columns, excesses));
  }
  return { sigmaW2: columns, sigmaB2: rows, chi1, qStar, fixedPoint, phase, criticalLine };
}
