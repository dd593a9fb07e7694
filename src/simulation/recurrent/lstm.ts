import { sech2, sigmoid, sigmoidDerivative } from '../../activations/numeric.js';
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

/**
 * LSTM with a forget gate (Hochreiter & Schmidhuber 1997; Gers et al. 2000):
 *   a_t = x_t W_x + h_{t−1} W_h + b, split into four blocks of H columns,
 *   i, f, o = σ(a_i, a_f, a_o),  g = tanh(a_g),
 *   c_t = f ⊙ c_{t−1} + i ⊙ g,   h_t = o ⊙ tanh(c_t),   h_0 = c_0 = 0,
 * and its backward pass through time.
 */

/** Column blocks of W_x, W_h and b, in PyTorch's order. */
export const lstmGates = ['input', 'forget', 'candidate', 'output'] as const;
export type LstmGate = (typeof lstmGates)[number];
const INPUT = 0;
const FORGET = 1;
const CANDIDATE = 2;
const OUTPUT = 3;
const GATE_COUNT = lstmGates.length;

export interface LstmWeights<M extends FloatArray> extends CellMatrices<M> {
  /** b = b_ih + b_hh, 4·hiddenSize. */
  bias: Float64Array;
}

export interface LstmStepStatistics {
  hidden: Moments;
  /** Mean activation of each gate over the batch and the units. */
  gates: Record<LstmGate, number>;
}

export interface LstmTrajectory<M extends FloatArray> {
  /** a_t for every step, (steps·B) × 4H. */
  preactivations: M;
  /** c_t for every step (after any injection), (steps·B) × H. */
  cells: M;
  /** h_T (after any injection), B × H. */
  finalHidden: M;
  statistics: LstmStepStatistics[];
  /** L = (1/(2B)) ‖h_T − Y‖². */
  loss: number;
}

export function forwardLstm<M extends FloatArray>(
  arithmetic: Arithmetic<M>,
  data: RecurrentData<M>,
  weights: LstmWeights<M>,
  injection?: StateInjection,
): LstmTrajectory<M> {
  const { steps, batchSize, inputSize, hiddenSize } = data;
  const stepSize = batchSize * hiddenSize;
  const gateWidth = GATE_COUNT * hiddenSize;
  const preactivations = arithmetic.allocate(steps * batchSize * gateWidth);
  arithmetic.product(data.inputs, steps * batchSize, inputSize, weights.input, gateWidth, preactivations);
  const cells = arithmetic.allocate(steps * stepSize);
  const hidden = arithmetic.allocate(stepSize);
  const recurrentTerm = arithmetic.allocate(batchSize * gateWidth);
  const statistics: LstmStepStatistics[] = [];
  for (let t = 1; t <= steps; t += 1) {
    if (t > 1) arithmetic.product(hidden, batchSize, hiddenSize, weights.recurrent, gateWidth, recurrentTerm);
    const injected = injection?.t === t ? injection : undefined;
    let inputSum = 0;
    let forgetSum = 0;
    let candidateSum = 0;
    let outputSum = 0;
    for (let b = 0; b < batchSize; b += 1) {
      const row = ((t - 1) * batchSize + b) * gateWidth;
      for (let gate = 0; gate < GATE_COUNT; gate += 1) {
        for (let j = gate * hiddenSize; j < (gate + 1) * hiddenSize; j += 1) {
          const recurrent = t > 1 ? (recurrentTerm[b * gateWidth + j] as number) : 0;
          preactivations[row + j] = (preactivations[row + j] as number) + recurrent + (weights.bias[j] as number);
          if (!Number.isFinite(preactivations[row + j])) throw new RecurrentOverflowError(t, arithmetic.precision);
        }
      }
      for (let j = 0; j < hiddenSize; j += 1) {
        const inputGate = sigmoid(preactivations[row + INPUT * hiddenSize + j] as number);
        const forgetGate = sigmoid(preactivations[row + FORGET * hiddenSize + j] as number);
        const candidate = Math.tanh(preactivations[row + CANDIDATE * hiddenSize + j] as number);
        const outputGate = sigmoid(preactivations[row + OUTPUT * hiddenSize + j] as number);
        const unit = b * hiddenSize + j;
        const cellIndex = (t - 1) * stepSize + unit;
        const previousCell = t > 1 ? (cells[cellIndex - stepSize] as number) : 0;
        cells[cellIndex] = forgetGate * previousCell + inputGate * candidate;
        if (injected?.state === 'cell') cells[cellIndex] = (cells[cellIndex] as number) + (injected.delta[unit] as number);
        hidden[unit] = outputGate * Math.tanh(cells[cellIndex] as number);
        if (injected?.state === 'hidden') hidden[unit] = (hidden[unit] as number) + (injected.delta[unit] as number);
        if (!Number.isFinite(cells[cellIndex]) || !Number.isFinite(hidden[unit])) throw new RecurrentOverflowError(t, arithmetic.precision);
        inputSum += inputGate;
        forgetSum += forgetGate;
        candidateSum += candidate;
        outputSum += outputGate;
      }
    }
    statistics.push({
      hidden: moments(hidden),
      gates: { input: inputSum / stepSize, forget: forgetSum / stepSize, candidate: candidateSum / stepSize, output: outputSum / stepSize },
    });
  }
  let squaredError = 0;
  for (let k = 0; k < stepSize; k += 1) {
    const error = (hidden[k] as number) - (data.targets[k] as number);
    squaredError += error * error;
  }
  return { preactivations, cells, finalHidden: hidden, statistics, loss: squaredError / (2 * batchSize) };
}

export interface LstmGradientNorms {
  hidden: GradientNorms;
  cell: GradientNorms;
}

/**
 * ‖∂L/∂h_t‖ and ‖∂L/∂c_t‖ for t = T … 1 by backpropagation through time. With
 * δh = ∂L/∂h_t (∂L/∂h_T = (h_T − Y)/B) and δc_{t+1}⊙f_{t+1} carried from the
 * step after (0 at T):
 *   δc   = δh ⊙ o ⊙ tanh′(c_t) + δc_{t+1} ⊙ f_{t+1}        (the total ∂L/∂c_t)
 *   δa_o = δh ⊙ tanh(c_t) ⊙ σ′(a_o),  δa_i = δc ⊙ g ⊙ σ′(a_i),
 *   δa_g = δc ⊙ i ⊙ tanh′(a_g),       δa_f = δc ⊙ c_{t−1} ⊙ σ′(a_f),
 *   ∂L/∂h_{t−1} = δa · W_hᵀ.
 * δa is rescaled by a power of two before the product, and (δh, δc ⊙ f)
 * jointly after it; the scale is kept as an exponent.
 */
export function backwardLstm<M extends FloatArray>(
  arithmetic: Arithmetic<M>,
  data: RecurrentData<M>,
  weights: LstmWeights<M>,
  trajectory: LstmTrajectory<M>,
  observer?: GradientObserver,
): LstmGradientNorms {
  const { steps, batchSize, hiddenSize } = data;
  const stepSize = batchSize * hiddenSize;
  const gateWidth = GATE_COUNT * hiddenSize;
  const norms = { hidden: createGradientNorms(steps), cell: createGradientNorms(steps) };
  const hiddenGradient = new Float64Array(stepSize);
  for (let k = 0; k < stepSize; k += 1) {
    hiddenGradient[k] = ((trajectory.finalHidden[k] as number) - (data.targets[k] as number)) / batchSize;
  }
  const cellGradient = new Float64Array(stepSize);
  const carriedCellGradient = new Float64Array(stepSize);
  const preactivationGradient = new Float64Array(batchSize * gateWidth);
  const scaledPreactivationGradient = arithmetic.allocate(batchSize * gateWidth);
  const previousHiddenGradient = arithmetic.allocate(stepSize);
  let log2Scale = 0;
  for (let t = steps; t >= 1; t -= 1) {
    const { preactivations, cells } = trajectory;
    for (let b = 0; b < batchSize; b += 1) {
      const row = ((t - 1) * batchSize + b) * gateWidth;
      const gradientRow = b * gateWidth;
      for (let j = 0; j < hiddenSize; j += 1) {
        const inputPreactivation = preactivations[row + INPUT * hiddenSize + j] as number;
        const forgetPreactivation = preactivations[row + FORGET * hiddenSize + j] as number;
        const candidatePreactivation = preactivations[row + CANDIDATE * hiddenSize + j] as number;
        const outputPreactivation = preactivations[row + OUTPUT * hiddenSize + j] as number;
        const unit = b * hiddenSize + j;
        const cellIndex = (t - 1) * stepSize + unit;
        const cell = cells[cellIndex] as number;
        const previousCell = t > 1 ? (cells[cellIndex - stepSize] as number) : 0;
        const hiddenDelta = hiddenGradient[unit] as number;
        const cellDelta = hiddenDelta * sigmoid(outputPreactivation) * sech2(cell) + (carriedCellGradient[unit] as number);
        cellGradient[unit] = cellDelta;
        preactivationGradient[gradientRow + OUTPUT * hiddenSize + j] = hiddenDelta * Math.tanh(cell) * sigmoidDerivative(outputPreactivation);
        preactivationGradient[gradientRow + INPUT * hiddenSize + j] = cellDelta * Math.tanh(candidatePreactivation) * sigmoidDerivative(inputPreactivation);
        preactivationGradient[gradientRow + CANDIDATE * hiddenSize + j] = cellDelta * sigmoid(inputPreactivation) * sech2(candidatePreactivation);
        preactivationGradient[gradientRow + FORGET * hiddenSize + j] = cellDelta * previousCell * sigmoidDerivative(forgetPreactivation);
        carriedCellGradient[unit] = cellDelta * sigmoid(forgetPreactivation);
      }
    }
    recordNorm(norms.hidden, t - 1, hiddenGradient, log2Scale);
    recordNorm(norms.cell, t - 1, cellGradient, log2Scale);
    observer?.(t, { hidden: hiddenGradient, cell: cellGradient, log2Scale });
    if (t === 1) break;
    const exponent = rescaleExponent(euclideanNorm(preactivationGradient, preactivationGradient.length));
    scaleInto(preactivationGradient, -exponent, scaledPreactivationGradient);
    arithmetic.product(scaledPreactivationGradient, batchSize, gateWidth, weights.recurrentTransposed, hiddenSize, previousHiddenGradient);
    scaleInto(previousHiddenGradient, exponent, hiddenGradient);
    const rescale = rescaleExponent(Math.max(euclideanNorm(hiddenGradient, stepSize), euclideanNorm(carriedCellGradient, stepSize)));
    scaleInto(hiddenGradient, -rescale, hiddenGradient);
    scaleInto(carriedCellGradient, -rescale, carriedCellGradient);
    log2Scale += rescale;
  }
  return norms;
}
