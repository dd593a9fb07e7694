import { describe, expect, it } from 'vitest';
import { MAX_SEED } from '../../src/random.js';
import { axisValues, coordinatesOf, pointCount, requestAt, SweepShapeError, trialSeed, withValueAt } from '../../src/jobs/sweep.js';

describe('axisValues', () => {
  it('spaces a linear grid evenly, both ends included', () => {
    expect(axisValues({ path: 'a', grid: { start: 0, stop: 1, count: 5, scale: 'linear', integer: false } }, 'axes.0')).toEqual([0, 0.25, 0.5, 0.75, 1]);
  });

  it('spaces a log grid by equal ratios', () => {
    expect(axisValues({ path: 'a', grid: { start: 1, stop: 1000, count: 4, scale: 'log', integer: false } }, 'axes.0')).toEqual([1, 10, 100, 1000]);
  });

  it('refuses an integer grid whose rounding repeats a value, naming the axis', () => {
    expect(() => axisValues({ path: 'network.depth', grid: { start: 1, stop: 3, count: 5, scale: 'linear', integer: true } }, 'axes.1')).toThrow(SweepShapeError);
  });
});

describe('coordinatesOf', () => {
  const axes = [
    { path: 'a', values: [1, 2], scale: 'linear' as const },
    { path: 'b', values: ['x', 'y', 'z'], scale: 'linear' as const },
  ];

  it('walks the product with the last axis fastest, every point once', () => {
    expect(pointCount(axes)).toBe(6);
    const points = Array.from({ length: 6 }, (_, index) => coordinatesOf(axes, index));
    expect(points[0]).toEqual({ a: 1, b: 'x' });
    expect(points[1]).toEqual({ a: 1, b: 'y' });
    expect(points[3]).toEqual({ a: 2, b: 'x' });
    expect(new Set(points.map((point) => JSON.stringify(point))).size).toBe(6);
  });
});

describe('withValueAt', () => {
  it('writes a value at a dotted path without touching the base', () => {
    const base = { network: { depth: 3, init: { scheme: 'normal', std: 0.1 } } };
    expect(withValueAt(base, 'network.init.std', 0.2)).toEqual({ network: { depth: 3, init: { scheme: 'normal', std: 0.2 } } });
    expect(base.network.init.std).toBe(0.1);
  });

  it('writes into an array element by index and creates missing objects', () => {
    expect(requestAt({ network: { layers: [{ width: 4 }, { width: 8 }] } }, { 'network.layers.1.width': 16, 'optimizer.learningRate': 0.1 })).toEqual({
      network: { layers: [{ width: 4 }, { width: 16 }] },
      optimizer: { learningRate: 0.1 },
    });
  });

  it('refuses a path through a string, saying what is in the way', () => {
    expect(() => withValueAt({ network: { init: 'he_normal' } }, 'network.init.gain', 2)).toThrow(/network\.init is "he_normal" in the base request, not an object/);
  });

  it('refuses an index past the end of an array', () => {
    expect(() => withValueAt({ layers: [{ width: 4 }] }, 'layers.3.width', 2)).toThrow(/layers is an array of 1: 3 is not one of its indices/);
  });
});

describe('trialSeed', () => {
  it('keeps the seed for trial 0 and derives distinct, reproducible, valid seeds for the others', () => {
    expect(trialSeed(42, 0)).toBe(42);
    const derived = [1, 2, 3, 4].map((trial) => trialSeed(42, trial));
    expect(derived).toEqual([1, 2, 3, 4].map((trial) => trialSeed(42, trial)));
    expect(new Set([42, ...derived]).size).toBe(5);
    for (const seed of derived) expect(Number.isSafeInteger(seed) && seed >= 0 && seed <= MAX_SEED).toBe(true);
    expect(trialSeed(43, 1)).not.toBe(trialSeed(42, 1));
  });
});
