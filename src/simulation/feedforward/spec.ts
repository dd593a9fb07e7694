import type { Precision } from '../arithmetic.js';
import { NetworkShapeError } from '../errors.js';
import { checkMatrix, checkNetworkSize, checkSeed, type FeedforwardLayerSpec, isCount, layerWidths } from '../network.js';

/**
 * What a feed-forward simulation is asked to do, and its validation (the
 * layers' own checks are network.ts's, shared with the Jacobian).
 * Definitions: /work/shared/spec/simulation.md ("Feed-forward networks").
 */

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
   * through the GEMM engine (`await initLinalg()` first). See run.ts.
   */
  precision?: Precision;
}

/** The validated dimensions of a simulation. */
export interface FeedforwardPlan {
  batchSize: number;
  /** n_0 … n_L. */
  widths: readonly number[];
  precision: Precision;
}

/** Checks every shape and count; throws NetworkShapeError (or RangeError for trials/seed) on the first problem. */
export function planFeedforward(spec: FeedforwardSpec): FeedforwardPlan {
  checkNetworkSize(spec.inputSize, spec.layers);
  if (!isCount(spec.trials)) throw new RangeError(`trials must be a positive integer, got ${spec.trials}`);
  checkSeed(spec.seed);
  const widths = layerWidths(spec.inputSize, spec.layers);

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
