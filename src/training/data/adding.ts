import { createRandom, type Random } from '../../random.js';
import { requireCount } from './synthetic.js';
import type { SequenceData, SequenceSplit } from './types.js';

/**
 * The adding problem (Hochreiter & Schmidhuber 1997), as training.md fixes it:
 * each sequence has `length` steps of two channels, a value in U(0, 1) and a
 * marker that is 1 at exactly two steps and 0 elsewhere — one step drawn
 * uniformly from the first half [0, ⌊T/2⌋), one from the second half
 * [⌊T/2⌋, T). The target is the sum of the two marked values (in [0, 2),
 * mean 1), so always predicting 1 gives mse loss ≈ 1/12 (variance 1/6, halved).
 *
 * Per sequence the stream yields the T values, then the first-half position,
 * then the second-half position; all training sequences come before the test
 * ones, so the training set for a seed does not depend on testSize.
 */

export const ADDING_CHANNELS = 2;
export const ADDING_TARGET_WIDTH = 1;
/** Two halves need at least two steps. */
export const ADDING_MIN_LENGTH = 2;
export const ADDING_MAX_LENGTH = 1000;
export const ADDING_DEFAULT_TRAIN_SIZE = 1000;
export const ADDING_DEFAULT_TEST_SIZE = 200;
export const ADDING_MAX_TRAIN_SIZE = 10_000;
export const ADDING_MAX_TEST_SIZE = 5_000;

export interface AddingOptions {
  /** Sequence length T. */
  length: number;
  trainSize?: number;
  /** 0 means no test split (`test: null`). */
  testSize?: number;
  seed: number;
}

function addingSplit(random: Random, count: number, length: number): SequenceSplit {
  const inputs = new Float64Array(count * length * ADDING_CHANNELS);
  const targets = new Float64Array(count * ADDING_TARGET_WIDTH);
  const half = Math.floor(length / 2);
  for (let n = 0; n < count; n++) {
    const base = n * length * ADDING_CHANNELS;
    for (let t = 0; t < length; t++) inputs[base + t * ADDING_CHANNELS] = random.uniform();
    const first = Math.floor(random.uniform() * half);
    const second = half + Math.floor(random.uniform() * (length - half));
    let sum = 0;
    for (const t of [first, second]) {
      inputs[base + t * ADDING_CHANNELS + 1] = 1;
      sum += inputs[base + t * ADDING_CHANNELS] as number;
    }
    targets[n] = sum;
  }
  return { count, inputs, targets };
}

/** Generates the adding problem; throws RangeError for out-of-range options. */
export function generateAdding(options: AddingOptions): SequenceData {
  const length = requireCount('length', options.length, ADDING_MIN_LENGTH, ADDING_MAX_LENGTH);
  const trainSize = requireCount('trainSize', options.trainSize ?? ADDING_DEFAULT_TRAIN_SIZE, 1, ADDING_MAX_TRAIN_SIZE);
  const testSize = requireCount('testSize', options.testSize ?? ADDING_DEFAULT_TEST_SIZE, 0, ADDING_MAX_TEST_SIZE);
  const random = createRandom(options.seed);
  const train = addingSplit(random, trainSize, length);
  const test = testSize > 0 ? addingSplit(random, testSize, length) : null;
  return { name: 'adding', length, channels: ADDING_CHANNELS, targetWidth: ADDING_TARGET_WIDTH, train, test };
}
