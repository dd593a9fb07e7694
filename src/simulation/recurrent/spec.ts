import type { ResolvedActivation } from '../../activations/resolve.js';
import type { Precision } from '../arithmetic.js';
import { NetworkShapeError } from '../errors.js';
import type { InitSpec } from '../init.js';
import { checkMatrix, isCount } from '../network.js';
import { gruGates } from './gru.js';
import { lstmGates } from './lstm.js';

/**
 * What a recurrent simulation is asked to do, its defaults and its checks
 * (/work/shared/spec/simulation.md, "Recurrent networks").
 */

export const recurrentCells = ['rnn', 'lstm', 'gru'] as const;
export type RecurrentCell = (typeof recurrentCells)[number];

/**
 * G, the gate blocks of each cell: W_ih and W_hh have G·H rows, the biases G·H
 * numbers, stacked in PyTorch's order (LSTM i, f, g, o; GRU r, z, n).
 */
export const gateCounts: Readonly<Record<RecurrentCell, number>> = Object.freeze({ rnn: 1, lstm: lstmGates.length, gru: gruGates.length });
const gateOrders: Readonly<Record<RecurrentCell, string>> = Object.freeze({ rnn: 'one block', lstm: 'i, f, g, o', gru: 'r, z, n' });

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

/**
 * Explicit weights in PyTorch's layout, one-to-one with torch.nn.RNN/LSTM/GRU's
 * weight_ih_l0, weight_hh_l0, bias_ih_l0 and bias_hh_l0: the products are
 * x·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh, so W_x = W_ihᵀ and W_h = W_hhᵀ.
 */
export interface RecurrentWeightsSpec {
  /** G·H rows of inputSize numbers, the gate blocks stacked. */
  weightIh: readonly (readonly number[])[];
  /** G·H rows of hiddenSize numbers. */
  weightHh: readonly (readonly number[])[];
  /** G·H numbers; zeros when absent (PyTorch's bias=False). */
  biasIh?: readonly number[];
  /** G·H numbers; zeros when absent. */
  biasHh?: readonly number[];
}

interface RecurrentSpecBase {
  inputSize: number;
  hiddenSize: number;
  /** T ≥ 1. */
  steps: number;
  /** W_h's scheme (fanIn = fanOut = hiddenSize); default DEFAULT_RECURRENT_INIT. Not with `weights`. */
  recurrentInit?: InitSpec;
  /** W_x's scheme (fanIn = inputSize, fanOut = hiddenSize); default DEFAULT_INPUT_INIT. Not with `weights`. */
  inputInit?: InitSpec;
  /** The weights themselves instead of drawn ones. */
  weights?: RecurrentWeightsSpec;
  /** x_1 … x_T given: T blocks of B rows of inputSize numbers (PyTorch's T × B × n); drawn from N(0, 1) when absent. */
  input?: { values: readonly (readonly (readonly number[])[])[] };
  /** Y given: B rows of hiddenSize numbers; drawn from N(0, 1) when absent. */
  loss?: { targets?: readonly (readonly number[])[] };
  /** Default DEFAULT_BATCH_SIZE, or the batch of `input.values` (which it must equal if both are given). */
  batchSize?: number;
  /** Default DEFAULT_SEED. */
  seed?: number;
  /** Default float64 with explicit `weights` (exact answers for weights copied from PyTorch), else DEFAULT_PRECISION. */
  precision?: Precision;
}

export interface RnnSpec extends RecurrentSpecBase {
  cell: 'rnn';
  /** φ, with its parameters resolved (the He schemes take leaky_relu's and prelu's slope from it). */
  activation: ResolvedActivation;
}

export interface LstmSpec extends RecurrentSpecBase {
  cell: 'lstm';
  /** Default DEFAULT_FORGET_BIAS; shapes drawn biases only (not with `weights`, whose biases are used as given). */
  forgetBias?: number;
}

/** GRU in PyTorch's form (gru.ts); biases 0 unless `weights` gives them. */
export interface GruSpec extends RecurrentSpecBase {
  cell: 'gru';
}

export type RecurrentSpec = RnnSpec | LstmSpec | GruSpec;

/** What a valid spec resolves to. */
export interface RecurrentDimensions {
  batchSize: number;
  /** G (gateCounts). */
  gates: number;
  precision: Precision;
}

/**
 * Checks the sizes (RangeError), and the shapes of explicit weights, input
 * values and targets (NetworkShapeError naming the request field, such as
 * `weights.weightHh` or `input.values.2`); returns the batch size, the gate
 * count and the precision the simulation runs with.
 */
export function planRecurrent(spec: RecurrentSpec): RecurrentDimensions {
  const { inputSize, hiddenSize, steps } = spec;
  for (const [name, value] of Object.entries({ inputSize, hiddenSize, steps })) {
    if (!isCount(value)) throw new RangeError(`${name} must be a positive integer, got ${value}`);
  }
  const batchSize = checkedBatchSize(spec);
  if (spec.cell === 'lstm' && !Number.isFinite(spec.forgetBias ?? DEFAULT_FORGET_BIAS)) {
    throw new RangeError(`forgetBias must be finite, got ${spec.forgetBias}`);
  }
  const gates = gateCounts[spec.cell];
  if (spec.weights !== undefined) checkWeights(spec, gates);
  if (spec.loss?.targets !== undefined) checkMatrix(spec.loss.targets, batchSize, hiddenSize, null, 'loss.targets', 'the batch size');
  const precision = spec.precision ?? (spec.weights === undefined ? DEFAULT_PRECISION : 'float64');
  return { batchSize, gates, precision };
}

/** B: `batchSize`, or the batch of `input.values` after checking its T blocks of B × inputSize. */
function checkedBatchSize(spec: RecurrentSpec): number {
  const values = spec.input?.values;
  if (values === undefined) {
    const batchSize = spec.batchSize ?? DEFAULT_BATCH_SIZE;
    if (!isCount(batchSize)) throw new RangeError(`batchSize must be a positive integer, got ${batchSize}`);
    return batchSize;
  }
  if (values.length !== spec.steps) throw new NetworkShapeError(null, 'input.values', `must hold ${spec.steps} blocks (one per step, T = steps), got ${values.length}`);
  const batchSize = values[0]?.length ?? 0;
  if (!isCount(batchSize)) throw new NetworkShapeError(null, 'input.values.0', 'must hold at least one row (one per sequence)');
  if (spec.batchSize !== undefined && spec.batchSize !== batchSize) {
    throw new NetworkShapeError(null, 'batchSize', `is ${spec.batchSize}, but input.values holds batches of ${batchSize} sequences`);
  }
  values.forEach((block, index) => checkMatrix(block, batchSize, spec.inputSize, null, `input.values.${index}`, 'the batch size, as in the first block'));
  return batchSize;
}

function checkWeights(spec: RecurrentSpec, gates: number): void {
  const weights = spec.weights as RecurrentWeightsSpec;
  const rows = gates * spec.hiddenSize;
  const rowsMeaning = `${gates}·hiddenSize: ${gateOrders[spec.cell]}`;
  checkMatrix(weights.weightIh, rows, spec.inputSize, null, 'weights.weightIh', rowsMeaning);
  checkMatrix(weights.weightHh, rows, spec.hiddenSize, null, 'weights.weightHh', rowsMeaning);
  for (const field of ['biasIh', 'biasHh'] as const) {
    const bias = weights[field];
    if (bias === undefined) continue;
    if (bias.length !== rows) throw new NetworkShapeError(null, `weights.${field}`, `must hold ${rows} numbers (${rowsMeaning}), got ${bias.length}`);
    if (!bias.every((value) => Number.isFinite(value))) throw new NetworkShapeError(null, `weights.${field}`, 'must hold finite numbers only');
  }
  // What shapes drawn weights means nothing for given ones: refused rather than ignored.
  const drawnOnly = { recurrentInit: spec.recurrentInit, inputInit: spec.inputInit, forgetBias: spec.cell === 'lstm' ? spec.forgetBias : undefined };
  for (const [field, value] of Object.entries(drawnOnly)) {
    if (value !== undefined) {
      const where = field === 'forgetBias' ? 'put the forget gate\'s bias in weights.biasIh or weights.biasHh' : 'the weights are given';
      throw new NetworkShapeError(null, field, `shapes drawn weights only; ${where}`);
    }
  }
}
