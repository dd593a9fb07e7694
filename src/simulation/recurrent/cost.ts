import { initializationFlops } from '../init.js';
import { DEFAULT_INPUT_INIT, DEFAULT_RECURRENT_INIT, planRecurrent, type RecurrentCell, type RecurrentDimensions, type RecurrentSpec } from './spec.js';

/** The dimensions the simulation will run with, and what it costs. */
export interface RecurrentCost extends RecurrentDimensions {
  /** Floating-point operations: the products, the elementwise work (estimated) and the initialisation of drawn weights. */
  flops: number;
  /** Peak bytes of the arrays one simulation holds (the stored trajectory dominates). */
  bytes: number;
}

/**
 * Rough elementwise flops per unit and step, forward and backward: activation
 * value and derivative (twice) for the RNN; five sigmoids/tanh forward, a dozen
 * backward and the gate arithmetic for the LSTM; three and their gradients
 * (each gate recomputed once in the backward pass) for the GRU.
 */
const ELEMENTWISE_FLOPS: Record<RecurrentCell, number> = { rnn: 60, lstm: 400, gru: 360 };

/** Cost of `simulateRecurrent(spec)`, for a request limit; validates the spec first (throws like it). */
export function estimateRecurrentCost(spec: RecurrentSpec): RecurrentCost {
  const dimensions = planRecurrent(spec);
  const { batchSize, gates, precision } = dimensions;
  const { inputSize, hiddenSize, steps } = spec;
  const width = gates * hiddenSize;
  const elementBytes = precision === 'float64' ? 8 : 4;
  const recurrentInit = spec.recurrentInit ?? DEFAULT_RECURRENT_INIT;
  const inputInit = spec.inputInit ?? DEFAULT_INPUT_INIT;
  const drawn = spec.weights === undefined;
  const flops =
    2 * steps * batchSize * inputSize * width + // the input products, all steps in one
    2 * 2 * (steps - 1) * batchSize * hiddenSize * width + // h_{t−1}·W_h forward, δa·W_hᵀ backward
    ELEMENTWISE_FLOPS[spec.cell] * steps * batchSize * hiddenSize +
    (drawn ? gates * (initializationFlops(inputInit.scheme, inputSize, hiddenSize) + initializationFlops(recurrentInit.scheme, hiddenSize, hiddenSize)) : 0);
  // The inputs and input terms; the LSTM's cells, the GRU's recurrent terms and hidden states.
  const trajectory = steps * batchSize * (inputSize + width + (spec.cell === 'lstm' ? hiddenSize : spec.cell === 'gru' ? width + hiddenSize : 0)) * elementBytes;
  const parameters = (inputSize + 2 * hiddenSize) * width * elementBytes;
  // One float64 block while it is drawn, orthogonal also holding the Gaussian matrix and its Q and R; W_ih before it is transposed when given.
  const largestBlock = Math.max(inputSize, hiddenSize) * hiddenSize * 8;
  const initialisation = !drawn ? inputSize * width * elementBytes : recurrentInit.scheme === 'orthogonal' || inputInit.scheme === 'orthogonal' ? 4 * largestBlock : largestBlock;
  const stepBuffers = batchSize * (width * (8 + 2 * elementBytes) + hiddenSize * (4 * 8 + 2 * elementBytes));
  return { ...dimensions, flops, bytes: trajectory + parameters + initialisation + stepBuffers };
}
