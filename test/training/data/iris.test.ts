import { describe, expect, it } from 'vitest';
import { loadIris } from '../../../src/training/data/iris.js';

describe('iris', () => {
  it('has 150 rows of 4 standardised features', () => {
    const data = loadIris({ trainSize: 150, testSize: 0, seed: 1 });
    expect(data).toMatchObject({ name: 'iris', inputWidth: 4, classes: 3, targetWidth: null, test: null });
    expect(data.train.count).toBe(150);
    for (let p = 0; p < 4; p++) {
      let mean = 0;
      let square = 0;
      for (let i = 0; i < 150; i++) {
        const x = data.train.inputs[4 * i + p] as number;
        mean += x / 150;
        square += (x * x) / 150;
      }
      expect(mean).toBeCloseTo(0, 12);
      expect(square - mean * mean).toBeCloseTo(1, 12);
    }
  });

  it('has 50 flowers of each of the 3 species', () => {
    const { train } = loadIris({ trainSize: 150, testSize: 0, seed: 2 });
    const counts = [0, 0, 0];
    for (const label of train.labels ?? []) counts[label] = (counts[label] ?? 0) + 1;
    expect(counts).toEqual([50, 50, 50]);
  });

  it('splits 120 / 30 by default into disjoint rows that together are distinct flowers', () => {
    const data = loadIris({ seed: 3 });
    expect(data.train.count).toBe(120);
    expect(data.test?.count).toBe(30);
    const rows = new Set<string>();
    for (const split of [data.train, ...(data.test ? [data.test] : [])]) {
      for (let i = 0; i < split.count; i++) rows.add(`${Array.from(split.inputs.subarray(4 * i, 4 * i + 4)).join(',')},${split.labels?.[i]}`);
    }
    // Fisher's data has one duplicated flower (rows 102 and 143), so 149 distinct rows.
    expect(rows.size).toBe(149);
  });

  it('the split is reproducible from the seed and changes with it', () => {
    expect(loadIris({ seed: 4 })).toEqual(loadIris({ seed: 4 }));
    expect(loadIris({ seed: 5 }).train.labels).not.toEqual(loadIris({ seed: 4 }).train.labels);
  });

  it('refuses trainSize + testSize above 150 with a RangeError', () => {
    expect(() => loadIris({ trainSize: 130, testSize: 30, seed: 1 })).toThrow(RangeError);
    expect(() => loadIris({ trainSize: 130, testSize: 30, seed: 1 })).toThrow(/at most 150/);
    expect(() => loadIris({ trainSize: 0, seed: 1 })).toThrow(RangeError);
  });
});
