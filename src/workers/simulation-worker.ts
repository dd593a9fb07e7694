import { initLinalg } from '../linalg/matmul.js';
import { SimulationOverflowError, simulateFeedforward } from '../simulation/feedforward.js';
import { NetworkShapeError } from '../simulation/feedforward-spec.js';
import { InitializationError } from '../simulation/init.js';
import { RecurrentOverflowError, simulateRecurrent } from '../simulation/recurrent.js';
import { feedforwardSpec, recurrentSpec, resolveDirectly, type SimulationOutcome, type SimulationTask } from './simulation-tasks.js';

/** Runs in each pool thread: one GEMM engine per thread, loaded once. */
const engineReady = initLinalg({ threads: 1 });

/**
 * Error classes do not survive the trip back to the main thread (structured
 * clone keeps only the message), so the request's own failures come back as
 * data; anything else is thrown and becomes a 500.
 */
export default async function runSimulation(task: SimulationTask): Promise<SimulationOutcome> {
  await engineReady;
  try {
    const result =
      task.kind === 'feedforward'
        ? simulateFeedforward(feedforwardSpec(task.body, resolveDirectly))
        : simulateRecurrent(recurrentSpec(task.body, resolveDirectly));
    return { ok: true, result };
  } catch (error) {
    if (error instanceof SimulationOverflowError || error instanceof RecurrentOverflowError) {
      return { ok: false, kind: 'unprocessable', detail: error.message };
    }
    if (error instanceof NetworkShapeError || error instanceof InitializationError) {
      return { ok: false, kind: 'validation', detail: error.message };
    }
    throw error;
  }
}
