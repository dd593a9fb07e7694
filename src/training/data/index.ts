import {
  FASHION_MNIST_CLASSES,
  FASHION_MNIST_DEFAULT_TEST_SIZE,
  FASHION_MNIST_DEFAULT_TRAIN_SIZE,
  FASHION_MNIST_INPUT_WIDTH,
  FASHION_MNIST_MAX_TEST_SIZE,
  FASHION_MNIST_MAX_TRAIN_SIZE,
} from './fashion-mnist.js';
import { IRIS_CLASSES, IRIS_DEFAULT_TEST_SIZE, IRIS_DEFAULT_TRAIN_SIZE, IRIS_INPUT_WIDTH, IRIS_ROWS } from './iris.js';
import {
  DEFAULT_CLASSES,
  DEFAULT_NOISE,
  DEFAULT_TEST_SIZE,
  DEFAULT_TRAIN_SIZE,
  MAX_TEST_SIZE,
  MAX_TRAIN_SIZE,
  type SyntheticName,
  TEACHER_HIDDEN_WIDTH,
  TEACHER_INPUT_WIDTH,
} from './synthetic.js';

/**
 * The named feed-forward data sets of `POST /v1/training` and what a request
 * can ask of each. (The sequence data set `adding` is separate: see adding.ts.)
 */

export type { DataSplit, SequenceData, SequenceSplit, TrainingData } from './types.js';
export {
  DEFAULT_CLASSES,
  DEFAULT_NOISE,
  DEFAULT_TEST_SIZE,
  DEFAULT_TRAIN_SIZE,
  generateSynthetic,
  MAX_CLASSES,
  MAX_NOISE,
  MAX_TEST_SIZE,
  MAX_TRAIN_SIZE,
  MIN_CLASSES,
  SYNTHETIC_NAMES,
  type SyntheticName,
  type SyntheticOptions,
  TEACHER_HIDDEN_WIDTH,
  TEACHER_INPUT_WIDTH,
} from './synthetic.js';
export {
  FASHION_MNIST_CLASSES,
  FASHION_MNIST_DEFAULT_TEST_SIZE,
  FASHION_MNIST_DEFAULT_TRAIN_SIZE,
  FASHION_MNIST_INPUT_WIDTH,
  FASHION_MNIST_MAX_TEST_SIZE,
  FASHION_MNIST_MAX_TRAIN_SIZE,
  type FashionMnistOptions,
  loadFashionMnist,
} from './fashion-mnist.js';
export {
  IRIS_CLASS_NAMES,
  IRIS_CLASSES,
  IRIS_DEFAULT_TEST_SIZE,
  IRIS_DEFAULT_TRAIN_SIZE,
  IRIS_FEATURES,
  IRIS_INPUT_WIDTH,
  IRIS_ROWS,
  type IrisOptions,
  loadIris,
} from './iris.js';
export {
  ADDING_CHANNELS,
  ADDING_DEFAULT_TEST_SIZE,
  ADDING_DEFAULT_TRAIN_SIZE,
  ADDING_MAX_LENGTH,
  ADDING_MAX_TEST_SIZE,
  ADDING_MAX_TRAIN_SIZE,
  ADDING_MIN_LENGTH,
  ADDING_TARGET_WIDTH,
  type AddingOptions,
  generateAdding,
} from './adding.js';

export const DATASET_NAMES = ['spirals', 'circles', 'xor', 'blobs', 'teacher', 'fashion-mnist', 'iris'] as const;
export type DatasetName = (typeof DATASET_NAMES)[number];

export interface DatasetInfo {
  inputWidth: number;
  /** Default number of classes; null for regression (teacher). */
  classes: number | null;
  /** Width of a target row for regression data (teacher: 1); null for classification. */
  targetWidth: number | null;
  defaultTrainSize: number;
  /** Default test size; a request may ask for 0 (no test split). */
  defaultTestSize: number;
  maxTrainSize: number;
  maxTestSize: number;
  /** Default noise standard deviation; null where a request cannot set noise. */
  defaultNoise: number | null;
  description: string;
}

function synthetic(name: SyntheticName, inputWidth: number, description: string): DatasetInfo {
  return {
    inputWidth,
    classes: DEFAULT_CLASSES[name],
    targetWidth: DEFAULT_CLASSES[name] === null ? 1 : null,
    defaultTrainSize: DEFAULT_TRAIN_SIZE,
    defaultTestSize: DEFAULT_TEST_SIZE,
    maxTrainSize: MAX_TRAIN_SIZE,
    maxTestSize: MAX_TEST_SIZE,
    defaultNoise: DEFAULT_NOISE[name],
    description,
  };
}

export const datasetInfo: Readonly<Record<DatasetName, DatasetInfo>> = {
  spirals: synthetic(
    'spirals',
    2,
    'Interleaved spiral arms in the unit disc (1.75 turns each), one arm per class (2 by default, up to 10), with Gaussian noise on the inputs.',
  ),
  circles: synthetic('circles', 2, 'Two classes: a disc of radius 0.5 inside a ring from radius 0.7 to 1, with Gaussian noise on the inputs.'),
  xor: synthetic('xor', 2, 'Points in the square [−1, 1]², class 1 where x1·x2 > 0 and class 0 elsewhere, with Gaussian noise on the inputs.'),
  blobs: synthetic(
    'blobs',
    2,
    'Gaussian clusters (3 by default, up to 10) centred evenly on the unit circle; noise is the clusters’ standard deviation.',
  ),
  teacher: synthetic(
    'teacher',
    TEACHER_INPUT_WIDTH,
    `Regression: ${TEACHER_INPUT_WIDTH} standard-normal inputs and one target from a random tanh network with ${TEACHER_HIDDEN_WIDTH} hidden units, plus Gaussian noise.`,
  ),
  'fashion-mnist': {
    inputWidth: FASHION_MNIST_INPUT_WIDTH,
    classes: FASHION_MNIST_CLASSES,
    targetWidth: null,
    defaultTrainSize: FASHION_MNIST_DEFAULT_TRAIN_SIZE,
    defaultTestSize: FASHION_MNIST_DEFAULT_TEST_SIZE,
    maxTrainSize: FASHION_MNIST_MAX_TRAIN_SIZE,
    maxTestSize: FASHION_MNIST_MAX_TEST_SIZE,
    defaultNoise: null,
    description:
      'Fashion-MNIST clothing images (28 × 28 pixels in [0, 1], 10 classes); the first trainSize / testSize of the first 10 000 training and 2 000 test images.',
  },
  iris: {
    inputWidth: IRIS_INPUT_WIDTH,
    classes: IRIS_CLASSES,
    targetWidth: null,
    defaultTrainSize: IRIS_DEFAULT_TRAIN_SIZE,
    defaultTestSize: IRIS_DEFAULT_TEST_SIZE,
    maxTrainSize: IRIS_ROWS,
    maxTestSize: IRIS_ROWS - 1,
    defaultNoise: null,
    description:
      'Fisher’s 150 iris flowers, 4 standardised measurements and 3 species, split by a seeded permutation (trainSize + testSize at most 150).',
  },
};
