import { sigmoid } from '../../activations/numeric.js';
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
 * GRU (Cho et al. 2014) in PyTorch's form (torch.nn.GRU):
 *   r = σ(x_t W_xr + b_ir + h_{t−1} W_hr + b_hr),  z = σ(x_t W_xz + b_iz + h_{t−1} W_hz + b_hz),
 *   n = tanh(x_t W_xn + b_in + r ⊙ (h_{t−1} W_hn + b_hn)),
 *   h_t = (1 − z) ⊙ n + z ⊙ h_{t−1},   h_0 = 0,
 * the reset gate multiplying the recurrent term of the candidate, its bias
 * included (so b_ih and b_hh stay apart), and its backward pass through time.
 */

/** Column blocks of W_x, W_h and the biases, in PyTorch's order (n is PyTorch's "new gate"). */
export const gruGates = ['reset', 'update', 'candidate'] as const;
export type GruGate = (typeof gruGates)[number];
const RESET = 0;
const UPDATE = 1;
const CANDIDATE = 2;
const GATE_COUNT = gruGates.length;

export interface GruWeights<M extends FloatArray> extends CellMatrices<M> {
  /** b_ih, 3·hiddenSize; null for 0 (drawn weights). */
  inputBias: Float64Array | null;
  /** b_hh, 3·hiddenSize; null for 0. */
  recurrentBias: Float64Array | null;
}

export interface GruStepStatistics {
  hidden: Moments;
  /** Mean of r_t and z_t (in (0, 1)) and of the candidate n_t (in (−1, 1)). */
  gates: Record<GruGate, number>;
}

export interface GruTrajectory<M extends FloatArray> {
  /** x_t W_x + b_ih for every step, (steps·B) × 3H. */
  inputTerms: M;
  /** h_{t−1} W_h + b_hh for every step (b_hh at t = 1), (steps·B) × 3H. */
  recurrentTerms: M;
  /** h_t for every step (after any injection), (steps·B) × H. */
  hidden: M;
  statistics: GruStepStatistics[];
  /** L = (1/(2B)) ‖h_T − Y‖². */
  loss: number;
}

export function forwardGru<M extends FloatArray>(arithmetic: Arithmetic<M>, data: RecurrentData<M>, weights: GruWeights<M>, injection?: StateInjection): GruTrajectory<M> {
  const { steps, batchSize, inputSize, hiddenSize } = data;
  const stepSize = batchSize * hiddenSize;
  const gateWidth = GATE_COUNT * hiddenSize;
  const inputTerms = arithmetic.allocate(steps * batchSize * gateWidth);
  arithmetic.product(data.inputs, steps * batchSize, inputSize, weights.input, gateWidth, inputTerms);
  if (weights.inputBias !== null) addBias(inputTerms, weights.inputBias);
  const recurrentTerms = arithmetic.allocate(steps * batchSize * gateWidth);
  const hidden = arithmetic.allocate(steps * stepSize);
  const statistics: GruStepStatistics[] = [];
  for (let t = 1; t <= steps; t += 1) {
    const termOffset = (t - 1) * batchSize * gateWidth;
    const recurrentTerm = recurrentTerms.subarray(termOffset, termOffset + batchSize * gateWidth) as M;
    if (t > 1) arithmetic.product(hidden.subarray((t - 2) * stepSize, (t - 1) * stepSize) as M, batchSize, hiddenSize, weights.recurrent, gateWidth, recurrentTerm);
    if (weights.recurrentBias !== null) addBias(recurrentTerm, weights.recurrentBias);
    const injected = injection?.t === t ? injection : undefined;
    let resetSum = 0;
    let updateSum = 0;
    let candidateSum = 0;
    for (let b = 0; b < batchSize; b += 1) {
      const row = termOffset + b * gateWidth;
      for (let j = 0; j < hiddenSize; j += 1) {
        const reset = sigmoid((inputTerms[row + RESET * hiddenSize + j] as number) + (recurrentTerms[row + RESET * hiddenSize + j] as number));
        const update = sigmoid((inputTerms[row + UPDATE * hiddenSize + j] as number) + (recurrentTerms[row + UPDATE * hiddenSize + j] as number));
        const candidate = Math.tanh((inputTerms[row + CANDIDATE * hiddenSize + j] as number) + reset * (recurrentTerms[row + CANDIDATE * hiddenSize + j] as number));
        const unit = b * hiddenSize + j;
        const index = (t - 1) * stepSize + unit;
        const previous = t > 1 ? (hidden[index - stepSize] as number) : 0;
        hidden[index] = (1 - update) * candidate + update * previous;
        if (injected?.state === 'hidden') hidden[index] = (hidden[index] as number) + (injected.delta[unit] as number);
        if (!Number.isFinite(hidden[index])) throw new RecurrentOverflowError(t, arithmetic.precision);
        resetSum += reset;
        updateSum += update;
        candidateSum += candidate;
      }
    }
    statistics.push({
      hidden: moments(hidden.subarray((t - 1) * stepSize, t * stepSize) as M),
      gates: { reset: resetSum / stepSize, update: updateSum / stepSize, candidate: candidateSum / stepSize },
    });
  }
  const final = (steps - 1) * stepSize;
  let squaredError = 0;
  for (let k = 0; k < stepSize; k += 1) {
    const error = (hidden[final + k] as number) - (data.targets[k] as number);
    squaredError += error * error;
  }
  return { inputTerms, recurrentTerms, hidden, statistics, loss: squaredError / (2 * batchSize) };
}

/** rows[k] += bias[k mod bias.length]: one bias per column of a row-major matrix. */
function addBias(rows: FloatArray, bias: Float64Array): void {
  for (let k = 0; k < rows.length; k += 1) rows[k] = (rows[k] as number) + (bias[k % bias.length] as number);
}

/**
 * ‖∂L/∂h_t‖ for t = T … 1 by backpropagation through time. With δh = ∂L/∂h_t
 * (∂L/∂h_T = (h_T − Y)/B):
 *   δn = δh ⊙ (1 − z),  δa_n = δn ⊙ tanh′,  δa_z = δh ⊙ (h_{t−1} − n) ⊙ σ′(a_z),
 *   δa_r = δa_n ⊙ (h_{t−1} W_hn + b_hn) ⊙ σ′(a_r),
 *   ∂L/∂h_{t−1} = δh ⊙ z + [δa_r, δa_z, δa_n ⊙ r] · W_hᵀ.
 * The recurrent-side gradient is rescaled by a power of two before the
 * product and δh after it; the scale is kept as an exponent.
 */
export function backwardGru<M extends FloatArray>(arithmetic: Arithmetic<M>, data: RecurrentData<M>, weights: GruWeights<M>, trajectory: GruTrajectory<M>, observer?: GradientObserver): GradientNorms {
  const { steps, batchSize, hiddenSize } = data;
  const stepSize = batchSize * hiddenSize;
  const gateWidth = GATE_COUNT * hiddenSize;
  const norms = createGradientNorms(steps);
  const { inputTerms, recurrentTerms, hidden } = trajectory;
  const hiddenGradient = new Float64Array(stepSize);
  const final = (steps - 1) * stepSize;
  for (let k = 0; k < stepSize; k += 1) hiddenGradient[k] = ((hidden[final + k] as number) - (data.targets[k] as number)) / batchSize;
  const directGradient = new Float64Array(stepSize);
  const recurrentGradient = new Float64Array(batchSize * gateWidth);
  const scaledRecurrentGradient = arithmetic.allocate(batchSize * gateWidth);
  const previousHiddenGradient = arithmetic.allocate(stepSize);
  let log2Scale = 0;
  for (let t = steps; t >= 1; t -= 1) {
    recordNorm(norms, t - 1, hiddenGradient, log2Scale);
    observer?.(t, { hidden: hiddenGradient, log2Scale });
    if (t === 1) break;
    for (let b = 0; b < batchSize; b += 1) {
      const row = (t - 1) * batchSize * gateWidth + b * gateWidth;
      const gradientRow = b * gateWidth;
      for (let j = 0; j < hiddenSize; j += 1) {
        const reset = sigmoid((inputTerms[row + RESET * hiddenSize + j] as number) + (recurrentTerms[row + RESET * hiddenSize + j] as number));
        const update = sigmoid((inputTerms[row + UPDATE * hiddenSize + j] as number) + (recurrentTerms[row + UPDATE * hiddenSize + j] as number));
        const hiddenCandidate = recurrentTerms[row + CANDIDATE * hiddenSize + j] as number;
        const candidate = Math.tanh((inputTerms[row + CANDIDATE * hiddenSize + j] as number) + reset * hiddenCandidate);
        const unit = b * hiddenSize + j;
        const previous = hidden[(t - 2) * stepSize + unit] as number;
        const delta = hiddenGradient[unit] as number;
        const candidateDelta = delta * (1 - update) * (1 - candidate * candidate);
        recurrentGradient[gradientRow + RESET * hiddenSize + j] = candidateDelta * hiddenCandidate * reset * (1 - reset);
        recurrentGradient[gradientRow + UPDATE * hiddenSize + j] = delta * (previous - candidate) * update * (1 - update);
        recurrentGradient[gradientRow + CANDIDATE * hiddenSize + j] = candidateDelta * reset;
        directGradient[unit] = delta * update;
      }
    }
    const exponent = rescaleExponent(euclideanNorm(recurrentGradient, recurrentGradient.length));
    scaleInto(recurrentGradient, -exponent, scaledRecurrentGradient);
    arithmetic.product(scaledRecurrentGradient, batchSize, gateWidth, weights.recurrentTransposed, hiddenSize, previousHiddenGradient);
    scaleInto(previousHiddenGradient, exponent, hiddenGradient);
    for (let k = 0; k < stepSize; k += 1) hiddenGradient[k] = (hiddenGradient[k] as number) + (directGradient[k] as number);
    const rescale = rescaleExponent(euclideanNorm(hiddenGradient, stepSize));
    scaleInto(hiddenGradient, -rescale, hiddenGradient);
    log2Scale += rescale;
  }
  return norms;
}
