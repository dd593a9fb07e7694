import type { Operation, OperationId } from '../operation.js';
import { evaluateActivationBinaryOperation } from './binary-evaluate.js';
import { evaluateActivationOperation, evaluateManyOperation } from './evaluate.js';
import { simulateFeedforwardOperation } from './feedforward.js';
import { jacobianSpectrumOperation } from './jacobian.js';
import { plotActivationOperation, plotActivationsOperation } from './plots.js';
import { simulateRecurrentOperation } from './recurrent.js';
import { meanFieldOperation, phaseDiagramOperation } from './theory.js';
import { trainOperation } from './training.js';

/** Every operation by id: the routes and the workers find them here. */
export const operations = {
  evaluateActivation: evaluateActivationOperation,
  evaluateMany: evaluateManyOperation,
  evaluateActivationBinary: evaluateActivationBinaryOperation,
  plotActivation: plotActivationOperation,
  plotActivations: plotActivationsOperation,
  simulateFeedforward: simulateFeedforwardOperation,
  simulateRecurrent: simulateRecurrentOperation,
  jacobianSpectrum: jacobianSpectrumOperation,
  meanField: meanFieldOperation,
  phaseDiagram: phaseDiagramOperation,
  train: trainOperation,
} satisfies Record<OperationId, unknown>;

/** An operation with its types erased, as the pipeline and the workers drive it. */
export function operationById(id: OperationId): Operation {
  return operations[id];
}
