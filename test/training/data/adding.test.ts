import { describe, expect, it } from 'vitest';
import { generateAdding } from '../../../src/training/data/adding.js';

describe('the adding problem', () => {
  const data = generateAdding({ length: 25, trainSize: 400, testSize: 100, seed: 11 });

  it('has two channels, one target per sequence, and the requested sizes', () => {
    expect(data).toMatchObject({ name: 'adding', length: 25, channels: 2, targetWidth: 1 });
    expect(data.train.count).toBe(400);
    expect(data.train.inputs).toHaveLength(400 * 25 * 2);
    expect(data.train.targets).toHaveLength(400);
    expect(data.test?.inputs).toHaveLength(100 * 25 * 2);
  });

  it('marks exactly one position in each half, values lie in [0, 1), and the target is the sum of the marked values', () => {
    for (const split of [data.train, ...(data.test ? [data.test] : [])]) {
      for (let n = 0; n < split.count; n++) {
        const marked: number[] = [];
        let sum = 0;
        for (let t = 0; t < 25; t++) {
          const value = split.inputs[(n * 25 + t) * 2] as number;
          const marker = split.inputs[(n * 25 + t) * 2 + 1] as number;
          if (!(value >= 0 && value < 1) || (marker !== 0 && marker !== 1)) throw new Error(`sequence ${n}, step ${t}: ${value}, ${marker}`);
          if (marker === 1) {
            marked.push(t);
            sum += value;
          }
        }
        expect(marked).toHaveLength(2);
        expect(marked[0]).toBeLessThan(12);
        expect(marked[1]).toBeGreaterThanOrEqual(12);
        expect(split.targets[n]).toBe(sum);
      }
    }
  });

  it('reaches every position of each half over many sequences', () => {
    const seen = new Set<number>();
    for (let i = 0; i < data.train.inputs.length; i += 2) if (data.train.inputs[i + 1] === 1) seen.add((i / 2) % 25);
    expect(seen.size).toBe(25);
  });

  it('is reproducible from the seed, and the training set does not depend on the test size', () => {
    expect(generateAdding({ length: 25, trainSize: 400, testSize: 100, seed: 11 })).toEqual(data);
    expect(generateAdding({ length: 25, trainSize: 400, testSize: 0, seed: 11 })).toMatchObject({ train: data.train, test: null });
  });

  it('works for the shortest length, 2, and refuses length 1', () => {
    const shortest = generateAdding({ length: 2, trainSize: 3, testSize: 0, seed: 1 });
    for (let n = 0; n < 3; n++) expect([shortest.train.inputs[4 * n + 1], shortest.train.inputs[4 * n + 3]]).toEqual([1, 1]);
    expect(() => generateAdding({ length: 1, seed: 1 })).toThrow(RangeError);
  });
});
