import { createRandom, DEFAULT_SEED, type Random } from '../../random.js';
import { float32Arithmetic, float64Arithmetic, type Arithmetic } from '../arithmetic.js';
import { heNegativeSlope, initializeWeights, type InitSpec } from '../init.js';
import type { FloatArray } from '../statistics.js';
import { type CellMatrices, type GradientObserver, type RecurrentData, type StateInjection, transposed } from './core.js';
import { backwardGru, forwardGru } from './gru.js';
import { backwardLstm, forwardLstm, lstmGates } from './lstm.js';
import { gruResult, type GruResult, lstmResult, type LstmResult, rnnResult, type RecurrentResult, type RnnResult } from './result.js';
import { backwardRnn, forwardRnn } from './rnn.js';
import {
  DEFAULT_FORGET_BIAS,
  DEFAULT_INPUT_INIT,
  DEFAULT_RECURRENT_INIT,
  type GruSpec,
  type LstmSpec,
  planRecurrent,
  type RecurrentDimensions,
  type RecurrentSpec,
  type RecurrentWeightsSpec,
  type RnnSpec,
} from './spec.js';

/**
 * Gradient propagation through time in a vanilla RNN, an LSTM or a GRU
 * (/work/shared/spec/simulation.md, "Recurrent networks"): one forward pass over
 * T steps of inputs, the loss L = (1/(2B)) ‖h_T − Y‖² on the last step, and
 * backpropagation through time reporting ‖∂L/∂h_t‖ (and ‖∂L/∂c_t‖) for every t.
 *
 * What the spec does not give comes from the one seeded stream, in this order:
 * the inputs x_t ~ N(0, 1) (t, then example, then feature), the targets
 * Y ~ N(0, 1), then W_x and W_h; a given part is skipped, so the draws of the
 * others do not move. A cell's drawn weights are per block: the LSTM draws each
 * gate's inputSize × H and H × H block separately (i, f, g, o), the GRU its r,
 * z, n blocks, so `orthogonal` and `identity` act on each gate's own square
 * recurrent matrix. Drawn biases are 0, except the LSTM forget gate's
 * (`forgetBias`). The same seed gives every cell the same inputs and targets.
 * Given weights are PyTorch's (spec.ts's RecurrentWeightsSpec), used as given.
 *
 * Precision. `float32` (default for drawn weights): every matrix product runs
 * in float32 on the GEMM engine (await `initLinalg()` first), and the stored
 * states are float32; elementwise work, norms and statistics are float64. That
 * is enough for figures read on a log scale: against float64, the log10 norms
 * of a 1000-step tanh or sigmoid RNN or LSTM agree to ~4e−6 and the hidden
 * means to ~2e−8. It is not enough for finite-difference checks, nor to follow
 * one trajectory of a chaotic network (tanh with W_h gain 3): float32 and
 * float64 then part after a few dozen steps, with the same statistics but
 * log10 norms a unit or two apart after 200 steps. `float64` (default for
 * given weights) runs the same algorithm in plain JS loops (dense64.ts): what
 * someone comparing against PyTorch digit by digit wants. Both are
 * deterministic: same spec, seed and engine, same bits.
 *
 * Range. The backward signal is rescaled by a power of two at every step and
 * the scale carried as an exponent, so log10 norms stay exact and finite where
 * the plain norm underflows to 0 (a 1000-step sigmoid RNN: ‖∂L/∂h_1‖ ≈ 10^−650)
 * or overflows (a 4000-step chaotic tanh RNN: 10^+460). A log10 norm is null
 * only when the gradient is exactly zero (`zeros` weights, every unit of a ReLU
 * off at some step). The forward pass is not linear and cannot be rescaled: a
 * hidden state that overflows throws RecurrentOverflowError.
 */

/** Hooks for tests and diagnostics; a simulation needs neither. */
export interface RecurrentProbes {
  /** Perturbs one state in the forward pass (the loss and statistics reflect it). */
  injection?: StateInjection;
  /** Sees the full backward signal at every step. */
  observer?: GradientObserver;
}

/**
 * Simulates one recurrent network; synchronous and pure (float32 needs `await
 * initLinalg()` once per thread). Throws RangeError (sizes, forgetBias),
 * NetworkShapeError (given weights, inputs or targets of the wrong shape),
 * InitializationError (identity on a non-square W_x), RecurrentOverflowError.
 */
export function simulateRecurrent(spec: RnnSpec, probes?: RecurrentProbes): RnnResult;
export function simulateRecurrent(spec: LstmSpec, probes?: RecurrentProbes): LstmResult;
export function simulateRecurrent(spec: GruSpec, probes?: RecurrentProbes): GruResult;
export function simulateRecurrent(spec: RecurrentSpec, probes?: RecurrentProbes): RecurrentResult;
export function simulateRecurrent(spec: RecurrentSpec, probes: RecurrentProbes = {}): RecurrentResult {
  const dimensions = planRecurrent(spec);
  return dimensions.precision === 'float64'
    ? simulateIn(float64Arithmetic, spec, dimensions, probes)
    : simulateIn(float32Arithmetic, spec, dimensions, probes);
}

/** A cell's parameters in the simulators' layout; a null bias is 0 and is not added. */
interface CellParameters<M extends FloatArray> extends CellMatrices<M> {
  inputBias: Float64Array | null;
  recurrentBias: Float64Array | null;
}

function simulateIn<M extends FloatArray>(arithmetic: Arithmetic<M>, spec: RecurrentSpec, dimensions: RecurrentDimensions, probes: RecurrentProbes): RecurrentResult {
  const seed = spec.seed ?? DEFAULT_SEED;
  const random = createRandom(seed);
  const precision = arithmetic.precision;
  const data = recurrentData(arithmetic, spec, dimensions.batchSize, random);
  if (spec.cell === 'rnn') {
    const { record, params } = spec.activation;
    const parameters = cellParameters(arithmetic, spec, dimensions.gates, random, heNegativeSlope(record.id, params));
    const weights = { ...parameters, bias: summedBias(parameters) };
    const kernel = record.kernel(params, { mode: 'eval', count: data.batchSize * data.hiddenSize, uniform: random.uniform });
    const trajectory = forwardRnn(arithmetic, data, weights, kernel, probes.injection);
    const norms = backwardRnn(arithmetic, data, weights, kernel, trajectory, probes.observer);
    return rnnResult(trajectory.statistics, norms, trajectory.loss, seed, precision);
  }
  const parameters = cellParameters(arithmetic, spec, dimensions.gates, random, 0);
  if (spec.cell === 'gru') {
    const trajectory = forwardGru(arithmetic, data, parameters, probes.injection);
    const norms = backwardGru(arithmetic, data, parameters, trajectory, probes.observer);
    return gruResult(trajectory.statistics, norms, trajectory.loss, seed, precision);
  }
  const weights = { ...parameters, bias: summedBias(parameters) ?? new Float64Array(dimensions.gates * data.hiddenSize) };
  const trajectory = forwardLstm(arithmetic, data, weights, probes.injection);
  const norms = backwardLstm(arithmetic, data, weights, trajectory, probes.observer);
  return lstmResult(trajectory.statistics, norms, trajectory.loss, seed, precision);
}

/** The inputs and targets: given, or drawn (inputs first). */
function recurrentData<M extends FloatArray>(arithmetic: Arithmetic<M>, spec: RecurrentSpec, batchSize: number, random: Random): RecurrentData<M> {
  const inputs = arithmetic.allocate(spec.steps * batchSize * spec.inputSize);
  const values = spec.input?.values;
  if (values === undefined) random.fillNormal(inputs, inputs.length, 1);
  else fillRows(inputs, values.flat());
  const targets = new Float64Array(batchSize * spec.hiddenSize);
  if (spec.loss?.targets === undefined) random.fillNormal(targets, targets.length, 1);
  else fillRows(targets, spec.loss.targets);
  return { steps: spec.steps, batchSize, inputSize: spec.inputSize, hiddenSize: spec.hiddenSize, inputs, targets };
}

function fillRows(target: FloatArray, rows: readonly (readonly number[])[]): void {
  let offset = 0;
  for (const row of rows) {
    target.set(row, offset);
    offset += row.length;
  }
}

/** W_x, W_h, W_hᵀ and the two biases: from PyTorch's layout, or drawn. */
function cellParameters<M extends FloatArray>(arithmetic: Arithmetic<M>, spec: RecurrentSpec, gates: number, random: Random, negativeSlope: number): CellParameters<M> {
  const { inputSize, hiddenSize } = spec;
  const width = gates * hiddenSize;
  if (spec.weights !== undefined) return givenParameters(arithmetic, spec.weights, inputSize, hiddenSize, width);
  const input = gateBlocks(arithmetic, spec.inputInit ?? DEFAULT_INPUT_INIT, inputSize, hiddenSize, gates, random, negativeSlope);
  const recurrent = gateBlocks(arithmetic, spec.recurrentInit ?? DEFAULT_RECURRENT_INIT, hiddenSize, hiddenSize, gates, random, negativeSlope);
  const recurrentTransposed = transposed(arithmetic, recurrent, hiddenSize, width);
  let inputBias: Float64Array | null = null;
  if (spec.cell === 'lstm') {
    const forget = lstmGates.indexOf('forget');
    inputBias = new Float64Array(width).fill(spec.forgetBias ?? DEFAULT_FORGET_BIAS, forget * hiddenSize, (forget + 1) * hiddenSize);
  }
  return { input, recurrent, recurrentTransposed, inputBias, recurrentBias: null };
}

/** W_ih (width × inputSize) and W_hh (width × H) as the row-vector products want them: W_x = W_ihᵀ, W_h = W_hhᵀ, W_hᵀ = W_hh. */
function givenParameters<M extends FloatArray>(arithmetic: Arithmetic<M>, weights: RecurrentWeightsSpec, inputSize: number, hiddenSize: number, width: number): CellParameters<M> {
  const recurrentTransposed = arithmetic.allocate(width * hiddenSize);
  fillRows(recurrentTransposed, weights.weightHh);
  const weightIh = arithmetic.allocate(width * inputSize);
  fillRows(weightIh, weights.weightIh);
  return {
    input: transposed(arithmetic, weightIh, width, inputSize),
    recurrent: transposed(arithmetic, recurrentTransposed, width, hiddenSize),
    recurrentTransposed,
    inputBias: weights.biasIh === undefined ? null : Float64Array.from(weights.biasIh),
    recurrentBias: weights.biasHh === undefined ? null : Float64Array.from(weights.biasHh),
  };
}

/** b_ih + b_hh, for the cells that only ever use the sum; null when both are 0. */
function summedBias(parameters: CellParameters<FloatArray>): Float64Array | null {
  const { inputBias, recurrentBias } = parameters;
  if (inputBias === null || recurrentBias === null) return inputBias ?? recurrentBias;
  return inputBias.map((value, k) => value + (recurrentBias[k] as number));
}

/** fanIn × (blocks·H) weights, each fanIn × H block drawn on its own with the scheme, side by side in block order. */
function gateBlocks<M extends FloatArray>(
  arithmetic: Arithmetic<M>,
  init: InitSpec,
  fanIn: number,
  hiddenSize: number,
  blocks: number,
  random: Random,
  negativeSlope: number,
): M {
  const width = blocks * hiddenSize;
  const weights = arithmetic.allocate(fanIn * width);
  for (let block = 0; block < blocks; block += 1) {
    const blockWeights = initializeWeights(init, fanIn, hiddenSize, random, negativeSlope);
    for (let row = 0; row < fanIn; row += 1) {
      weights.set(blockWeights.subarray(row * hiddenSize, (row + 1) * hiddenSize), row * width + block * hiddenSize);
    }
  }
  return weights;
}
