import type { ResolvedActivation } from '../activations/resolve.js';
import { createRandom, DEFAULT_SEED, type Random } from '../random.js';
import { heNegativeSlope, initializationFlops, initializeWeights, type InitSpec } from './init.js';
import { float32Arithmetic, float64Arithmetic, type Arithmetic, type Precision } from './arithmetic.js';
import {
  type GradientNorms,
  type GradientObserver,
  type Moments,
  type RecurrentData,
  type StateInjection,
  transposed,
} from './recurrent-core.js';
import { backwardLstm, forwardLstm, type LstmGate, lstmGates, type LstmWeights } from './recurrent-lstm.js';
import { backwardRnn, forwardRnn, type RnnWeights } from './recurrent-rnn.js';
import { finiteOrNull, type FloatArray } from './statistics.js';
import { type Verdict, verdictFor } from './thresholds.js';

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

export const recurrentCells = ['rnn', 'lstm'] as const;
export type RecurrentCell = (typeof recurrentCells)[number];
export type { GradientObserver, StateInjection } from './recurrent-core.js';
export { RecurrentOverflowError } from './recurrent-core.js';
export { lstmGates, type LstmGate } from './recurrent-lstm.js';

/**
 * W_h: orthogonal with gain 1 (Saxe et al. 2014; Keras' recurrent default).
 * Every singular value is 1, so the weights alone neither shrink nor grow the
 * gradient and what the simulator shows is the activation's doing.
 */
export const DEFAULT_RECURRENT_INIT: Readonly<InitSpec> = Object.freeze({ scheme: 'orthogonal' });
/** W_x: Glorot/Xavier uniform per gate block (Keras' kernel default). */
export const DEFAULT_INPUT_INIT: Readonly<InitSpec> = Object.freeze({ scheme: 'xavier_uniform' });
/** The LSTM forget gate's bias: 1 (Gers et al. 2000; Jozefowicz et al. 2015). */
export const DEFAULT_FORGET_BIAS = 1;
export const DEFAULT_BATCH_SIZE = 32;
export const DEFAULT_PRECISION: Precision = 'float32';

interface RecurrentSpecBase {
  inputSize: number;
  hiddenSize: number;
  /** T ≥ 1. */
  steps: number;
  /** W_h's scheme (fanIn = fanOut = hiddenSize); default DEFAULT_RECURRENT_INIT. */
  recurrentInit?: InitSpec;
  /** W_x's scheme (fanIn = inputSize, fanOut = hiddenSize); default DEFAULT_INPUT_INIT. */
  inputInit?: InitSpec;
  /** Default DEFAULT_BATCH_SIZE. */
  batchSize?: number;
  /** Default DEFAULT_SEED. */
  seed?: number;
  /** Default DEFAULT_PRECISION. */
  precision?: Precision;
}

export interface RnnSpec extends RecurrentSpecBase {
  cell: 'rnn';
  /** φ, with its parameters resolved (the He schemes take leaky_relu's and prelu's slope from it). */
  activation: ResolvedActivation;
}

export interface LstmSpec extends RecurrentSpecBase {
  cell: 'lstm';
  /** Default DEFAULT_FORGET_BIAS. */
  forgetBias?: number;
}

export type RecurrentSpec = RnnSpec | LstmSpec;

/**
 * Norms follow the feed-forward simulator's convention: a plain norm is 0 where
 * it underflows float64 and null where it overflows; its log10 is exact and
 * finite whenever the norm is not exactly 0, and null when it is.
 */
interface RecurrentStepBase {
  t: number;
  /** ‖∂L/∂h_t‖_F over the batch. */
  gradientNorm: number | null;
  log10GradientNorm: number | null;
  /** h_t over the batch and the units (population std). */
  hidden: Moments;
}

export interface RnnStep extends RecurrentStepBase {
  /** Fraction of the units with |φ′(z_t)| < SATURATION_DERIVATIVE (thresholds.ts). */
  fractionSaturated: number;
}

export interface LstmStep extends RecurrentStepBase {
  /** ‖∂L/∂c_t‖_F: the total gradient of the cell state, through h_t and through c_{t+1}. */
  cellGradientNorm: number | null;
  log10CellGradientNorm: number | null;
  /** Mean of i_t, f_t, o_t (in (0, 1)) and of the candidate g_t (in (−1, 1)). */
  gates: Record<LstmGate, number>;
}

export interface RecurrentSummary {
  /**
   * log10(‖∂L/∂h_1‖ / ‖∂L/∂h_T‖): how much of the signal from the end reaches
   * the beginning. null when ‖∂L/∂h_1‖ is exactly 0 (the verdict still says vanishing).
   */
  log10GradientRatio: number | null;
  /** log10GradientRatio / (T − 1): the mean log10 gain of one step back; null for T = 1 or a null ratio. */
  meanLog10GainPerStep: number | null;
  /** By thresholds.ts's `verdictFor` (VANISHING_LOG10_RATIO, EXPLODING_LOG10_RATIO), as for the feed-forward simulator. */
  verdict: Verdict;
  /** L = (1/(2B)) ‖h_T − Y‖². */
  loss: number;
}

interface RecurrentResultBase {
  summary: RecurrentSummary;
  seed: number;
  precision: Precision;
}

export interface RnnResult extends RecurrentResultBase {
  cell: 'rnn';
  steps: RnnStep[];
}

export interface LstmResult extends RecurrentResultBase {
  cell: 'lstm';
  steps: LstmStep[];
}

export type RecurrentResult = RnnResult | LstmResult;

/** Hooks for tests and diagnostics; a simulation needs neither. */
export interface RecurrentProbes {
  /** Perturbs one state in the forward pass (the loss and statistics reflect it). */
  injection?: StateInjection;
  /** Sees the full backward signal at every step. */
  observer?: GradientObserver;
}

export interface RecurrentCost {
  /** Floating-point operations: the products, the elementwise work (estimated) and the initialisation. */
  flops: number;
  /** Peak bytes of the arrays one simulation holds (the stored trajectory dominates). */
  bytes: number;
}

/**
 * Simulates one recurrent network; synchronous and pure (float32 needs `await
 * initLinalg()` once per thread). Throws RangeError (sizes, forgetBias),
 * InitializationError (identity on a non-square W_x), RecurrentOverflowError.
 */
export function simulateRecurrent(spec: RnnSpec, probes?: RecurrentProbes): RnnResult;
export function simulateRecurrent(spec: LstmSpec, probes?: RecurrentProbes): LstmResult;
export function simulateRecurrent(spec: RecurrentSpec, probes?: RecurrentProbes): RecurrentResult;
export function simulateRecurrent(spec: RecurrentSpec, probes: RecurrentProbes = {}): RecurrentResult {
  checkSpec(spec);
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
    const steps = trajectory.statistics.map((statistics, index) => ({ ...stepGradient(norms, index), ...statistics }));
    return { cell: 'rnn', steps, summary: summarise(norms, trajectory.loss), seed, precision };
  }
  const hiddenSize = data.hiddenSize;
  const bias = new Float64Array(lstmGates.length * hiddenSize);
  bias.fill(spec.forgetBias ?? DEFAULT_FORGET_BIAS, lstmGates.indexOf('forget') * hiddenSize, (lstmGates.indexOf('forget') + 1) * hiddenSize);
  const input = gateBlocks(arithmetic, inputInit, data.inputSize, hiddenSize, lstmGates.length, random, 0);
  const recurrent = gateBlocks(arithmetic, recurrentInit, hiddenSize, hiddenSize, lstmGates.length, random, 0);
  const recurrentTransposed = transposed(arithmetic, recurrent, hiddenSize, lstmGates.length * hiddenSize);
  const weights: LstmWeights<M> = { input, recurrent, recurrentTransposed, bias };
  const trajectory = forwardLstm(arithmetic, data, weights, probes.injection);
  const norms = backwardLstm(arithmetic, data, weights, trajectory, probes.observer);
  const steps = trajectory.statistics.map((statistics, index) => {
    const cell = stepGradient(norms.cell, index);
    return {
      ...stepGradient(norms.hidden, index),
      cellGradientNorm: cell.gradientNorm,
      log10CellGradientNorm: cell.log10GradientNorm,
      ...statistics,
    };
  });
  return { cell: 'lstm', steps, summary: summarise(norms.hidden, trajectory.loss), seed, precision };
}

function checkSpec(spec: RecurrentSpec): void {
  const sizes = { inputSize: spec.inputSize, hiddenSize: spec.hiddenSize, steps: spec.steps, batchSize: spec.batchSize ?? DEFAULT_BATCH_SIZE };
  for (const [name, value] of Object.entries(sizes)) {
    if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer, got ${value}`);
  }
  if (spec.cell === 'lstm' && !Number.isFinite(spec.forgetBias ?? DEFAULT_FORGET_BIAS)) {
    throw new RangeError(`forgetBias must be finite, got ${spec.forgetBias}`);
  }
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

function stepGradient(norms: GradientNorms, index: number): { t: number; gradientNorm: number | null; log10GradientNorm: number | null } {
  return {
    t: index + 1,
    gradientNorm: finiteOrNull(norms.plain[index] as number),
    log10GradientNorm: finiteOrNull(norms.log10[index] as number),
  };
}

function summarise(norms: GradientNorms, loss: number): RecurrentSummary {
  const steps = norms.log10.length;
  // −Infinity (a zero gradient at t = 1) or NaN (zero at both ends) become null; verdictFor calls both vanishing.
  const ratio = (norms.log10[0] as number) - (norms.log10[steps - 1] as number);
  const log10GradientRatio = finiteOrNull(ratio);
  return {
    log10GradientRatio,
    meanLog10GainPerStep: steps > 1 && log10GradientRatio !== null ? log10GradientRatio / (steps - 1) : null,
    verdict: verdictFor(ratio),
    loss,
  };
}

/**
 * Rough elementwise flops per unit and step, forward and backward: activation
 * value and derivative (twice) for the RNN; five sigmoids/tanh forward, a dozen
 * backward and the gate arithmetic for the LSTM.
 */
const ELEMENTWISE_FLOPS: Record<RecurrentCell, number> = { rnn: 60, lstm: 400 };

export function estimateRecurrentCost(spec: RecurrentSpec): RecurrentCost {
  const batchSize = spec.batchSize ?? DEFAULT_BATCH_SIZE;
  const { inputSize, hiddenSize, steps } = spec;
  const gates = spec.cell === 'lstm' ? lstmGates.length : 1;
  const width = gates * hiddenSize;
  const elementBytes = (spec.precision ?? DEFAULT_PRECISION) === 'float64' ? 8 : 4;
  const recurrentInit = spec.recurrentInit ?? DEFAULT_RECURRENT_INIT;
  const inputInit = spec.inputInit ?? DEFAULT_INPUT_INIT;
  const flops =
    2 * steps * batchSize * inputSize * width + // the input products, all steps in one
    2 * 2 * (steps - 1) * batchSize * hiddenSize * width + // h_{t−1}·W_h forward, δa·W_hᵀ backward
    ELEMENTWISE_FLOPS[spec.cell] * steps * batchSize * hiddenSize +
    gates * (initializationFlops(inputInit.scheme, inputSize, hiddenSize) + initializationFlops(recurrentInit.scheme, hiddenSize, hiddenSize));
  const trajectory = steps * batchSize * (inputSize + width + (spec.cell === 'lstm' ? hiddenSize : 0)) * elementBytes;
  const parameters = (inputSize + 2 * hiddenSize) * width * elementBytes;
  // One float64 block while it is drawn; orthogonal also holds the Gaussian matrix and its Q and R.
  const largestBlock = Math.max(inputSize, hiddenSize) * hiddenSize * 8;
  const initialisation = recurrentInit.scheme === 'orthogonal' || inputInit.scheme === 'orthogonal' ? 4 * largestBlock : largestBlock;
  const stepBuffers = batchSize * (width * (8 + 2 * elementBytes) + hiddenSize * (4 * 8 + 2 * elementBytes));
  return { flops, bytes: trajectory + parameters + initialisation + stepBuffers };
}
