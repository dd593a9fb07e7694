import type { ResolvedActivation } from '../activations/resolve.js';
import { MAX_SEED } from '../random.js';
import { NetworkShapeError } from './errors.js';
import type { InitSpec } from './init.js';

/**
 * A stack of dense layers as the feed-forward simulator and the Jacobian
 * spectrum take it, and the checks of its shapes. Definitions:
 * /work/shared/spec/simulation.md ("Feed-forward networks").
 */

export interface FeedforwardLayerSpec {
  width: number;
  activation: ResolvedActivation;
  /** Used when `weights` is absent. */
  init: InitSpec;
  /** Whether the layer has a bias b^l (zeros unless `biases` is given). */
  bias: boolean;
  batchNorm: boolean;
  /**
   * Layer normalisation of the preactivation, per example over the layer's
   * units (ε 1e−5, biased variance, no affine), before φ: where batchNorm sits.
   */
  layerNorm?: boolean;
  /** a^l = a^{l−1} + φ(z^l); needs width = the previous width. */
  residual: boolean;
  /**
   * Where a residual block normalises (needs `residual`): `post-norm`
   * a^l = LN(a^{l−1} + φ(z^l)); `pre-norm` a^l = a^{l−1} + φ(LN(a^{l−1})·W^l + b^l).
   */
  residualNorm?: 'post-norm' | 'pre-norm';
  /** Explicit W^l: n_{l−1} rows of n_l numbers. */
  weights?: readonly (readonly number[])[];
  /** Explicit b^l (n_l numbers); needs `bias: true`. */
  biases?: readonly number[];
}

export const isCount = (value: number): boolean => Number.isSafeInteger(value) && value >= 1;

/** A positive input width and at least one layer; throws NetworkShapeError. */
export function checkNetworkSize(inputSize: number, layers: readonly FeedforwardLayerSpec[]): void {
  if (!isCount(inputSize)) throw new NetworkShapeError(null, 'inputSize', `must be a positive integer, got ${inputSize}`);
  if (layers.length === 0) throw new NetworkShapeError(null, 'layers', 'must hold at least one layer');
}

/** Throws RangeError unless the seed is an integer in [0, MAX_SEED]. */
export function checkSeed(seed: number): void {
  if (!Number.isSafeInteger(seed) || seed < 0 || seed > MAX_SEED) {
    throw new RangeError(`seed must be an integer in [0, ${MAX_SEED}], got ${seed}`);
  }
}

/**
 * n_0 … n_L, after checking every layer: its width, a residual layer's shape,
 * explicit weights and biases, identity on a square layer only. Throws
 * NetworkShapeError on the first problem.
 */
export function layerWidths(inputSize: number, layers: readonly FeedforwardLayerSpec[]): number[] {
  const widths = [inputSize];
  layers.forEach((layer, position) => {
    const index = position + 1;
    const fanIn = widths[position] as number;
    if (!isCount(layer.width)) throw new NetworkShapeError(index, 'width', `must be a positive integer, got ${layer.width}`);
    if (layer.residual && layer.width !== fanIn) {
      throw new NetworkShapeError(index, 'residual', `needs width ${fanIn} (the width of its input), got ${layer.width}`);
    }
    if (layer.layerNorm === true && layer.batchNorm) throw new NetworkShapeError(index, 'layerNorm', 'and batchNorm cannot both normalise one layer');
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
  return widths;
}

export function checkMatrix(
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
