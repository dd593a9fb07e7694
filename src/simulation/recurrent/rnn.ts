import type { ScalarKernel } from '../../activations/types.js';
import type { Arithmetic } from '../arithmetic.js';
import {
  type CellMatrices,
  createGradientNorms,
  type GradientNorms,
  type GradientObserver,
  moments,
  type Moments,
  recordNorm,
  RecurrentOverflowError,
  rescaleExponent,
  type RecurrentData,
  scaleInto,
  type StateInjection,
} from './core.js';
import { euclideanNorm, type FloatArray } from '../statistics.js';
import { SATURATION_DERIVATIVE } from '../thresholds.js';

/**
 * Vanilla RNN h_t = φ(x_t W_x + h_{t−1} W_h + b), h_0 = 0, and its backward
 * pass through time.
 */

export interface RnnWeights<M extends FloatArray> extends CellMatrices<M> {
  /** b = b_ih + b_hh, hiddenSize; null for b = 0 (drawn weights), which is then not added at all. */
  bias: Float64Array | null;
}

export interface RnnStepStatistics {
  hidden: Moments;
  fractionSaturated: number;
}

export interface RnnTrajectory<M extends FloatArray> {
  /** z_t = x_t W_x + h_{t−1} W_h + b for every step, (steps·B) × H; the backward pass needs only these. */
  preactivations: M;
  /** h_T (after any injection), B × H. */
  finalHidden: M;
  statistics: RnnStepStatistics[];
  /** L = (1/(2B)) ‖h_T − Y‖². */
  loss: number;
}

export function forwardRnn<M extends FloatArray>(
  arithmetic: Arithmetic<M>,
  data: RecurrentData<M>,
  weights: RnnWeights<M>,
  activation: ScalarKernel,
  injection?: StateInjection,
): RnnTrajectory<M> {
  const { steps, batchSize, inputSize, hiddenSize } = data;
  const stepSize = batchSize * hiddenSize;
  const preactivations = arithmetic.allocate(steps * stepSize);
  arithmetic.product(data.inputs, steps * batchSize, inputSize, weights.input, hiddenSize, preactivations);
  const hidden = arithmetic.allocate(stepSize);
  const recurrentTerm = arithmetic.allocate(stepSize);
  const statistics: RnnStepStatistics[] = [];
  for (let t = 1; t <= steps; t += 1) {
    const offset = (t - 1) * stepSize;
    if (t > 1) arithmetic.product(hidden, batchSize, hiddenSize, weights.recurrent, hiddenSize, recurrentTerm);
    let saturated = 0;
    for (let k = 0; k < stepSize; k += 1) {
      if (t > 1) preactivations[offset + k] = (preactivations[offset + k] as number) + (recurrentTerm[k] as number);
      if (weights.bias !== null) preactivations[offset + k] = (preactivations[offset + k] as number) + (weights.bias[k % hiddenSize] as number);
      const preactivation = preactivations[offset + k] as number;
      hidden[k] = activation.value(preactivation, k);
      if (injection?.t === t) hidden[k] = (hidden[k] as number) + (injection.delta[k] as number);
      if (!Number.isFinite(preactivation) || !Number.isFinite(hidden[k])) throw new RecurrentOverflowError(t, arithmetic.precision);
      if (Math.abs(activation.derivative(preactivation, k)) < SATURATION_DERIVATIVE) saturated += 1;
    }
    statistics.push({ hidden: moments(hidden), fractionSaturated: saturated / stepSize });
  }
  let squaredError = 0;
  for (let k = 0; k < stepSize; k += 1) {
    const error = (hidden[k] as number) - (data.targets[k] as number);
    squaredError += error * error;
  }
  return { preactivations, finalHidden: hidden, statistics, loss: squaredError / (2 * batchSize) };
}

/**
 * ‖∂L/∂h_t‖ for t = T … 1 by backpropagation through time:
 *   ∂L/∂h_T = (h_T − Y)/B,  ∂L/∂z_t = ∂L/∂h_t ⊙ φ′(z_t),  ∂L/∂h_{t−1} = ∂L/∂z_t · W_hᵀ.
 * ∂L/∂z_t is rescaled by a power of two before every product (its scale kept
 * as an exponent), so the signal neither underflows nor overflows however far
 * it travels; the elementwise work is float64, the product is in the
 * arithmetic's precision.
 */
export function backwardRnn<M extends FloatArray>(
  arithmetic: Arithmetic<M>,
  data: RecurrentData<M>,
  weights: RnnWeights<M>,
  activation: ScalarKernel,
  trajectory: RnnTrajectory<M>,
  observer?: GradientObserver,
): GradientNorms {
  const { steps, batchSize, hiddenSize } = data;
  const stepSize = batchSize * hiddenSize;
  const norms = createGradientNorms(steps);
  const finalGradient = new Float64Array(stepSize);
  for (let k = 0; k < stepSize; k += 1) {
    finalGradient[k] = ((trajectory.finalHidden[k] as number) - (data.targets[k] as number)) / batchSize;
  }
  let hiddenGradient: FloatArray = finalGradient;
  let log2Scale = 0;
  const preactivationGradient = new Float64Array(stepSize);
  const scaledPreactivationGradient = arithmetic.allocate(stepSize);
  const previousHiddenGradient = arithmetic.allocate(stepSize);
  for (let t = steps; t >= 1; t -= 1) {
    recordNorm(norms, t - 1, hiddenGradient, log2Scale);
    observer?.(t, { hidden: hiddenGradient, log2Scale });
    if (t === 1) break;
    const offset = (t - 1) * stepSize;
    for (let k = 0; k < stepSize; k += 1) {
      preactivationGradient[k] = (hiddenGradient[k] as number) * activation.derivative(trajectory.preactivations[offset + k] as number, k);
    }
    const exponent = rescaleExponent(euclideanNorm(preactivationGradient, preactivationGradient.length));
    scaleInto(preactivationGradient, -exponent, scaledPreactivationGradient);
    log2Scale += exponent;
    arithmetic.product(scaledPreactivationGradient, batchSize, hiddenSize, weights.recurrentTransposed, hiddenSize, previousHiddenGradient);
    hiddenGradient = previousHiddenGradient;
  }
  return norms;
}
