import { createRandom, type Random } from '../../random.js';
import type { DataSplit, TrainingData } from './types.js';

/**
 * Synthetic data sets in the spirit of TensorFlow Playground and CS231n: small,
 * generated on demand, deterministic from the seed.
 *
 * - Classification sets (spirals, circles, xor, blobs) have 2-D inputs of
 *   order 1 (the clean points lie in the unit disc or square) and balanced
 *   classes: example i of a split has class i mod classes.
 * - `teacher` is regression: TEACHER_INPUT_WIDTH standard-normal inputs and
 *   one target from a random 2-layer tanh network, plus noise.
 * - `noise` is always the standard deviation of Gaussian noise: added to
 *   each input coordinate for the classification sets (the label comes from
 *   the clean point), added to the target for `teacher`.
 * - One generator stream per call: (teacher weights,) then the training
 *   examples, then the test examples. So the training set for a seed does not
 *   depend on testSize.
 */

export type SyntheticName = 'spirals' | 'circles' | 'xor' | 'blobs' | 'teacher';

export const SYNTHETIC_NAMES: readonly SyntheticName[] = ['spirals', 'circles', 'xor', 'blobs', 'teacher'];

export interface SyntheticOptions {
  trainSize?: number;
  /** 0 means no test split (`test: null`). */
  testSize?: number;
  noise?: number;
  /** Number of classes; only spirals and blobs accept a value other than 2, teacher none. */
  classes?: number;
  seed: number;
}

export const DEFAULT_TRAIN_SIZE = 1000;
export const DEFAULT_TEST_SIZE = 500;
/** Upper limits that keep a request's data cheap (a few MB at most). */
export const MAX_TRAIN_SIZE = 20_000;
export const MAX_TEST_SIZE = 10_000;
/** Largest noise standard deviation accepted; beyond it every set is pure noise. */
export const MAX_NOISE = 10;
export const MIN_CLASSES = 2;
/** Most arms (spirals) or clusters (blobs). */
export const MAX_CLASSES = 10;

/**
 * Default noise per set, chosen so a small network can learn the set but not
 * trivially: spiral arms are ≈0.29 apart radially (two arms), the circles'
 * gap is 0.2, xor points keep 0.05 from the axes, blob centres on the unit
 * circle are ≥0.62 apart (10 blobs), clean teacher targets have a std of
 * about 0.3–1 (it depends on the drawn teacher).
 */
export const DEFAULT_NOISE: Readonly<Record<SyntheticName, number>> = {
  spirals: 0.1,
  circles: 0.05,
  xor: 0.05,
  blobs: 0.2,
  teacher: 0.05,
};

/** Default class count per set (null: regression). */
export const DEFAULT_CLASSES: Readonly<Record<SyntheticName, number | null>> = {
  spirals: 2,
  circles: 2,
  xor: 2,
  blobs: 3,
  teacher: null,
};

/** Teacher inputs: 8 features, enough that the target is not a plottable 2-D surface but still cheap. */
export const TEACHER_INPUT_WIDTH = 8;
export const TEACHER_HIDDEN_WIDTH = 16;

/** Turns of each spiral arm from the centre to radius 1 (TensorFlow Playground's 1.75). */
const SPIRAL_TURNS = 1.75;
/** Circles: class 0 is the disc r < 0.5, class 1 the ring 0.7 ≤ r < 1 (TensorFlow Playground's proportions). */
const INNER_RADIUS = 0.5;
const RING_INNER = 0.7;
/** Xor: each clean coordinate has |x| ≥ this margin, so no clean point sits on an axis. */
const XOR_MARGIN = 0.05;
/** Standard deviation of the teacher's hidden biases. */
const TEACHER_BIAS_STD = 0.5;

/**
 * Checks that `value` is an integer in [min, max] and returns it.
 * Shared by the loaders in this folder.
 */
export function requireCount(label: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${label} must be an integer in [${min}, ${max}], got ${value}`);
  }
  return value;
}

/** Draws one clean 2-D point of class k into out[0], out[1]. */
type PointSampler = (random: Random, k: number, out: [number, number]) => void;

function spiralSampler(classes: number): PointSampler {
  return (random, k, out) => {
    const r = random.uniform();
    const angle = (2 * Math.PI * k) / classes + 2 * Math.PI * SPIRAL_TURNS * r;
    out[0] = r * Math.cos(angle);
    out[1] = r * Math.sin(angle);
  };
}

const circleSampler: PointSampler = (random, k, out) => {
  const r = k === 0 ? INNER_RADIUS * random.uniform() : RING_INNER + (1 - RING_INNER) * random.uniform();
  const angle = 2 * Math.PI * random.uniform();
  out[0] = r * Math.cos(angle);
  out[1] = r * Math.sin(angle);
};

/** Class 1 where x1·x2 > 0 (first and third quadrants), class 0 elsewhere. */
const xorSampler: PointSampler = (random, k, out) => {
  const s1 = random.uniform() < 0.5 ? -1 : 1;
  const s2 = k === 1 ? s1 : -s1;
  out[0] = s1 * (XOR_MARGIN + (1 - XOR_MARGIN) * random.uniform());
  out[1] = s2 * (XOR_MARGIN + (1 - XOR_MARGIN) * random.uniform());
};

/** Cluster centres evenly on the unit circle; the spread is the noise alone. */
function blobSampler(classes: number): PointSampler {
  return (_random, k, out) => {
    const angle = (2 * Math.PI * k) / classes;
    out[0] = Math.cos(angle);
    out[1] = Math.sin(angle);
  };
}

function classificationSplit(random: Random, count: number, classes: number, noise: number, sample: PointSampler): DataSplit {
  const inputs = new Float64Array(2 * count);
  const labels = new Int32Array(count);
  const point: [number, number] = [0, 0];
  for (let i = 0; i < count; i++) {
    const k = i % classes;
    sample(random, k, point);
    inputs[2 * i] = point[0] + noise * random.normal();
    inputs[2 * i + 1] = point[1] + noise * random.normal();
    labels[i] = k;
  }
  return { count, inputs, labels, targets: null };
}

/** y = tanh(x·W1 + b1)·W2, W1 ~ N(0, 1/d), b1 ~ N(0, 0.25), W2 ~ N(0, 1/h); pre-activations are of order 1. */
interface Teacher {
  w1: Float64Array;
  b1: Float64Array;
  w2: Float64Array;
}

function drawTeacher(random: Random): Teacher {
  const d = TEACHER_INPUT_WIDTH;
  const h = TEACHER_HIDDEN_WIDTH;
  const w1 = new Float64Array(d * h);
  for (let i = 0; i < w1.length; i++) w1[i] = random.normal() / Math.sqrt(d);
  const b1 = new Float64Array(h);
  for (let j = 0; j < h; j++) b1[j] = TEACHER_BIAS_STD * random.normal();
  const w2 = new Float64Array(h);
  for (let j = 0; j < h; j++) w2[j] = random.normal() / Math.sqrt(h);
  return { w1, b1, w2 };
}

function teacherSplit(random: Random, count: number, noise: number, teacher: Teacher): DataSplit {
  const d = TEACHER_INPUT_WIDTH;
  const h = TEACHER_HIDDEN_WIDTH;
  const inputs = new Float64Array(d * count);
  const targets = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    for (let p = 0; p < d; p++) inputs[i * d + p] = random.normal();
    let y = 0;
    for (let j = 0; j < h; j++) {
      let z = teacher.b1[j] as number;
      for (let p = 0; p < d; p++) z += (inputs[i * d + p] as number) * (teacher.w1[p * h + j] as number);
      y += Math.tanh(z) * (teacher.w2[j] as number);
    }
    targets[i] = y + noise * random.normal();
  }
  return { count, inputs, labels: null, targets };
}

function resolveClasses(name: SyntheticName, classes: number | undefined): number | null {
  const fallback = DEFAULT_CLASSES[name];
  if (classes === undefined) return fallback;
  if (fallback === null) throw new RangeError(`${name} is a regression data set and takes no classes`);
  if (name === 'circles' || name === 'xor') {
    if (classes !== 2) throw new RangeError(`${name} has exactly 2 classes, got ${classes}`);
    return 2;
  }
  return requireCount('classes', classes, MIN_CLASSES, MAX_CLASSES);
}

/** Generates a synthetic data set; throws RangeError for out-of-range options. */
export function generateSynthetic(name: SyntheticName, options: SyntheticOptions): TrainingData {
  if (!SYNTHETIC_NAMES.includes(name)) throw new RangeError(`unknown synthetic data set ${String(name)}`);
  const trainSize = requireCount('trainSize', options.trainSize ?? DEFAULT_TRAIN_SIZE, 1, MAX_TRAIN_SIZE);
  const testSize = requireCount('testSize', options.testSize ?? DEFAULT_TEST_SIZE, 0, MAX_TEST_SIZE);
  const noise = options.noise ?? DEFAULT_NOISE[name];
  if (!Number.isFinite(noise) || noise < 0 || noise > MAX_NOISE) {
    throw new RangeError(`noise must be a number in [0, ${MAX_NOISE}], got ${noise}`);
  }
  const classes = resolveClasses(name, options.classes);
  const random = createRandom(options.seed);

  if (name === 'teacher') {
    const teacher = drawTeacher(random);
    const train = teacherSplit(random, trainSize, noise, teacher);
    const test = testSize > 0 ? teacherSplit(random, testSize, noise, teacher) : null;
    return { name, inputWidth: TEACHER_INPUT_WIDTH, classes: null, targetWidth: 1, train, test };
  }

  const k = classes as number;
  const sampler =
    name === 'spirals' ? spiralSampler(k) : name === 'circles' ? circleSampler : name === 'xor' ? xorSampler : blobSampler(k);
  const train = classificationSplit(random, trainSize, k, noise, sampler);
  const test = testSize > 0 ? classificationSplit(random, testSize, k, noise, sampler) : null;
  return { name, inputWidth: 2, classes: k, targetWidth: null, train, test };
}
