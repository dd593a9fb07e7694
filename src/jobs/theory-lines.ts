import type { ResolvedActivation } from '../activations/resolve.js';
import type { SweepOverlay } from '../plots/index.js';
import { bind, refOf, type ActivationReference } from '../requests/activation-refs.js';
import { initSpecOf } from '../requests/networks.js';
import type { initSchema } from '../schemas/simulations.js';
import type { CellKind } from '../schemas/jobs.js';
import { weightVarianceScale } from '../theory/feedforward-prediction.js';
import { gaussianExpectations, type GaussianExpectations } from '../theory/gaussian-expectations.js';
import { criticalityOf } from '../theory/mean-field.js';
import { brentRoot } from '../theory/root-finding.js';
import type { z } from 'zod';
import { kindRecords } from './kinds.js';
import { requestAt, type ExpandedAxis } from './sweep.js';

/**
 * Mean-field theory drawn over a sweep's heat map, in the sweep's own axes
 * (a gain, a std, σ_b, a depth): whatever the axes are, every point of the
 * plane is a request, and a request of a uniform random network has a
 * (σ_w², σ_b²) and so a χ₁. Drawn:
 *
 * - simulations: the critical line χ₁ = 1, where χ₁ − 1 changes sign along x,
 *   refined by Brent's method, on rows spread over y;
 * - training over depth: 6·ξ_c (Schoenholz et al. 2017, Figure 5), ξ_c = −1/ln χ₁
 *   in the ordered phase (the chaotic side's ξ_c needs the correlation map's
 *   fixed point c*, which src/theory does not compute).
 */

/** Where the theory applies: a uniform random network, as the feed-forward prediction requires. */
export interface MeanFieldPoint {
  activation: ResolvedActivation;
  activationKey: string;
  sigmaW2: number;
  sigmaB2: number;
}

interface UniformNetwork {
  depth?: number;
  width: number;
  inputSize?: number;
  activation: ActivationReference;
  init?: z.output<typeof initSchema>;
  batchNorm?: boolean;
  layerNorm?: boolean;
  residual?: unknown;
}

/** σ_w², σ_b² and φ of a parsed request, or null when the theory does not describe its network. */
export function meanFieldPointOf(kind: CellKind, body: unknown): MeanFieldPoint | null {
  if (kind === 'recurrent') return null;
  const { network, biasStd } = body as { network: UniformNetwork; biasStd?: number };
  if (network.depth === undefined || network.batchNorm === true || network.layerNorm === true || (network.residual !== undefined && network.residual !== false)) return null;
  if (kind !== 'training' && network.inputSize !== undefined && network.inputSize !== network.width) return null;
  let activation: ResolvedActivation;
  try {
    activation = bind(refOf(network.activation, ['network', 'activation']));
  } catch {
    return null;
  }
  const sigmaW2 = weightVarianceScale(initSpecOf(network.init ?? 'xavier_normal'), network.width, activation);
  if (sigmaW2 === null) return null;
  return { activation, activationKey: JSON.stringify([activation.record.id, activation.params]), sigmaW2, sigmaB2: kind === 'jacobian' ? (biasStd ?? 0) ** 2 : 0 };
}

/** Samples of an axis's range for drawing lines (log-spaced on a log axis). */
function samples(values: readonly number[], log: boolean, count: number): number[] {
  const low = Math.min(...values);
  const high = Math.max(...values);
  if (low === high) return [low];
  return Array.from({ length: count }, (_, index) => (log ? low * (high / low) ** (index / (count - 1)) : low + ((high - low) * index) / (count - 1)));
}

const SAMPLES = 48;

/** The sweep's base request with x and y written in, as the theory sees it. */
function pointAt(kind: CellKind, base: unknown, coordinates: Record<string, number>): MeanFieldPoint | null {
  const parsed = kindRecords[kind].bodySchema.safeParse(requestAt(base, coordinates));
  return parsed.success ? meanFieldPointOf(kind, parsed.data) : null;
}

interface Plane {
  kind: CellKind;
  base: unknown;
  x: ExpandedAxis & { log: boolean };
  y: ExpandedAxis & { log: boolean };
}

function expectationsFor(cache: Map<string, GaussianExpectations>, point: MeanFieldPoint): GaussianExpectations {
  let expectations = cache.get(point.activationKey);
  if (expectations === undefined) {
    expectations = gaussianExpectations(point.activation, {});
    cache.set(point.activationKey, expectations);
  }
  return expectations;
}

/** log χ₁ at a point of the plane (null outside the theory or where χ₁ is 0 or infinite). */
function logChi1(plane: Plane, cache: Map<string, GaussianExpectations>, x: number, y: number): number | null {
  const point = pointAt(plane.kind, plane.base, { [plane.x.path]: x, [plane.y.path]: y });
  if (point === null) return null;
  const chi1 = criticalityOf(expectationsFor(cache, point), point.sigmaW2, point.sigmaB2).chi1;
  return chi1 === null || !(chi1 > 0) ? null : Math.log(chi1);
}

/** The critical line χ₁ = 1 over a simulation sweep's plane. */
export function criticalLine(plane: Plane): SweepOverlay | null {
  const cache = new Map<string, GaussianExpectations>();
  const xs = samples(plane.x.values as number[], plane.x.log, SAMPLES);
  const points: { x: number; y: number; branch: number }[] = [];
  for (const y of samples(plane.y.values as number[], plane.y.log, SAMPLES)) {
    const excess = xs.map((x) => logChi1(plane, cache, x, y));
    let branch = 0;
    xs.forEach((x, index) => {
      const here = excess[index];
      const nextX = xs[index + 1];
      const next = excess[index + 1];
      if (here === null || here === undefined || next === null || next === undefined || nextX === undefined || !(here * next <= 0) || here === next) return;
      const f = (t: number): number => logChi1(plane, cache, t, y) ?? Number.NaN;
      const root = here === 0 ? x : next === 0 ? nextX : brentRoot(f, x, nextX, here, next, 1e-9 * Math.abs(nextX));
      points.push({ x: root, y, branch });
      branch += 1;
    });
  }
  if (points.length === 0) return null;
  // Each branch joined in order of y.
  return { name: 'critical line χ₁ = 1 (mean field)', points: points.sort((a, b) => a.branch - b.branch || a.y - b.y) };
}

/** 6·ξ_c over a training sweep whose y (or x) axis is the depth. */
export function trainableDepth(plane: Plane): SweepOverlay | null {
  const depthOnY = plane.y.path === 'network.depth';
  const across = depthOnY ? plane.x : plane.y;
  const depthAxis = depthOnY ? plane.y : plane.x;
  const cache = new Map<string, GaussianExpectations>();
  const someDepth = depthAxis.values[0] as number;
  const points: { x: number; y: number; branch: number }[] = [];
  let branch = 0;
  let inside = false;
  for (const value of samples(across.values as number[], across.log, 4 * SAMPLES)) {
    const point = pointAt(plane.kind, plane.base, { [across.path]: value, [depthAxis.path]: someDepth });
    const chi1 = point === null ? null : criticalityOf(expectationsFor(cache, point), point.sigmaW2, point.sigmaB2).chi1;
    if (chi1 === null || !(chi1 > 0 && chi1 < 1)) {
      if (inside) branch += 1;
      inside = false;
      continue;
    }
    inside = true;
    const depth = 6 * (-1 / Math.log(chi1));
    points.push(depthOnY ? { x: value, y: depth, branch } : { x: depth, y: value, branch });
  }
  return points.length === 0 ? null : { name: '6·ξ_c (Schoenholz et al. 2017; ordered phase)', points };
}

/** The theory lines for a two-axis sweep, if any applies. */
export function theoryLines(kind: CellKind, base: unknown, x: ExpandedAxis & { log: boolean }, y: ExpandedAxis & { log: boolean }): SweepOverlay[] {
  const numeric = (axis: ExpandedAxis): boolean => axis.values.every((value) => typeof value === 'number');
  if (!numeric(x) || !numeric(y) || kind === 'recurrent') return [];
  const plane = { kind, base, x, y };
  const line = kind === 'training' ? (x.path === 'network.depth' || y.path === 'network.depth' ? trainableDepth(plane) : null) : criticalLine(plane);
  return line === null ? [] : [line];
}
