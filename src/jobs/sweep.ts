import { createHash } from 'node:crypto';
import { MAX_SEED } from '../random.js';
import type { AxisValue, SweepAxis } from '../schemas/jobs.js';

/**
 * A sweep's points: the product of its axes (the last axis varies fastest),
 * each point the base request with the axes' values written in at their
 * dotted paths, and each trial's seed.
 */

export interface ExpandedAxis {
  path: string;
  values: AxisValue[];
  /** How a grid was spaced (listed values count as linear); charts draw log grids on a log scale. */
  scale: 'linear' | 'log';
}

/** Thrown for an axis or a path that cannot be used; the submission answers it as a 400 at `field`. */
export class SweepShapeError extends Error {
  override name = 'SweepShapeError';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/** The values of an axis: as listed, or its grid (rounded when asked), distinct in either case. */
export function axisValues(axis: SweepAxis, field: string): AxisValue[] {
  let values: AxisValue[];
  if ('values' in axis) {
    values = axis.values;
  } else {
    const { start, stop, count, scale, integer } = axis.grid;
    values = Array.from({ length: count }, (_, index) => {
      if (count === 1) return start;
      if (index === count - 1) return stop;
      const fraction = index / (count - 1);
      // 12 significant digits: 1.7, not 1.7000000000000002, in the coordinates people read.
      return Number((scale === 'log' ? start * (stop / start) ** fraction : start + (stop - start) * fraction).toPrecision(12));
    });
    if (integer) values = values.map((value) => Math.round(value as number));
  }
  const seen = new Set<string>();
  values.forEach((value, index) => {
    const key = JSON.stringify(value);
    if (seen.has(key)) throw new SweepShapeError(`${field}.${'values' in axis ? `values.${index}` : 'grid'}`, `the axis takes ${key} twice; every value of an axis must be distinct.`);
    seen.add(key);
  });
  return values;
}

/** The number of points of the axes' product. */
export const pointCount = (axes: readonly ExpandedAxis[]): number => axes.reduce((count, axis) => count * axis.values.length, 1);

/** The coordinates of point `index` (mixed radix, the last axis fastest). */
export function coordinatesOf(axes: readonly ExpandedAxis[], index: number): Record<string, AxisValue> {
  const coordinates: Record<string, AxisValue> = {};
  let rest = index;
  for (let position = axes.length - 1; position >= 0; position -= 1) {
    const axis = axes[position] as ExpandedAxis;
    coordinates[axis.path] = axis.values[rest % axis.values.length] as AxisValue;
    rest = Math.floor(rest / axis.values.length);
  }
  // Key order of the axes, for people reading the result.
  return Object.fromEntries(axes.map((axis) => [axis.path, coordinates[axis.path] as AxisValue]));
}

const isIndex = (key: string): boolean => /^\d+$/.test(key);

/**
 * A deep copy of `base` with `value` at the dotted `path`. Missing objects on
 * the way are created; a path through a number, a string or past the end of
 * an array is refused, naming the part that is in the way.
 */
export function withValueAt(base: unknown, path: string, value: unknown): unknown {
  const root = structuredClone(base);
  if (root === null || typeof root !== 'object') throw new SweepShapeError('base.request', 'the base request must be a JSON object.');
  const keys = path.split('.');
  let node = root as Record<string, unknown>;
  keys.slice(0, -1).forEach((key, depth) => {
    const here = keys.slice(0, depth + 1).join('.');
    if (Array.isArray(node) && !(isIndex(key) && Number(key) < node.length)) {
      throw new SweepShapeError(`axes.${path}`, `${keys.slice(0, depth).join('.')} is an array of ${node.length}: ${key} is not one of its indices.`);
    }
    const next = node[key];
    if (next === undefined) node[key] = {};
    else if (next === null || typeof next !== 'object') {
      throw new SweepShapeError(
        `axes.${path}`,
        `${here} is ${JSON.stringify(next)} in the base request, not an object; write it as an object there (e.g. an init as { "scheme": …, "gain": … }) to sweep ${path}.`,
      );
    }
    node = node[key] as Record<string, unknown>;
  });
  const last = keys.at(-1) as string;
  if (Array.isArray(node) && !(isIndex(last) && Number(last) < node.length)) {
    throw new SweepShapeError(`axes.${path}`, `${keys.slice(0, -1).join('.')} is an array of ${node.length}: ${last} is not one of its indices.`);
  }
  node[last] = value;
  return root;
}

/** The base request with every coordinate written in. */
export function requestAt(base: unknown, coordinates: Record<string, AxisValue>): unknown {
  return Object.entries(coordinates).reduce<unknown>((request, [path, value]) => withValueAt(request, path, value), base);
}

/**
 * The seed of trial `trial` of a cell whose own seed is `seed`: the seed itself
 * for trial 0, otherwise the first 53 bits of SHA-256("seed:trial"), reduced to
 * the seeds the API accepts. Derived the same way on every machine.
 */
export function trialSeed(seed: number, trial: number): number {
  if (trial === 0) return seed;
  const digest = createHash('sha256').update(`${seed}:${trial}`).digest();
  const high = digest.readUInt32BE(0) >>> 11; // 21 bits
  const low = digest.readUInt32BE(4); // 32 bits
  return (high * 2 ** 32 + low) % (MAX_SEED + 1);
}
