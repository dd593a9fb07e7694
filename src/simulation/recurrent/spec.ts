import type { ResolvedActivation } from '../../activations/resolve.js';
import type { Precision } from '../arithmetic.js';
import type { InitSpec } from '../init.js';

/**
 * What a recurrent simulation is asked to do, its defaults and its checks
 * (/work/shared/spec/simulation.md, "Recurrent networks").
 */

export const recurrentCells = ['rnn', 'lstm', 'gru'] as const;
export type RecurrentCell = (typeof recurrentCells)[number];

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

/** GRU in PyTorch's form (gru.ts); biases 0. */
export interface GruSpec extends RecurrentSpecBase {
  cell: 'gru';
}

export type RecurrentSpec = RnnSpec | LstmSpec | GruSpec;

/** Throws RangeError unless the sizes are positive integers and forgetBias is finite. */
export function checkRecurrentSpec(spec: RecurrentSpec): void {
  const sizes = { inputSize: spec.inputSize, hiddenSize: spec.hiddenSize, steps: spec.steps, batchSize: spec.batchSize ?? DEFAULT_BATCH_SIZE };
  for (const [name, value] of Object.entries(sizes)) {
    if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer, got ${value}`);
  }
  if (spec.cell === 'lstm' && !Number.isFinite(spec.forgetBias ?? DEFAULT_FORGET_BIAS)) {
    throw new RangeError(`forgetBias must be finite, got ${spec.forgetBias}`);
  }
}
