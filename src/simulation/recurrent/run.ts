import { createRandom, DEFAULT_SEED, type Random } from '../../random.js';
import { float32Arithmetic, float64Arithmetic, type Arithmetic } from '../arithmetic.js';
import { heNegativeSlope, initializeWeights, type InitSpec } from '../init.js';
import type { FloatArray } from '../statistics.js';
import { type GradientObserver, type RecurrentData, type StateInjection, transposed } from './core.js';
import { backwardGru, forwardGru, gruGates, type GruWeights } from './gru.js';
import { backwardLstm, forwardLstm, lstmGates, type LstmWeights } from './lstm.js';
import { gruResult, type GruResult, lstmResult, type LstmResult, rnnResult, type RecurrentResult, type RnnResult } from './result.js';
import { backwardRnn, forwardRnn, type RnnWeights } from './rnn.js';
import {
  checkRecurrentSpec,
  DEFAULT_BATCH_SIZE,
  DEFAULT_FORGET_BIAS,
  DEFAULT_INPUT_INIT,
  DEFAULT_PRECISION,
  DEFAULT_RECURRENT_INIT,
  type GruSpec,
  type LstmSpec,
  type RecurrentSpec,
  type RnnSpec,
} from './spec.js';

/**
 * Gradient propagation through time in a vanilla RNN or an LSTM
 * (/work/shared/spec/simulation.md, "Recurrent networks"): one forward pass over
 * T steps of random inputs, the loss L = (1/(2B)) ‖h_T − Y‖² on the last step,
 * and backpropagation through time reporting ‖∂L/∂h_t‖ (and ‖∂L/∂c_t‖) for
 * every t.
 *
 * Data and weights come from the one seeded stream, in this order: the inputs
 * x_t ~ N(0, 1) (t, then example, then feature), the targets Y ~ N(0, 1), then
 * W_x and W_h. A cell's weights are per block: the LSTM draws each gate's
 * inputSize × H and H × H block separately (i, f, g, o), so `orthogonal` and
 * `identity` act on each gate's own square recurrent matrix. The bias is 0,
 * except the LSTM forget gate's (`forgetBias`). The same seed gives the RNN and
 * the LSTM the same inputs and targets.
 *
 * Precision. `float32` (default): every matrix product runs in float32 on the
 * GEMM engine (await `initLinalg()` first), and the stored states are float32;
 * elementwise work, norms and statistics are float64. That is enough for
 * figures read on a log scale: against float64, the log10 norms of a 1000-step
 * tanh or sigmoid RNN or LSTM agree to ~4e−6 and the hidden means to ~2e−8.
 * It is not enough for finite-difference checks, nor to follow one trajectory
 * of a chaotic network (tanh with W_h gain 3): float32 and float64 then part
 * after a few dozen steps, with the same statistics but log10 norms a unit or
 * two apart after 200 steps. `float64` runs the same algorithm in plain JS
 * loops (dense64.ts), for tests. Both are deterministic: same spec, seed and
 * engine, same bits.
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
 * InitializationError (identity on a non-square W_x), RecurrentOverflowError.
 */
export function simulateRecurrent(spec: RnnSpec, probes?: RecurrentProbes): RnnResult;
export function simulateRecurrent(spec: LstmSpec, probes?: RecurrentProbes): LstmResult;
export function simulateRecurrent(spec: GruSpec, probes?: RecurrentProbes): GruResult;
export function simulateRecurrent(spec: RecurrentSpec, probes?: RecurrentProbes): RecurrentResult;
export function simulateRecurrent(spec: RecurrentSpec, probes: RecurrentProbes = {}): RecurrentResult {
  checkRecurrentSpec(spec);
  return (spec.precision ?? DEFAULT_PRECISION) === 'float64'
    ? simulateIn(float64Arithmetic, spec, probes)
    : simulateIn(float32Arithmetic, spec, probes);
}

function simulateIn<M extends FloatArray>(arithmetic: Arithmetic<M>, spec: RecurrentSpec, probes: RecurrentProbes): RecurrentResult {
  const seed = spec.seed ?? DEFAULT_SEED;
  const random = createRandom(seed);
  const precision = arithmetic.precision;
  const data = drawData(arithmetic, spec, random);
  const recurrentInit = spec.recurrentInit ?? DEFAULT_RECURRENT_INIT;
  const inputInit = spec.inputInit ?? DEFAULT_INPUT_INIT;
  if (spec.cell === 'rnn') {
    const { record, params } = spec.activation;
    const slope = heNegativeSlope(record.id, params);
    const input = gateBlocks(arithmetic, inputInit, data.inputSize, data.hiddenSize, 1, random, slope);
    const recurrent = gateBlocks(arithmetic, recurrentInit, data.hiddenSize, data.hiddenSize, 1, random, slope);
    const recurrentTransposed = transposed(arithmetic, recurrent, data.hiddenSize, data.hiddenSize);
    const weights: RnnWeights<M> = { input, recurrent, recurrentTransposed };
    const kernel = record.kernel(params, { mode: 'eval', count: data.batchSize * data.hiddenSize, uniform: random.uniform });
    const trajectory = forwardRnn(arithmetic, data, weights, kernel, probes.injection);
    const norms = backwardRnn(arithmetic, data, weights, kernel, trajectory, probes.observer);
    return rnnResult(trajectory.statistics, norms, trajectory.loss, seed, precision);
  }
  const hiddenSize = data.hiddenSize;
  if (spec.cell === 'gru') {
    const input = gateBlocks(arithmetic, inputInit, data.inputSize, hiddenSize, gruGates.length, random, 0);
    const recurrent = gateBlocks(arithmetic, recurrentInit, hiddenSize, hiddenSize, gruGates.length, random, 0);
    const weights: GruWeights<M> = { input, recurrent, recurrentTransposed: transposed(arithmetic, recurrent, hiddenSize, gruGates.length * hiddenSize) };
    const trajectory = forwardGru(arithmetic, data, weights, probes.injection);
    const norms = backwardGru(arithmetic, data, weights, trajectory, probes.observer);
    return gruResult(trajectory.statistics, norms, trajectory.loss, seed, precision);
  }
  const bias = new Float64Array(lstmGates.length * hiddenSize);
  bias.fill(spec.forgetBias ?? DEFAULT_FORGET_BIAS, lstmGates.indexOf('forget') * hiddenSize, (lstmGates.indexOf('forget') + 1) * hiddenSize);
  const input = gateBlocks(arithmetic, inputInit, data.inputSize, hiddenSize, lstmGates.length, random, 0);
  const recurrent = gateBlocks(arithmetic, recurrentInit, hiddenSize, hiddenSize, lstmGates.length, random, 0);
  const recurrentTransposed = transposed(arithmetic, recurrent, hiddenSize, lstmGates.length * hiddenSize);
  const weights: LstmWeights<M> = { input, recurrent, recurrentTransposed, bias };
  const trajectory = forwardLstm(arithmetic, data, weights, probes.injection);
  const norms = backwardLstm(arithmetic, data, weights, trajectory, probes.observer);
  return lstmResult(trajectory.statistics, norms, trajectory.loss, seed, precision);
}

function drawData<M extends FloatArray>(arithmetic: Arithmetic<M>, spec: RecurrentSpec, random: Random): RecurrentData<M> {
  const batchSize = spec.batchSize ?? DEFAULT_BATCH_SIZE;
  const inputs = arithmetic.allocate(spec.steps * batchSize * spec.inputSize);
  for (let k = 0; k < inputs.length; k += 1) inputs[k] = random.normal();
  const targets = new Float64Array(batchSize * spec.hiddenSize);
  for (let k = 0; k < targets.length; k += 1) targets[k] = random.normal();
  return { steps: spec.steps, batchSize, inputSize: spec.inputSize, hiddenSize: spec.hiddenSize, inputs, targets };
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
