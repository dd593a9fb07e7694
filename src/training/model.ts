import type { ScalarKernel } from '../activations/types.js';
import type { ResolvedActivation } from '../activations/resolve.js';
import type { Random } from '../random.js';
import type { Arithmetic } from '../simulation/arithmetic.js';
import { BATCH_NORM_EPSILON, batchNormBackward, layerNormalize, layerNormBackward } from '../simulation/feedforward/layer.js';
import { heNegativeSlope, initializeWeightsInto } from '../simulation/init.js';
import type { FeedforwardLayerSpec } from '../simulation/network.js';
import type { FloatArray } from '../simulation/statistics.js';
import { SATURATION_DERIVATIVE } from '../simulation/thresholds.js';

/**
 * A trainable feed-forward network: dense layers with their parameters, the
 * forward pass (training or evaluation mode) and the exact backward pass of a
 * batch. Every parameter is a tensor of the run's precision (Float32Array for
 * float32, as PyTorch's float32 parameters; Float64Array for float64), with a
 * gradient tensor beside it; the optimizer (optimizers.ts) sees only that list.
 * Definitions: /work/shared/spec/training.md.
 */

/** Batch-norm momentum of the running statistics, torch.nn.BatchNorm1d's default (ε is the simulations', also PyTorch's: 1e-5). */
export const BATCH_NORM_MOMENTUM = 0.1;

/** A hidden layer or the output head: the simulations' layer (the head has no batch norm and no skip). */
export type TrainableLayerSpec = FeedforwardLayerSpec;

/** A tensor the optimizer updates, and its gradient. */
export interface Parameter<T extends FloatArray = FloatArray> {
  /** `layer 3 weights`, `layer 2 alpha`: for messages. */
  name: string;
  values: T;
  gradient: T;
}

export interface DenseLayer<T extends FloatArray> {
  /** 1-based; the output head is last. */
  index: number;
  fanIn: number;
  width: number;
  activation: ResolvedActivation;
  batchNorm: boolean;
  layerNorm: boolean;
  residual: boolean;
  residualNorm: 'post-norm' | 'pre-norm' | null;
  weights: Parameter<T>;
  biases: Parameter<T> | null;
  /** The activation's learnable parameters (PReLU alpha, swish beta), one value each (tensors of length 1). */
  learned: Record<string, Parameter<T>>;
  runningMean: Float64Array | null;
  runningVariance: Float64Array | null;
}

/** Per-layer buffers of one forward pass, for `rows` examples at most. */
interface PassBuffers<T extends FloatArray> {
  /** What φ saw: z = a·W + b, or its batch-normalised ẑ. */
  input: T[];
  output: T[];
  derivative: T[];
  /** 1/√(σ² + ε) per unit (batch-norm layers). */
  inverseStd: (Float64Array | null)[];
  /** 1/σ per example: of z (layer norm), of a^{l−1} (pre-norm, whose LN(a^{l−1}) is kept too), of the block's sum (post-norm). */
  layerInverseStd: (Float64Array | null)[];
  preNormalized: (T | null)[];
  preInverseStd: (Float64Array | null)[];
  postInverseStd: (Float64Array | null)[];
}

/** Counts of one forward pass per layer: outputs exactly 0, and |φ′| < SATURATION_DERIVATIVE. */
export interface PassCounts {
  zeros: number[];
  saturated: number[];
}

export type Mode = 'train' | 'eval';

/** What the training loop (train.ts) needs of a network: the feed-forward Model, or the recurrent SequenceModel. */
export interface TrainableModel<T extends FloatArray> {
  /** One entry per layer the history reports (their weights' gradient norms and update ratios). */
  readonly layers: DenseLayer<T>[];
  readonly parameters: Parameter<T>[];
  readonly outputWidth: number;
  /** Most rows a pass may hold. */
  readonly rows: number;
  /** Per layer, how many values one example contributes to `zeros` and to `saturated`. */
  readonly countsPerExample: { zeros: number; saturated: number }[];
  learnedValues(layer: DenseLayer<T>): Record<string, number>;
  forward(x: T, rows: number, mode: Mode, uniform: () => number, withSlopes?: boolean): { output: T; counts: PassCounts };
  backward(x: T, rows: number, outputGradient: T, uniform: () => number): void;
}

export class Model<T extends FloatArray> implements TrainableModel<T> {
  readonly layers: DenseLayer<T>[];
  readonly parameters: Parameter<T>[];
  readonly outputWidth: number;
  readonly countsPerExample: { zeros: number; saturated: number }[];
  private readonly buffers: PassBuffers<T>;
  /** ∂L/∂a^l on the way down, and δ = ∂L/∂z^l. */
  private readonly gradient: T;
  private readonly nextGradient: T;
  private readonly unitSums: Float64Array;
  private readonly unitProducts: Float64Array;

  /**
   * Weights are drawn from `random` layer by layer, in order, where not given
   * (the simulations' schemes, He corrected for a leaky slope); biases start
   * at 0 unless given. `rows` bounds every batch the model will see.
   */
  constructor(
    readonly arithmetic: Arithmetic<T>,
    readonly inputWidth: number,
    specs: readonly TrainableLayerSpec[],
    random: Random,
    readonly rows: number,
  ) {
    const allocate = (length: number): T => arithmetic.allocate(length);
    let fanIn = inputWidth;
    this.layers = specs.map((spec, position) => {
      const weights = allocate(fanIn * spec.width);
      if (spec.weights !== undefined) fillRows(weights, spec.weights);
      else initializeWeightsInto(spec.init, fanIn, spec.width, random, heNegativeSlope(spec.activation.record.id, spec.activation.params), weights);
      const index = position + 1;
      const tensor = (name: string, values: T): Parameter<T> => ({ name: `layer ${index} ${name}`, values, gradient: allocate(values.length) });
      let biases: Parameter<T> | null = null;
      if (spec.bias) {
        const values = allocate(spec.width);
        if (spec.biases !== undefined) values.set(spec.biases);
        biases = tensor('biases', values);
      }
      const learned: Record<string, Parameter<T>> = {};
      for (const name of learnableParameters(spec.activation)) {
        const values = allocate(1);
        values[0] = spec.activation.params[name] as number;
        learned[name] = tensor(name, values);
      }
      const layer: DenseLayer<T> = {
        index,
        fanIn,
        width: spec.width,
        activation: spec.activation,
        batchNorm: spec.batchNorm,
        layerNorm: spec.layerNorm === true,
        residual: spec.residual,
        residualNorm: spec.residualNorm ?? null,
        weights: tensor('weights', weights),
        biases,
        learned,
        runningMean: spec.batchNorm ? new Float64Array(spec.width) : null,
        runningVariance: spec.batchNorm ? new Float64Array(spec.width).fill(1) : null,
      };
      fanIn = spec.width;
      return layer;
    });
    this.outputWidth = fanIn;
    this.countsPerExample = this.layers.map((layer) => ({ zeros: layer.width, saturated: layer.width }));
    this.parameters = this.layers.flatMap((layer) => [layer.weights, ...(layer.biases === null ? [] : [layer.biases]), ...Object.values(layer.learned)]);
    this.buffers = {
      input: this.layers.map((layer) => allocate(rows * layer.width)),
      output: this.layers.map((layer) => allocate(rows * layer.width)),
      derivative: this.layers.map((layer) => allocate(rows * layer.width)),
      inverseStd: this.layers.map((layer) => (layer.batchNorm ? new Float64Array(layer.width) : null)),
      layerInverseStd: this.layers.map((layer) => (layer.layerNorm ? new Float64Array(rows) : null)),
      preNormalized: this.layers.map((layer) => (layer.residualNorm === 'pre-norm' ? allocate(rows * layer.fanIn) : null)),
      preInverseStd: this.layers.map((layer) => (layer.residualNorm === 'pre-norm' ? new Float64Array(rows) : null)),
      postInverseStd: this.layers.map((layer) => (layer.residualNorm === 'post-norm' ? new Float64Array(rows) : null)),
    };
    const widest = Math.max(inputWidth, ...this.layers.map((layer) => layer.width));
    this.gradient = allocate(rows * widest);
    this.nextGradient = allocate(rows * widest);
    this.unitSums = new Float64Array(widest);
    this.unitProducts = new Float64Array(widest);
  }

  /** The current values of a layer's learnable activation parameters. */
  learnedValues(layer: DenseLayer<T>): Record<string, number> {
    return Object.fromEntries(Object.entries(layer.learned).map(([name, parameter]) => [name, parameter.values[0] as number]));
  }

  /**
   * Forward pass of `rows` examples (row-major in `x`). Training mode: batch
   * statistics (and the running averages updated), RReLU slopes drawn from
   * `uniform`. Evaluation mode: running statistics, RReLU's mean slope.
   * Returns the network's output (a view valid until the next pass) and the
   * counts; without `withSlopes` (an evaluation that reports no saturation)
   * φ′ is not computed and the saturated counts are 0.
   */
  forward(x: T, rows: number, mode: Mode, uniform: () => number, withSlopes = true): { output: T; counts: PassCounts } {
    if (rows > this.rows) throw new RangeError(`forward: ${rows} rows, the model holds buffers for ${this.rows}`);
    const counts: PassCounts = { zeros: [], saturated: [] };
    let previous = x;
    this.layers.forEach((layer, position) => {
      const { width } = layer;
      const count = rows * width;
      const z = this.buffers.input[position] as T;
      const preNormalized = this.buffers.preNormalized[position] as T | null;
      if (preNormalized !== null) layerNormalize(previous, preNormalized, this.buffers.preInverseStd[position] as Float64Array, rows, layer.fanIn);
      this.arithmetic.product(preNormalized ?? previous, rows, layer.fanIn, layer.weights.values, width, z);
      if (layer.biases !== null) addRowVector(z, layer.biases.values, rows, width);
      if (layer.batchNorm) this.normalize(layer, z, rows, this.buffers.inverseStd[position] as Float64Array, mode);
      if (layer.layerNorm) layerNormalize(z, z, this.buffers.layerInverseStd[position] as Float64Array, rows, width);
      const kernel: ScalarKernel = layer.activation.record.kernel({ ...layer.activation.params, ...this.learnedValues(layer) }, { mode, count, uniform });
      const out = this.buffers.output[position] as T;
      const derivative = this.buffers.derivative[position] as T;
      const skip = layer.residual ? previous : null;
      let zeros = 0;
      let saturated = 0;
      if (layer.activation.record.id === 'identity' && skip === null) {
        // The linear head: no kernel calls (φ′ = 1, never saturated).
        out.set(z.subarray(0, count));
        if (withSlopes) derivative.fill(1, 0, count);
        for (let i = 0; i < count; i += 1) if (out[i] === 0) zeros += 1;
        counts.zeros.push(zeros);
        counts.saturated.push(0);
        previous = out;
        return;
      }
      for (let i = 0; i < count; i += 1) {
        const input = z[i] as number;
        if (withSlopes) {
          const slope = kernel.derivative(input, i);
          derivative[i] = slope;
          if (Math.abs(slope) < SATURATION_DERIVATIVE) saturated += 1;
        }
        out[i] = skip === null ? kernel.value(input, i) : (skip[i] as number) + kernel.value(input, i);
        if (out[i] === 0) zeros += 1;
      }
      const postInverseStd = this.buffers.postInverseStd[position] as Float64Array | null;
      if (postInverseStd !== null) {
        layerNormalize(out, out, postInverseStd, rows, width);
        zeros = 0;
        for (let i = 0; i < count; i += 1) if (out[i] === 0) zeros += 1;
      }
      counts.zeros.push(zeros);
      counts.saturated.push(saturated);
      previous = out;
    });
    return { output: previous, counts };
  }

  /**
   * Given ∂L/∂(output) of the last forward pass (training mode, same `x` and
   * `rows`), writes every parameter's gradient (overwriting: one batch's).
   * `outputGradient` is read only.
   */
  backward(x: T, rows: number, outputGradient: T, uniform: () => number): void {
    const gradient = this.gradient;
    gradient.set(outputGradient.subarray(0, rows * this.outputWidth));
    for (let position = this.layers.length - 1; position >= 0; position -= 1) {
      const layer = this.layers[position] as DenseLayer<T>;
      const { width, fanIn } = layer;
      const count = rows * width;
      const input = this.buffers.input[position] as T;
      const derivative = this.buffers.derivative[position] as T;
      const postInverseStd = this.buffers.postInverseStd[position] as Float64Array | null;
      // Post-norm: ∂L/∂(a^{l−1} + φ(z)) through the normalisation, in place.
      if (postInverseStd !== null) layerNormBackward(gradient, this.buffers.output[position] as T, postInverseStd, rows, width, gradient);
      const learnedNames = Object.keys(layer.learned);
      if (learnedNames.length > 0) {
        // The kernel's ∂φ/∂θ at the values φ saw; its slopes (RReLU) are not drawn again: no learnable RReLU.
        const kernel = layer.activation.record.kernel({ ...layer.activation.params, ...this.learnedValues(layer) }, { mode: 'train', count, uniform });
        for (const name of learnedNames) {
          const partial = kernel.paramGradients[name];
          if (partial === undefined) continue;
          let sum = 0;
          for (let i = 0; i < count; i += 1) sum += (gradient[i] as number) * partial(input[i] as number, i);
          (layer.learned[name] as Parameter<T>).gradient[0] = sum;
        }
      }
      // δ = ∂L/∂z: ∂L/∂a ⊙ φ′, then back through the batch statistics.
      const delta = this.nextGradient;
      if (layer.batchNorm) {
        this.unitSums.fill(0, 0, width);
        batchNormBackward(gradient, derivative, input, this.buffers.inverseStd[position] as Float64Array, rows, width, delta, this.unitSums, this.unitProducts);
      } else {
        for (let i = 0; i < count; i += 1) delta[i] = (gradient[i] as number) * (derivative[i] as number);
      }
      if (layer.layerNorm) layerNormBackward(delta, input, this.buffers.layerInverseStd[position] as Float64Array, rows, width, delta);
      const preNormalized = this.buffers.preNormalized[position] as T | null;
      const previous = preNormalized ?? (position === 0 ? x : (this.buffers.output[position - 1] as T));
      this.arithmetic.productTransA(previous, rows, fanIn, delta, width, layer.weights.gradient);
      if (layer.biases !== null) columnSums(delta, rows, width, layer.biases.gradient);
      if (position === 0) break;
      // ∂L/∂a^{l−1} = δ·Wᵀ (+ ∂L/∂a^l through the skip connection), into the buffer ∂L/∂a^l leaves.
      const skipGradient = layer.residual ? gradient : null;
      if (skipGradient !== null) {
        // δ·Wᵀ needs its own output buffer while ∂L/∂a^l is still read: use the layer's input buffer (free now).
        const product = input;
        this.arithmetic.productTransB(delta, rows, width, layer.weights.values, fanIn, product);
        if (preNormalized !== null) layerNormBackward(product, preNormalized, this.buffers.preInverseStd[position] as Float64Array, rows, fanIn, product);
        for (let i = 0; i < rows * fanIn; i += 1) gradient[i] = (product[i] as number) + (skipGradient[i] as number);
      } else {
        this.arithmetic.productTransB(delta, rows, width, layer.weights.values, fanIn, gradient);
      }
    }
  }

  /**
   * ẑ in place of z. Training: per unit the batch mean and biased variance,
   * and the running averages (the unbiased variance) moved by the momentum, as
   * torch.nn.BatchNorm1d(affine=False). Evaluation: the running statistics.
   */
  private normalize(layer: DenseLayer<T>, z: T, rows: number, inverseStd: Float64Array, mode: Mode): void {
    const width = layer.width;
    const runningMean = layer.runningMean as Float64Array;
    const runningVariance = layer.runningVariance as Float64Array;
    const mean = this.unitSums;
    if (mode === 'eval') {
      for (let j = 0; j < width; j += 1) {
        mean[j] = runningMean[j] as number;
        inverseStd[j] = 1 / Math.sqrt((runningVariance[j] as number) + BATCH_NORM_EPSILON);
      }
    } else {
      mean.fill(0, 0, width);
      for (let b = 0; b < rows; b += 1) {
        const row = b * width;
        for (let j = 0; j < width; j += 1) mean[j] = (mean[j] as number) + (z[row + j] as number);
      }
      for (let j = 0; j < width; j += 1) mean[j] = (mean[j] as number) / rows;
      const squares = this.unitProducts;
      squares.fill(0, 0, width);
      for (let b = 0; b < rows; b += 1) {
        const row = b * width;
        for (let j = 0; j < width; j += 1) {
          const centred = (z[row + j] as number) - (mean[j] as number);
          squares[j] = (squares[j] as number) + centred * centred;
        }
      }
      for (let j = 0; j < width; j += 1) {
        const variance = (squares[j] as number) / rows;
        inverseStd[j] = 1 / Math.sqrt(variance + BATCH_NORM_EPSILON);
        runningMean[j] = (1 - BATCH_NORM_MOMENTUM) * (runningMean[j] as number) + BATCH_NORM_MOMENTUM * (mean[j] as number);
        runningVariance[j] = (1 - BATCH_NORM_MOMENTUM) * (runningVariance[j] as number) + BATCH_NORM_MOMENTUM * ((squares[j] as number) / (rows - 1));
      }
    }
    for (let b = 0; b < rows; b += 1) {
      const row = b * width;
      for (let j = 0; j < width; j += 1) z[row + j] = ((z[row + j] as number) - (mean[j] as number)) * (inverseStd[j] as number);
    }
  }
}

/** Names of the parameters the activation learns (those with ∂f/∂θ: PReLU alpha, swish beta). */
export function learnableParameters(activation: ResolvedActivation): string[] {
  const kernel = activation.record.kernel(activation.params, { mode: 'eval', count: 1, uniform: () => 0.5 });
  return Object.keys(kernel.paramGradients);
}

function addRowVector(matrix: FloatArray, vector: FloatArray, rows: number, width: number): void {
  for (let b = 0; b < rows; b += 1) {
    const row = b * width;
    for (let j = 0; j < width; j += 1) matrix[row + j] = (matrix[row + j] as number) + (vector[j] as number);
  }
}

function columnSums(matrix: FloatArray, rows: number, width: number, out: FloatArray): void {
  out.fill(0, 0, width);
  for (let b = 0; b < rows; b += 1) {
    const row = b * width;
    for (let j = 0; j < width; j += 1) out[j] = (out[j] as number) + (matrix[row + j] as number);
  }
}

function fillRows(out: FloatArray, rows: readonly (readonly number[])[]): void {
  let offset = 0;
  for (const row of rows) {
    out.set(row, offset);
    offset += row.length;
  }
}
