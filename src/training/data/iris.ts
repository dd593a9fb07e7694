import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRandom } from '../../random.js';
import { findDataDirectory } from './fashion-mnist.js';
import { requireCount } from './synthetic.js';
import type { DataSplit, TrainingData } from './types.js';

/**
 * Fisher's iris data (1936; CC BY 4.0 via UCI), shipped as data/iris/iris.csv
 * (scikit-learn's copy; see that folder's README): 150 rows, 4 features,
 * 3 classes of 50.
 *
 * Each feature is standardised to a z-score over all 150 rows,
 * (x − mean) / std with the population std (divide by 150, as scikit-learn's
 * StandardScaler does), so train and test share one fixed scaling that does
 * not depend on the split. The split is a seeded Fisher–Yates permutation of
 * the rows: the first trainSize go to train, the next testSize to test.
 */

export const IRIS_ROWS = 150;
export const IRIS_INPUT_WIDTH = 4;
export const IRIS_CLASSES = 3;
export const IRIS_DEFAULT_TRAIN_SIZE = 120;
export const IRIS_DEFAULT_TEST_SIZE = 30;
export const IRIS_FEATURES = ['sepal length', 'sepal width', 'petal length', 'petal width'] as const;
export const IRIS_CLASS_NAMES = ['setosa', 'versicolor', 'virginica'] as const;

/** SHA-256 of data/iris/iris.csv; the loader refuses any other file. */
const IRIS_SHA256 = 'f13ffa8fdd56fd8e6c8d16d4081a3fbd3114bcd0aae4256c43205169cd9d1449';

export interface IrisOptions {
  trainSize?: number;
  /** 0 means no test split (`test: null`). */
  testSize?: number;
  seed: number;
}

interface IrisTable {
  /** 150 × 4 standardised features. */
  inputs: Float64Array;
  labels: Int32Array;
}

let table: IrisTable | null = null;

/** Parses and standardises iris.csv once per process. */
function readIris(): IrisTable {
  if (table) return table;
  const text = readFileSync(join(findDataDirectory('iris'), 'iris.csv'));
  const sha = createHash('sha256').update(text).digest('hex');
  if (sha !== IRIS_SHA256) throw new Error(`iris: iris.csv has SHA-256 ${sha}, expected ${IRIS_SHA256}`);
  // First line is scikit-learn's header "150,4,setosa,versicolor,virginica".
  const lines = text.toString('utf8').trim().split('\n').slice(1);
  if (lines.length !== IRIS_ROWS) throw new Error(`iris: expected ${IRIS_ROWS} rows, got ${lines.length}`);
  const inputs = new Float64Array(IRIS_ROWS * IRIS_INPUT_WIDTH);
  const labels = new Int32Array(IRIS_ROWS);
  lines.forEach((line, i) => {
    const fields = line.split(',').map(Number);
    for (let p = 0; p < IRIS_INPUT_WIDTH; p++) inputs[i * IRIS_INPUT_WIDTH + p] = fields[p] as number;
    labels[i] = fields[IRIS_INPUT_WIDTH] as number;
  });
  for (let p = 0; p < IRIS_INPUT_WIDTH; p++) {
    let mean = 0;
    for (let i = 0; i < IRIS_ROWS; i++) mean += inputs[i * IRIS_INPUT_WIDTH + p] as number;
    mean /= IRIS_ROWS;
    let variance = 0;
    for (let i = 0; i < IRIS_ROWS; i++) variance += ((inputs[i * IRIS_INPUT_WIDTH + p] as number) - mean) ** 2;
    const std = Math.sqrt(variance / IRIS_ROWS);
    for (let i = 0; i < IRIS_ROWS; i++) {
      const at = i * IRIS_INPUT_WIDTH + p;
      inputs[at] = ((inputs[at] as number) - mean) / std;
    }
  }
  table = { inputs, labels };
  return table;
}

function gather(source: IrisTable, rows: number[]): DataSplit {
  const inputs = new Float64Array(rows.length * IRIS_INPUT_WIDTH);
  const labels = new Int32Array(rows.length);
  rows.forEach((row, i) => {
    inputs.set(source.inputs.subarray(row * IRIS_INPUT_WIDTH, (row + 1) * IRIS_INPUT_WIDTH), i * IRIS_INPUT_WIDTH);
    labels[i] = source.labels[row] as number;
  });
  return { count: rows.length, inputs, labels, targets: null };
}

/** Loads iris with a seeded split; throws RangeError when trainSize + testSize > 150. */
export function loadIris(options: IrisOptions): TrainingData {
  const trainSize = requireCount('trainSize', options.trainSize ?? IRIS_DEFAULT_TRAIN_SIZE, 1, IRIS_ROWS);
  const testSize = requireCount('testSize', options.testSize ?? IRIS_DEFAULT_TEST_SIZE, 0, IRIS_ROWS - 1);
  if (trainSize + testSize > IRIS_ROWS) {
    throw new RangeError(`iris has ${IRIS_ROWS} rows: trainSize + testSize must be at most ${IRIS_ROWS}, got ${trainSize} + ${testSize}`);
  }
  const source = readIris();
  const { uniform } = createRandom(options.seed);
  const order = Array.from({ length: IRIS_ROWS }, (_, i) => i);
  for (let i = IRIS_ROWS - 1; i > 0; i--) {
    const j = Math.floor(uniform() * (i + 1));
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  return {
    name: 'iris',
    inputWidth: IRIS_INPUT_WIDTH,
    classes: IRIS_CLASSES,
    targetWidth: null,
    train: gather(source, order.slice(0, trainSize)),
    test: testSize > 0 ? gather(source, order.slice(trainSize, trainSize + testSize)) : null,
  };
}
