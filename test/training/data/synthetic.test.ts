import { describe, expect, it } from 'vitest';
import { DEFAULT_TEST_SIZE, DEFAULT_TRAIN_SIZE, generateSynthetic, SYNTHETIC_NAMES, TEACHER_INPUT_WIDTH } from '../../../src/training/data/synthetic.js';

const classCounts = (labels: Int32Array | null, classes: number): number[] => {
  const counts = new Array<number>(classes).fill(0);
  for (const label of labels ?? []) counts[label] = (counts[label] ?? 0) + 1;
  return counts;
};

describe('synthetic data sets', () => {
  it.each(SYNTHETIC_NAMES)('%s is reproducible from the seed', (name) => {
    const a = generateSynthetic(name, { seed: 7 });
    const b = generateSynthetic(name, { seed: 7 });
    const c = generateSynthetic(name, { seed: 8 });
    expect(b).toEqual(a);
    expect(c.train.inputs).not.toEqual(a.train.inputs);
  });

  it.each(SYNTHETIC_NAMES)('%s has the default sizes and the documented shape', (name) => {
    const data = generateSynthetic(name, { seed: 1 });
    expect(data.name).toBe(name);
    expect(data.train.count).toBe(DEFAULT_TRAIN_SIZE);
    expect(data.test?.count).toBe(DEFAULT_TEST_SIZE);
    const width = name === 'teacher' ? TEACHER_INPUT_WIDTH : 2;
    expect(data.inputWidth).toBe(width);
    expect(data.train.inputs).toHaveLength(DEFAULT_TRAIN_SIZE * width);
    expect(data.train.inputs.every(Number.isFinite)).toBe(true);
  });

  it.each(['spirals', 'circles', 'xor', 'blobs'] as const)('every class appears in the %s training set, in balanced numbers', (name) => {
    const data = generateSynthetic(name, { seed: 3, trainSize: 301 });
    const classes = data.classes as number;
    expect(data.targetWidth).toBeNull();
    expect(data.train.targets).toBeNull();
    for (const count of classCounts(data.train.labels, classes)) expect(count).toBeGreaterThanOrEqual(Math.floor(301 / classes));
  });

  it('the training set does not depend on the test size (test is drawn after train)', () => {
    const small = generateSynthetic('spirals', { seed: 5, testSize: 0 });
    const large = generateSynthetic('spirals', { seed: 5, testSize: 2000 });
    expect(small.test).toBeNull();
    expect(large.train).toEqual(small.train);
  });

  it('spirals and blobs take a number of classes, circles and xor only 2, teacher none', () => {
    expect(generateSynthetic('spirals', { seed: 1, classes: 5 }).classes).toBe(5);
    expect(classCounts(generateSynthetic('blobs', { seed: 1, classes: 7 }).train.labels, 7).every((n) => n > 0)).toBe(true);
    expect(generateSynthetic('circles', { seed: 1, classes: 2 }).classes).toBe(2);
    expect(() => generateSynthetic('xor', { seed: 1, classes: 3 })).toThrow(RangeError);
    expect(() => generateSynthetic('teacher', { seed: 1, classes: 2 })).toThrow(RangeError);
    expect(() => generateSynthetic('spirals', { seed: 1, classes: 11 })).toThrow(RangeError);
  });

  it('without noise the clean points lie where the generator puts them', () => {
    const spirals = generateSynthetic('spirals', { seed: 2, noise: 0 });
    const circles = generateSynthetic('circles', { seed: 2, noise: 0 });
    const xor = generateSynthetic('xor', { seed: 2, noise: 0 });
    const radius = (x: Float64Array, i: number) => Math.hypot(x[2 * i] as number, x[2 * i + 1] as number);
    for (let i = 0; i < spirals.train.count; i++) expect(radius(spirals.train.inputs, i)).toBeLessThan(1);
    for (let i = 0; i < circles.train.count; i++) {
      const r = radius(circles.train.inputs, i);
      if (circles.train.labels?.[i] === 0) expect(r).toBeLessThan(0.5);
      else expect(r).toBeGreaterThanOrEqual(0.7);
    }
    for (let i = 0; i < xor.train.count; i++) {
      const product = (xor.train.inputs[2 * i] as number) * (xor.train.inputs[2 * i + 1] as number);
      expect(product > 0 ? 1 : 0).toBe(xor.train.labels?.[i]);
    }
  });

  it('the noise is the standard deviation of the blobs around their centres', () => {
    const data = generateSynthetic('blobs', { seed: 4, classes: 4, noise: 0.3, trainSize: 20_000, testSize: 0 });
    let sum = 0;
    for (let i = 0; i < data.train.count; i++) {
      const angle = (2 * Math.PI * (data.train.labels?.[i] as number)) / 4;
      sum += ((data.train.inputs[2 * i] as number) - Math.cos(angle)) ** 2 + ((data.train.inputs[2 * i + 1] as number) - Math.sin(angle)) ** 2;
    }
    expect(Math.sqrt(sum / (2 * data.train.count))).toBeCloseTo(0.3, 2);
  });

  it('the teacher gives one regression target per example and no classes', () => {
    const data = generateSynthetic('teacher', { seed: 6, trainSize: 50, testSize: 10 });
    expect(data.classes).toBeNull();
    expect(data.targetWidth).toBe(1);
    expect(data.train.labels).toBeNull();
    expect(data.train.targets).toHaveLength(50);
    expect(data.test?.targets).toHaveLength(10);
  });

  it('the teacher without noise is a deterministic function of its inputs', () => {
    const data = generateSynthetic('teacher', { seed: 9, noise: 0, trainSize: 5, testSize: 5 });
    const again = generateSynthetic('teacher', { seed: 9, noise: 0.5, trainSize: 5, testSize: 5 });
    // Same seed, same teacher and inputs; only the target noise differs.
    expect(again.train.inputs).toEqual(data.train.inputs);
    expect(again.train.targets).not.toEqual(data.train.targets);
  });

  it('out-of-range sizes and noise are refused with a RangeError', () => {
    expect(() => generateSynthetic('spirals', { seed: 1, trainSize: 0 })).toThrow(RangeError);
    expect(() => generateSynthetic('spirals', { seed: 1, trainSize: 1.5 })).toThrow(/trainSize must be an integer/);
    expect(() => generateSynthetic('spirals', { seed: 1, testSize: 10_001 })).toThrow(RangeError);
    expect(() => generateSynthetic('circles', { seed: 1, noise: -0.1 })).toThrow(/noise/);
    expect(() => generateSynthetic('circles', { seed: -1 })).toThrow(RangeError);
  });
});
