import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { requireCount } from './synthetic.js';
import type { DataSplit, TrainingData } from './types.js';

/**
 * Fashion-MNIST (Xiao, Rasul & Vollgraf 2017; MIT, Zalando SE), the subset the
 * service ships in data/fashion-mnist/: the first 10 000 training and first
 * 2 000 test images of the official set (see that folder's README and
 * scripts/build-fashion-mnist-subset.ts). 784 inputs in [0, 1] (pixel / 255),
 * 10 classes.
 *
 * A request takes the FIRST trainSize / testSize rows of the shipped splits:
 * no shuffling, so the same sizes always give the same rows. The defaults
 * (2 000 / 500) keep a request cheap; the trainer shuffles batches itself.
 */

export const FASHION_MNIST_INPUT_WIDTH = 784;
export const FASHION_MNIST_CLASSES = 10;
export const FASHION_MNIST_DEFAULT_TRAIN_SIZE = 2000;
export const FASHION_MNIST_DEFAULT_TEST_SIZE = 500;
/** The shipped subset's sizes, the most a request can ask for. */
export const FASHION_MNIST_MAX_TRAIN_SIZE = 10_000;
export const FASHION_MNIST_MAX_TEST_SIZE = 2_000;

export interface FashionMnistOptions {
  trainSize?: number;
  /** 0 means no test split (`test: null`). */
  testSize?: number;
  /** Accepted for symmetry with the other data sets; unused (rows are taken in file order). */
  seed?: number;
}

/** The decoded shipped files: pixels (count × 784 bytes) and labels (count bytes). */
export interface FashionMnistArrays {
  trainImages: Uint8Array;
  trainLabels: Uint8Array;
  testImages: Uint8Array;
  testLabels: Uint8Array;
}

/**
 * The directory `data/<name>` of the repository (or image) this module runs
 * from. It walks up from the module's own directory, so it works from both
 * src/training/data/ (tsx, vitest) and the compiled dist/… layout, wherever
 * the build's rootDir puts it.
 */
export function findDataDirectory(name: string): string {
  let directory = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(directory, 'data', name);
    if (existsSync(candidate) && statSync(candidate).isDirectory()) return candidate;
    const parent = dirname(directory);
    if (parent === directory) throw new Error(`data directory data/${name} not found above ${fileURLToPath(import.meta.url)}`);
    directory = parent;
  }
}

const FILES = ['train-images.gz', 'train-labels.gz', 'test-images.gz', 'test-labels.gz'] as const;
const IDX_IMAGES = 0x00000803;
const IDX_LABELS = 0x00000801;
const SIDE = 28;

/** Parses a `sha256sum` file: `<hex>  <file>` per line. */
function readChecksums(directory: string): Map<string, string> {
  const sums = new Map<string, string>();
  for (const line of readFileSync(join(directory, 'SHA256SUMS'), 'utf8').split('\n')) {
    const match = /^([0-9a-f]{64}) [ *](.+)$/.exec(line.trim());
    if (match) sums.set(match[2] as string, match[1] as string);
  }
  return sums;
}

/** Reads one file, checks it against SHA256SUMS, and returns the IDX payload after the header. */
function readIdx(directory: string, file: string, expected: string | undefined, magic: number, shape: number[]): Uint8Array {
  const gz = readFileSync(join(directory, file));
  const actual = createHash('sha256').update(gz).digest('hex');
  if (expected === undefined) throw new Error(`fashion-mnist: ${file} is not listed in SHA256SUMS`);
  if (actual !== expected) throw new Error(`fashion-mnist: ${file} has SHA-256 ${actual}, SHA256SUMS says ${expected}`);
  const bytes = gunzipSync(gz);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const offset = 4 + 4 * shape.length;
  const header = [view.getUint32(0), ...shape.map((_, i) => view.getUint32(4 + 4 * i))];
  const wanted = [magic, ...shape];
  if (bytes.length < offset || header.some((value, i) => value !== wanted[i])) {
    throw new Error(`fashion-mnist: ${file} has IDX header ${header.join(',')}, expected ${wanted.join(',')}`);
  }
  const size = shape.reduce((a, b) => a * b, 1);
  if (bytes.length !== offset + size) throw new Error(`fashion-mnist: ${file} has ${bytes.length - offset} data bytes, expected ${size}`);
  return bytes.subarray(offset);
}

/** Reads and verifies the four files of `directory` (no caching). Throws on any checksum or format mismatch. */
export function readFashionMnist(directory: string = findDataDirectory('fashion-mnist')): FashionMnistArrays {
  const sums = readChecksums(directory);
  const [trainImages, trainLabels, testImages, testLabels] = FILES;
  const nTrain = FASHION_MNIST_MAX_TRAIN_SIZE;
  const nTest = FASHION_MNIST_MAX_TEST_SIZE;
  return {
    trainImages: readIdx(directory, trainImages, sums.get(trainImages), IDX_IMAGES, [nTrain, SIDE, SIDE]),
    trainLabels: readIdx(directory, trainLabels, sums.get(trainLabels), IDX_LABELS, [nTrain]),
    testImages: readIdx(directory, testImages, sums.get(testImages), IDX_IMAGES, [nTest, SIDE, SIDE]),
    testLabels: readIdx(directory, testLabels, sums.get(testLabels), IDX_LABELS, [nTest]),
  };
}

/** The verified arrays, read once per process on first use (≈9.4 MB). */
let cache: FashionMnistArrays | null = null;

function cached(): FashionMnistArrays {
  cache ??= readFashionMnist();
  return cache;
}

function split(images: Uint8Array, labels: Uint8Array, count: number): DataSplit {
  const inputs = new Float64Array(count * FASHION_MNIST_INPUT_WIDTH);
  for (let i = 0; i < inputs.length; i++) inputs[i] = (images[i] as number) / 255;
  return { count, inputs, labels: Int32Array.from(labels.subarray(0, count)), targets: null };
}

/** Loads the first trainSize / testSize rows of the shipped subset; fresh arrays on every call. */
export function loadFashionMnist(options: FashionMnistOptions = {}): TrainingData {
  const trainSize = requireCount('trainSize', options.trainSize ?? FASHION_MNIST_DEFAULT_TRAIN_SIZE, 1, FASHION_MNIST_MAX_TRAIN_SIZE);
  const testSize = requireCount('testSize', options.testSize ?? FASHION_MNIST_DEFAULT_TEST_SIZE, 0, FASHION_MNIST_MAX_TEST_SIZE);
  const data = cached();
  return {
    name: 'fashion-mnist',
    inputWidth: FASHION_MNIST_INPUT_WIDTH,
    classes: FASHION_MNIST_CLASSES,
    targetWidth: null,
    train: split(data.trainImages, data.trainLabels, trainSize),
    test: testSize > 0 ? split(data.testImages, data.testLabels, testSize) : null,
  };
}
