import { checkInterrupt } from '../linalg/interrupt.js';
import { createRandom, type Random } from '../random.js';
import { float32Arithmetic, float64Arithmetic, type Arithmetic, type Precision } from '../simulation/arithmetic.js';
import { trialSeed } from '../simulation/feedforward/run.js';
import { euclideanNorm, type FloatArray } from '../simulation/statistics.js';
import type { DataSplit, TrainingData } from './data/types.js';
import { lossOf, type LossType } from './losses.js';
import { Model, type TrainableLayerSpec, type TrainableModel } from './model.js';
import { SequenceModel, type SequenceModelSpec } from './sequence-model.js';
import { clipGradientNorm, createOptimizer, type Optimizer, type OptimizerSpec } from './optimizers.js';

/**
 * The training loop: mini-batch gradient descent on one network or a race of
 * variants, with the history of /work/shared/spec/training.md. Runs advance
 * in turn, one history entry at a time, so a streaming client sees every
 * run's curve grow together. Synchronous; float32 needs `await initLinalg()`
 * once in the thread first.
 *
 * Randomness, all from the request's seed: the weights of every run from
 * `seed` itself (variants of the same shapes and init start from the same
 * weights), the batch order from trialSeed(seed, 1), RReLU's training slopes
 * from trialSeed(seed, 2) (every run draws the same stream); the data from its own seed.
 */

export interface TrainingRunSpec {
  label: string;
  /** The hidden layers, then the output head (feed-forward runs). */
  layers: readonly TrainableLayerSpec[];
  /** A recurrent network instead (its input rows are whole sequences). */
  recurrent?: SequenceModelSpec;
  optimizer: OptimizerSpec;
}

export interface TrainingSpec {
  data: TrainingData;
  runs: readonly TrainingRunSpec[];
  loss: LossType;
  /** Global-norm clipping (clip_grad_norm_'s max_norm); null for none. */
  maxGradientNorm: number | null;
  steps: number;
  batchSize: number;
  shuffle: boolean;
  evaluateEvery: number;
  seed: number;
  precision: Precision;
  returnWeights: boolean;
}

export interface LayerEntry {
  index: number;
  gradientNorm: number;
  log10GradientNorm: number | null;
  updateRatio: number | null;
  fractionDead: number;
  fractionSaturated: number;
  params: Record<string, number>;
}

export interface TrainingEntry {
  step: number;
  /** Recurrent runs: ‖∂L/∂h_t‖ through time of the entry's mini-batch gradient. */
  throughTime?: { steps: number[]; log10Norms: (number | null)[]; log10Ratio: number | null };
  epoch: number;
  trainLoss: number;
  trainAccuracy: number | null;
  testLoss: number | null;
  testAccuracy: number | null;
  layers: LayerEntry[];
}

export interface TrainedLayer {
  weights: number[][];
  biases: number[] | null;
  params: Record<string, number>;
}

export interface TrainingRunResult {
  label: string;
  history: TrainingEntry[];
  final: TrainingEntry;
  /** The update whose loss (or clipped gradient, or the entry after it) was not finite: the run stopped there; null when it ran every step. */
  divergedAtStep: number | null;
  weights?: TrainedLayer[];
}

export interface TrainingResult {
  runs: TrainingRunResult[];
  seed: number;
  precision: Precision;
}

/** Rows per forward pass when a whole split is evaluated. */
export const EVALUATION_ROWS = 512;

/** The steps that get a history entry: 0, every `evaluateEvery`, and the last. */
export function entrySteps(steps: number, evaluateEvery: number): number[] {
  const entries: number[] = [];
  for (let step = 0; step < steps; step += evaluateEvery) entries.push(step);
  entries.push(steps);
  return entries;
}

export function train(spec: TrainingSpec, onEntry?: (label: string, entry: TrainingEntry) => void): TrainingResult {
  return spec.precision === 'float32' ? trainIn(spec, float32Arithmetic, onEntry) : trainIn(spec, float64Arithmetic, onEntry);
}

function trainIn<T extends FloatArray>(spec: TrainingSpec, arithmetic: Arithmetic<T>, onEntry?: (label: string, entry: TrainingEntry) => void): TrainingResult {
  const data = new PreparedData(spec.data, arithmetic);
  const runs = spec.runs.map((run) => new RunState(spec, run, data, arithmetic));
  const entries = entrySteps(spec.steps, spec.evaluateEvery);
  for (const run of runs) {
    const entry = run.start();
    onEntry?.(run.label, entry);
  }
  for (const target of entries.slice(1)) {
    for (const run of runs) {
      const entry = run.advanceTo(target);
      if (entry !== null) onEntry?.(run.label, entry);
    }
  }
  return { runs: runs.map((run) => run.result(spec.returnWeights)), seed: spec.seed, precision: spec.precision };
}

/** A split's inputs (and targets) in the run's precision, once. */
interface PreparedSplit<T extends FloatArray> {
  count: number;
  inputs: T;
  labels: Int32Array | null;
  targets: T | null;
}

class PreparedData<T extends FloatArray> {
  readonly train: PreparedSplit<T>;
  readonly test: PreparedSplit<T> | null;
  readonly targetWidth: number;

  constructor(
    readonly data: TrainingData,
    arithmetic: Arithmetic<T>,
  ) {
    const prepare = (split: DataSplit): PreparedSplit<T> => {
      const inputs = arithmetic.allocate(split.inputs.length);
      inputs.set(split.inputs);
      let targets: T | null = null;
      if (split.targets !== null) {
        targets = arithmetic.allocate(split.targets.length);
        targets.set(split.targets);
      }
      return { count: split.count, inputs, labels: split.labels, targets };
    };
    this.train = prepare(data.train);
    this.test = data.test === null || data.test.count === 0 ? null : prepare(data.test);
    this.targetWidth = data.targetWidth ?? 0;
  }
}

/**
 * Which training rows update s uses: positions s·B + j (j < B) of an endless
 * sequence of epochs, each a permutation of the n rows (a seeded Fisher–Yates
 * shuffle per epoch), or the rows in order without shuffling: (s·B + j) mod n.
 */
class BatchOrder {
  private epoch = -1;
  private order: Int32Array;
  private nextOrder: Int32Array | null = null;

  constructor(
    private readonly count: number,
    private readonly shuffle: boolean,
    private readonly random: Random,
  ) {
    this.order = Int32Array.from({ length: count }, (_, index) => index);
  }

  rowsOf(step: number, batchSize: number, out: Int32Array): void {
    for (let j = 0; j < batchSize; j += 1) {
      const position = step * batchSize + j;
      const index = position % this.count;
      out[j] = this.shuffle ? (this.permutation(Math.floor(position / this.count))[index] as number) : index;
    }
  }

  /** Epochs are asked for in order; a batch spans at most the current and the next. */
  private permutation(epoch: number): Int32Array {
    while (this.epoch < epoch) {
      if (this.nextOrder !== null) {
        this.order = this.nextOrder;
        this.nextOrder = null;
      } else {
        const order = Int32Array.from({ length: this.count }, (_, index) => index);
        for (let i = this.count - 1; i > 0; i -= 1) {
          const j = Math.floor(this.random.uniform() * (i + 1));
          const swap = order[i] as number;
          order[i] = order[j] as number;
          order[j] = swap;
        }
        this.order = order;
      }
      this.epoch += 1;
    }
    return this.order;
  }
}

interface SplitFigures {
  loss: number;
  accuracy: number | null;
  fractionDead: number[];
  fractionSaturated: number[];
  finite: boolean;
}

class RunState<T extends FloatArray> {
  readonly label: string;
  private readonly model: TrainableModel<T>;
  private readonly optimizer: Optimizer;
  private readonly order: BatchOrder;
  private readonly slopes: Random;
  private readonly batchRows: Int32Array;
  private readonly batchInputs: T;
  private readonly batchLabels: Int32Array;
  private readonly batchTargets: T;
  private readonly outputGradient: T;
  private readonly history: TrainingEntry[] = [];
  /** Updates applied. */
  private step = 0;
  /** Whether the gradient of update `step` is already in the parameters' gradients. */
  private gradientReady = false;
  private gradientNorms: number[] = [];
  private divergedAtStep: number | null = null;

  constructor(
    private readonly spec: TrainingSpec,
    run: TrainingRunSpec,
    private readonly data: PreparedData<T>,
    arithmetic: Arithmetic<T>,
  ) {
    this.label = run.label;
    const { batchSize } = spec;
    const rows = Math.max(batchSize, Math.min(EVALUATION_ROWS, Math.max(data.train.count, data.test?.count ?? 0)));
    const random = createRandom(spec.seed);
    this.model = run.recurrent === undefined ? new Model(arithmetic, spec.data.inputWidth, run.layers, random, rows) : new SequenceModel(arithmetic, run.recurrent, random, rows);
    this.optimizer = createOptimizer(run.optimizer, this.model.parameters);
    this.order = new BatchOrder(data.train.count, spec.shuffle, createRandom(trialSeed(spec.seed, 1)));
    this.slopes = createRandom(trialSeed(spec.seed, 2));
    this.batchRows = new Int32Array(batchSize);
    this.batchInputs = arithmetic.allocate(batchSize * spec.data.inputWidth);
    this.batchLabels = new Int32Array(batchSize);
    this.batchTargets = arithmetic.allocate(batchSize * Math.max(1, data.targetWidth));
    this.outputGradient = arithmetic.allocate(rows * this.model.outputWidth);
  }

  /** The entry at step 0: figures before any update, gradient norms of the first mini-batch. */
  start(): TrainingEntry {
    const figures = this.evaluateAll();
    const finiteGradient = this.computeGradient() && this.measureGradients();
    const entry = this.entryOf(figures, null);
    this.history.push(entry);
    if (!figures.train.finite || !finiteGradient) this.divergedAtStep = 0;
    return entry;
  }

  /** Applies updates up to `target` and returns its entry; null once the run has diverged. */
  advanceTo(target: number): TrainingEntry | null {
    if (this.divergedAtStep !== null) return null;
    while (this.step < target) {
      checkInterrupt();
      if (!this.gradientReady && !this.computeGradient()) return this.diverge();
      const last = this.step + 1 === target;
      let before: T[] | null = null;
      if (last) {
        if (!this.measureGradients()) return this.diverge();
        before = this.model.layers.map((layer) => layer.weights.values.slice() as T);
      }
      if (this.spec.maxGradientNorm !== null && !Number.isFinite(clipGradientNorm(this.model.parameters, this.spec.maxGradientNorm))) return this.diverge();
      this.optimizer.step();
      this.step += 1;
      this.gradientReady = false;
      if (before !== null) {
        const ratios = this.model.layers.map((layer, position) => updateRatio(layer.weights.values, before[position] as T));
        const figures = this.evaluateAll();
        if (!figures.train.finite) return this.diverge();
        const entry = this.entryOf(figures, ratios);
        this.history.push(entry);
        return entry;
      }
    }
    return null;
  }

  result(returnWeights: boolean): TrainingRunResult {
    const final = this.history[this.history.length - 1] as TrainingEntry;
    return {
      label: this.label,
      history: this.history,
      final,
      divergedAtStep: this.divergedAtStep,
      ...(returnWeights ? { weights: this.trainedLayers() } : {}),
    };
  }

  private diverge(): null {
    this.divergedAtStep = this.step;
    return null;
  }

  /** Forward and backward of update `step`'s batch (training mode); false when the loss is not finite. */
  private computeGradient(): boolean {
    const { batchSize } = this.spec;
    const width = this.spec.data.inputWidth;
    const split = this.data.train;
    this.order.rowsOf(this.step, batchSize, this.batchRows);
    for (let j = 0; j < batchSize; j += 1) {
      const row = this.batchRows[j] as number;
      this.batchInputs.set(split.inputs.subarray(row * width, (row + 1) * width), j * width);
      if (split.labels !== null) this.batchLabels[j] = split.labels[row] as number;
      if (split.targets !== null) {
        const targetWidth = this.data.targetWidth;
        this.batchTargets.set(split.targets.subarray(row * targetWidth, (row + 1) * targetWidth), j * targetWidth);
      }
    }
    const uniform = this.slopes.uniform;
    const { output } = this.model.forward(this.batchInputs, batchSize, 'train', uniform);
    const truth = { labels: split.labels === null ? null : this.batchLabels, targets: split.targets === null ? null : this.batchTargets };
    const { sum } = lossOf(this.spec.loss, output, batchSize, this.model.outputWidth, truth, this.outputGradient);
    if (!Number.isFinite(sum)) return false;
    this.model.backward(this.batchInputs, batchSize, this.outputGradient, uniform);
    this.gradientReady = true;
    return true;
  }

  /**
   * The weight-gradient norms of the update about to be applied, for the next
   * entry; false when one is not finite. Between entries nothing is checked
   * but the loss: a gradient or parameter that overflows makes the next loss
   * (or the entry's evaluation) non-finite, and the run stops there.
   */
  private measureGradients(): boolean {
    this.gradientNorms = this.model.layers.map((layer) => euclideanNorm(layer.weights.gradient, layer.weights.gradient.length));
    return this.gradientNorms.every(Number.isFinite);
  }

  private evaluateAll(): { train: SplitFigures; test: SplitFigures | null } {
    return { train: this.evaluate(this.data.train, true), test: this.data.test === null ? null : this.evaluate(this.data.test, false) };
  }

  /** Loss, accuracy and per-layer dead and (`withSlopes`) saturated fractions over a whole split, in evaluation mode. */
  private evaluate(split: PreparedSplit<T>, withSlopes: boolean): SplitFigures {
    const { model } = this;
    const width = this.spec.data.inputWidth;
    const outputWidth = model.outputWidth;
    const zeros = model.layers.map(() => 0);
    const saturated = model.layers.map(() => 0);
    let sum = 0;
    let correct = 0;
    for (let start = 0; start < split.count; start += model.rows) {
      const rows = Math.min(model.rows, split.count - start);
      const inputs = split.inputs.subarray(start * width, (start + rows) * width) as T;
      const { output, counts } = model.forward(inputs, rows, 'eval', this.slopes.uniform, withSlopes);
      const truth = {
        labels: split.labels === null ? null : split.labels.subarray(start, start + rows),
        targets: split.targets === null ? null : (split.targets.subarray(start * outputWidth, (start + rows) * outputWidth) as T),
      };
      const totals = lossOf(this.spec.loss, output, rows, outputWidth, truth, null);
      sum += totals.sum;
      correct += totals.correct;
      counts.zeros.forEach((count, position) => (zeros[position] = (zeros[position] as number) + count));
      counts.saturated.forEach((count, position) => (saturated[position] = (saturated[position] as number) + count));
    }
    const loss = sum / split.count;
    return {
      loss,
      accuracy: this.spec.loss === 'cross_entropy' ? correct / split.count : null,
      fractionDead: zeros.map((count, position) => count / (split.count * (model.countsPerExample[position]?.zeros ?? 1))),
      fractionSaturated: saturated.map((count, position) => count / (split.count * (model.countsPerExample[position]?.saturated ?? 1))),
      finite: Number.isFinite(loss),
    };
  }

  private entryOf(figures: { train: SplitFigures; test: SplitFigures | null }, ratios: (number | null)[] | null): TrainingEntry {
    const { train, test } = figures;
    return {
      step: this.step,
      ...(this.model instanceof SequenceModel ? { throughTime: this.model.throughTimeFigures() } : {}),
      epoch: (this.step * this.spec.batchSize) / this.data.train.count,
      trainLoss: train.loss,
      trainAccuracy: train.accuracy,
      testLoss: test?.loss ?? null,
      testAccuracy: test?.accuracy ?? null,
      layers: this.model.layers.map((layer, position) => {
        const gradientNorm = this.gradientNorms[position] ?? 0;
        return {
          index: layer.index,
          gradientNorm,
          log10GradientNorm: gradientNorm > 0 ? Math.log10(gradientNorm) : null,
          updateRatio: ratios?.[position] ?? null,
          fractionDead: train.fractionDead[position] as number,
          fractionSaturated: train.fractionSaturated[position] as number,
          params: this.model.learnedValues(layer),
        };
      }),
    };
  }

  private trainedLayers(): TrainedLayer[] {
    if (this.model instanceof SequenceModel) return this.model.trainedWeights().map((layer) => ({ ...layer, params: {} }));
    return this.model.layers.map((layer) => {
      const weights: number[][] = [];
      for (let row = 0; row < layer.fanIn; row += 1) weights.push(Array.from(layer.weights.values.subarray(row * layer.width, (row + 1) * layer.width)));
      return { weights, biases: layer.biases === null ? null : Array.from(layer.biases.values), params: this.model.learnedValues(layer) };
    });
  }
}


/** ‖W_after − W_before‖/‖W_before‖; null when ‖W_before‖ = 0. */
function updateRatio(after: FloatArray, before: FloatArray): number | null {
  let change = 0;
  let size = 0;
  for (let i = 0; i < after.length; i += 1) {
    const b = before[i] as number;
    change += ((after[i] as number) - b) ** 2;
    size += b * b;
  }
  return size === 0 ? null : Math.sqrt(change) / Math.sqrt(size);
}
