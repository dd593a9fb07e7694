import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findDataDirectory, loadFashionMnist, readFashionMnist } from '../../../src/training/data/fashion-mnist.js';

const directory = findDataDirectory('fashion-mnist');

describe('fashion-mnist', () => {
  it('fashion-mnist files match their checksums', () => {
    const lines = readFileSync(join(directory, 'SHA256SUMS'), 'utf8').trim().split('\n');
    expect(lines.map((line) => line.split(/\s+/)[1]).sort()).toEqual(['test-images.gz', 'test-labels.gz', 'train-images.gz', 'train-labels.gz']);
    for (const line of lines) {
      const [sum, file] = line.split(/\s+/) as [string, string];
      expect(createHash('sha256').update(readFileSync(join(directory, file))).digest('hex')).toBe(sum);
    }
  });

  it('the shipped subset holds 10 000 training and 2 000 test images of every class', () => {
    const arrays = readFashionMnist(directory);
    expect(arrays.trainImages).toHaveLength(10_000 * 784);
    expect(arrays.testImages).toHaveLength(2_000 * 784);
    for (const labels of [arrays.trainLabels, arrays.testLabels]) {
      const counts = new Array<number>(10).fill(0);
      for (const label of labels) counts[label] = (counts[label] ?? 0) + 1;
      // Roughly balanced: every class within 20 % of an even share.
      for (const count of counts) expect(Math.abs(count - labels.length / 10)).toBeLessThan(0.2 * (labels.length / 10));
    }
  });

  it('a tampered file is refused', () => {
    const copy = mkdtempSync(join(tmpdir(), 'fashion-mnist-'));
    try {
      cpSync(directory, copy, { recursive: true });
      const file = join(copy, 'test-labels.gz');
      const bytes = readFileSync(file);
      bytes[bytes.length - 9] = (bytes[bytes.length - 9] as number) ^ 1;
      writeFileSync(file, bytes);
      expect(() => readFashionMnist(copy)).toThrow(/test-labels\.gz has SHA-256/);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });

  it('fashion-mnist pixels lie in [0,1] and labels in 0..9', () => {
    const data = loadFashionMnist({ seed: 1 });
    expect(data).toMatchObject({ name: 'fashion-mnist', inputWidth: 784, classes: 10, targetWidth: null });
    for (const split of [data.train, ...(data.test ? [data.test] : [])]) {
      expect(split.inputs).toHaveLength(split.count * 784);
      expect(split.inputs.every((x) => x >= 0 && x <= 1)).toBe(true);
      expect(split.labels?.every((k) => Number.isInteger(k) && k >= 0 && k <= 9)).toBe(true);
      expect(split.targets).toBeNull();
    }
    expect(data.train.inputs.reduce((a, b) => Math.max(a, b), 0)).toBe(1);
  });

  it('defaults to 2 000 training and 500 test images, the first rows of the shipped splits', () => {
    const data = loadFashionMnist();
    expect(data.train.count).toBe(2000);
    expect(data.test?.count).toBe(500);
    const small = loadFashionMnist({ trainSize: 10, testSize: 5 });
    expect(small.train.inputs).toEqual(data.train.inputs.subarray(0, 10 * 784));
    expect(small.test?.labels).toEqual(data.test?.labels?.subarray(0, 5));
    expect(loadFashionMnist({ testSize: 0 }).test).toBeNull();
  });

  it('every call returns fresh arrays, so a caller cannot corrupt the cache', () => {
    const first = loadFashionMnist({ trainSize: 1, testSize: 0 });
    first.train.inputs.fill(7);
    expect(loadFashionMnist({ trainSize: 1, testSize: 0 }).train.inputs.every((x) => x <= 1)).toBe(true);
  });

  it('refuses sizes beyond the shipped subset with a RangeError', () => {
    expect(() => loadFashionMnist({ trainSize: 10_001 })).toThrow(RangeError);
    expect(() => loadFashionMnist({ testSize: 2_001 })).toThrow(RangeError);
  });
});
