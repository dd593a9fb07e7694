import { describe, expect, it } from 'vitest';
import { DATASET_NAMES, datasetInfo, generateSynthetic, loadFashionMnist, loadIris, SYNTHETIC_NAMES } from '../../../src/training/data/index.js';

describe('the data set catalogue', () => {
  it('describes every named data set', () => {
    expect(Object.keys(datasetInfo).sort()).toEqual([...DATASET_NAMES].sort());
    for (const name of DATASET_NAMES) {
      const info = datasetInfo[name];
      expect(info.description).toMatch(/^[A-Z].*\.$/);
      expect(info.defaultTrainSize).toBeLessThanOrEqual(info.maxTrainSize);
      expect(info.defaultTestSize).toBeLessThanOrEqual(info.maxTestSize);
    }
  });

  it('matches what the generators and loaders produce with their defaults', () => {
    const produce = (name: (typeof DATASET_NAMES)[number]) => {
      if (name === 'fashion-mnist') return loadFashionMnist({ seed: 1 });
      if (name === 'iris') return loadIris({ seed: 1 });
      return generateSynthetic(name, { seed: 1 });
    };
    for (const name of DATASET_NAMES) {
      const data = produce(name);
      const info = datasetInfo[name];
      expect({ inputWidth: data.inputWidth, classes: data.classes, targetWidth: data.targetWidth }).toEqual({
        inputWidth: info.inputWidth,
        classes: info.classes,
        targetWidth: info.targetWidth,
      });
      expect(data.train.count).toBe(info.defaultTrainSize);
      expect(data.test?.count).toBe(info.defaultTestSize);
      expect(info.defaultNoise === null).toBe(!(SYNTHETIC_NAMES as readonly string[]).includes(name));
    }
  });
});
