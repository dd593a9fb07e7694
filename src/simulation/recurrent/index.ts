/** The recurrent simulator's public surface; what it shares with the others (thresholds, Precision) is imported from ../. */
export type { GradientObserver, StateInjection } from './core.js';
export { RecurrentOverflowError } from './core.js';
export { estimateRecurrentCost, type RecurrentCost } from './cost.js';
export { type GruGate, gruGates } from './gru.js';
export { type LstmGate, lstmGates } from './lstm.js';
export type { GruResult, GruStep, LstmResult, LstmStep, RecurrentResult, RecurrentSummary, RnnResult, RnnStep } from './result.js';
export { type RecurrentProbes, simulateRecurrent } from './run.js';
export {
  DEFAULT_BATCH_SIZE,
  DEFAULT_FORGET_BIAS,
  DEFAULT_INPUT_INIT,
  DEFAULT_PRECISION,
  DEFAULT_RECURRENT_INIT,
  gateCounts,
  type GruSpec,
  type LstmSpec,
  planRecurrent,
  type RecurrentCell,
  recurrentCells,
  type RecurrentDimensions,
  type RecurrentSpec,
  type RecurrentWeightsSpec,
  type RnnSpec,
} from './spec.js';
