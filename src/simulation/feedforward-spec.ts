import type { ResolvedActivation } from '../activations/resolve.js';
import { MAX_SEED } from '../random.js';
import { type InitSpec, initializationFlops } from './init.js';

/**
 * What a feed-forward simulation is asked to do, its validation and its cost.
 * Definitions: /work/shared/spec/simulation.md ("Feed-forward networks").
 */

export type Precision = 'float32' | 'float64';

export interface FeedforwardLayerSpec {
  width: number;
  activation: ResolvedActivation;
  /** Used when `weights` is absent. */
  init: InitSpec;
  /** Whether the layer has a bias b^l (zeros unless `biases` is given). */
  bias: boolean;
  batchNorm: boolean;
  /** a^l = a^{l−1} + φ(z^l); needs width = the previous width. */
  residual: boolean;
  /** Explicit W^l: n_{l−1} rows of n_l numbers. */
  weights?: readonly (readonly number[])[];
  /** Explicit b^l (n_l numbers); needs `bias: true`. */
  biases?: readonly number[];
}

/** X drawn per trial: `normal` scale·N(0, 1), `uniform` U(−scale, scale). */
export interface RandomInputSpec {
  batchSize: number;
  distribution: 'normal' | 'uniform';
  scale: number;
}

/** X given: one row per example, inputSize numbers each. */
export interface ExplicitInputSpec {
  values: readonly (readonly number[])[];
}

export type FeedforwardInputSpec = RandomInputSpec | ExplicitInputSpec;

export interface FeedforwardLossSpec {
  /** `mse`: L = ‖a^L − Y‖²/(2B); `sum`: L = Σ a^L / B. */
  type: 'mse' | 'sum';
  /** mse only: Y, batch × output width; drawn from N(0, 1) per trial when absent. */
  targets?: readonly (readonly number[])[];
}

export interface FeedforwardSpec {
  inputSize: number;
  layers: readonly FeedforwardLayerSpec[];
  input: FeedforwardInputSpec;
  loss: FeedforwardLossSpec;
  trials: number;
  seed: number;
  /**
   * Arithmetic of the simulation. Default: float64 when any layer has explicit
   * weights (small networks someone wants exact answers for), else float32
   * through the GEMM engine (`await initLinalg()` first). See feedforward.ts.
   */
  precision?: Precision;
}

/**
 * A request whose shapes do not fit together. `layer` is 1-based (null for the
 * input or the loss); `field` names the offending request field. Maps to 400.
 */
export class NetworkShapeError extends Error {
  override name = 'NetworkShapeError';
  constructor(
    readonly layer: number | null,
    readonly field: string,
    detail: string,
  ) {
    super(layer === null ? `${field}: ${detail}` : `layer ${layer}: ${field} ${detail}`);
  }
}

/** The validated dimensions of a simulation. */
export interface FeedforwardPlan {
  batchSize: number;
  /** n_0 … n_L. */
  widths: readonly number[];
  precision: Precision;
}

const isCount = (value: number): boolean => Number.isSafeInteger(value) && value >= 1;

/** Checks every shape and count; throws NetworkShapeError (or RangeError for trials/seed) on the first problem. */
export function planFeedforward(spec: FeedforwardSpec): FeedforwardPlan {
  if (!isCount(spec.inputSize)) throw new NetworkShapeError(null, 'inputSize', `must be a positive integer, got ${spec.inputSize}`);
  if (spec.layers.length === 0) throw new NetworkShapeError(null, 'layers', 'must hold at least one layer');
  if (!isCount(spec.trials)) throw new RangeError(`trials must be a positive integer, got ${spec.trials}`);
  if (!Number.isSafeInteger(spec.seed) || spec.seed < 0 || spec.seed > MAX_SEED) {
    throw new RangeError(`seed must be an integer in [0, ${MAX_SEED}], got ${spec.seed}`);
  }

  const widths = [spec.inputSize];
  spec.layers.forEach((layer, position) => {
    const index = position + 1;
    const fanIn = widths[position] as number;
    if (!isCount(layer.width)) throw new NetworkShapeError(index, 'width', `must be a positive integer, got ${layer.width}`);
    if (layer.residual && layer.width !== fanIn) {
      throw new NetworkShapeError(index, 'residual', `needs width ${fanIn} (the width of its input), got ${layer.width}`);
    }
    if (layer.weights !== undefined) {
      checkMatrix(layer.weights, fanIn, layer.width, index, 'weights', 'its input width');
    } else if (layer.init.scheme === 'identity' && layer.width !== fanIn) {
      throw new NetworkShapeError(index, 'init', `identity needs a square layer, got ${fanIn} → ${layer.width}`);
    }
    if (layer.biases !== undefined) {
      if (!layer.bias) throw new NetworkShapeError(index, 'biases', 'are given but the layer has bias: false');
      if (layer.biases.length !== layer.width) {
        throw new NetworkShapeError(index, 'biases', `must hold ${layer.width} numbers (the layer width), got ${layer.biases.length}`);
      }
      checkFinite(layer.biases, index, 'biases');
    }
    widths.push(layer.width);
  });

  let batchSize: number;
  if ('values' in spec.input) {
    batchSize = spec.input.values.length;
    if (batchSize === 0) throw new NetworkShapeError(null, 'input.values', 'must hold at least one row');
    checkMatrix(spec.input.values, batchSize, spec.inputSize, null, 'input.values', 'the batch size');
  } else {
    batchSize = spec.input.batchSize;
    if (!isCount(batchSize)) throw new NetworkShapeError(null, 'input.batchSize', `must be a positive integer, got ${batchSize}`);
    if (!(Number.isFinite(spec.input.scale) && spec.input.scale >= 0)) {
      throw new NetworkShapeError(null, 'input.scale', `must be a finite number ≥ 0, got ${spec.input.scale}`);
    }
  }

  const targets = spec.loss.targets;
  if (targets !== undefined) {
    if (spec.loss.type !== 'mse') throw new NetworkShapeError(null, 'loss.targets', 'are only used by the mse loss');
    checkMatrix(targets, batchSize, widths[widths.length - 1] as number, null, 'loss.targets', 'the batch size');
  }

  const precision = spec.precision ?? (spec.layers.some((layer) => layer.weights !== undefined) ? 'float64' : 'float32');
  return { batchSize, widths, precision };
}

function checkMatrix(
  matrix: readonly (readonly number[])[],
  rows: number,
  columns: number,
  layer: number | null,
  field: string,
  rowsMeaning: string,
): void {
  if (matrix.length !== rows) throw new NetworkShapeError(layer, field, `must have ${rows} rows (${rowsMeaning}), got ${matrix.length}`);
  matrix.forEach((row, rowIndex) => {
    if (row.length !== columns) {
      throw new NetworkShapeError(layer, field, `row ${rowIndex + 1} must hold ${columns} numbers, got ${row.length}`);
    }
    checkFinite(row, layer, field);
  });
}

function checkFinite(values: readonly number[], layer: number | null, field: string): void {
  if (!values.every((value) => Number.isFinite(value))) throw new NetworkShapeError(layer, field, 'must hold finite numbers only');
}

/** Floating-point work per activation element, forward + backward (φ, φ′, statistics, norms): a rough, generous figure. */
const ELEMENTWISE_FLOPS = 40;

/**
 * Rates to weigh the parts by on the 2-core host: products ~25 GFLOP/s in
 * float32 on tfjs-wasm (~100+ on onnxruntime), ~1 GFLOP/s in float64 JS loops;
 * initialisation ~0.5 GFLOP/s for orthogonal's QR and ~25–50 ns per weight drawn.
 */
export interface FeedforwardCost {
  /** Everything, all trials: productFlops + initializationFlops. */
  flops: number;
  /** The 3L − 1 products per trial plus elementwise work (φ, φ′, statistics, norms). */
  productFlops: number;
  /** One unit per random number drawn (X, Y, weights), orthogonal's QR counted in flops; all trials. */
  initializationFlops: number;
  /** Peak working memory in bytes. */
  bytes: number;
  precision: Precision;
}

/** Cost of `simulateFeedforward(spec)`, for a request limit; validates the shapes first (throws like it). */
export function estimateFeedforwardCost(spec: FeedforwardSpec): FeedforwardCost {
  const { batchSize, widths, precision } = planFeedforward(spec);
  const elementBytes = precision === 'float32' ? 4 : 8;
  let productFlops = 0;
  const outputWidth = widths[widths.length - 1] as number;
  // Random draws of X and Y count like weights.
  let initFlops =
    ('values' in spec.input ? 0 : batchSize * spec.inputSize) +
    (spec.loss.type === 'mse' && spec.loss.targets === undefined ? batchSize * outputWidth : 0);
  let weightElements = 0;
  let activationElements = batchSize * spec.inputSize;
  let largestWidth = spec.inputSize;
  let largestMatrix = 0;
  let orthogonalScratch = 0;
  spec.layers.forEach((layer, position) => {
    const fanIn = widths[position] as number;
    const width = layer.width;
    const products = position === 0 ? 2 : 3;
    productFlops += products * 2 * batchSize * fanIn * width + ELEMENTWISE_FLOPS * batchSize * width;
    if (layer.weights === undefined) {
      initFlops += initializationFlops(layer.init.scheme, fanIn, width);
      if (layer.init.scheme === 'orthogonal') orthogonalScratch = Math.max(orthogonalScratch, 3 * 8 * fanIn * width);
    }
    weightElements += fanIn * width;
    activationElements += batchSize * width * (layer.batchNorm ? 3 : 2);
    largestWidth = Math.max(largestWidth, width);
    largestMatrix = Math.max(largestMatrix, fanIn * width);
  });
  const scratchElements = 4 * batchSize * largestWidth + largestMatrix;
  const bytes =
    elementBytes * (weightElements + activationElements + scratchElements) +
    8 * (batchSize * outputWidth + 4 * largestWidth) +
    orthogonalScratch;
  return {
    flops: spec.trials * (productFlops + initFlops),
    productFlops: spec.trials * productFlops,
    initializationFlops: spec.trials * initFlops,
    bytes,
    precision,
  };
}
