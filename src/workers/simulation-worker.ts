import { initLinalg } from '../linalg/matmul.js';
import { NetworkShapeError, SimulationOverflowError } from '../simulation/errors.js';
import { simulateFeedforward } from '../simulation/feedforward/index.js';
import { InitializationError } from '../simulation/init.js';
import { RecurrentOverflowError, simulateRecurrent } from '../simulation/recurrent/index.js';
import { jacobianSpectrum } from '../simulation/jacobian/index.js';
import { predictFeedforward } from '../theory/feedforward-prediction.js';
import { meanField } from '../theory/mean-field.js';
import { phaseDiagram } from '../theory/phase-diagram.js';
import {
  feedforwardSpec,
  jacobianSpec,
  recurrentSpec,
  resolveDirectly,
  theoryActivation,
  type SimulationBodies,
  type SimulationKind,
  type SimulationOutcome,
  type SimulationResults,
  type SimulationTask,
} from './simulation-tasks.js';

/** Runs in each pool thread: one GEMM engine per thread, loaded once. */
const engineReady = initLinalg({ threads: 1 });

/**
 * Error classes do not survive the trip back to the main thread (structured
 * clone keeps only the message), so the request's own failures come back as
 * data; anything else is thrown and becomes a 500.
 */
/** The path of the first non-finite number in a result (JSON cannot carry it), or null. */
function nonFinitePath(value: unknown, path = 'result'): string | null {
  if (typeof value === 'number') return Number.isFinite(value) ? null : path;
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) {
      const found = nonFinitePath(value[index], `${path}.${index}`);
      if (found !== null) return found;
    }
    return null;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const found = nonFinitePath(item, `${path}.${key}`);
      if (found !== null) return found;
    }
  }
  return null;
}

/** One runner per kind of task: the request body in, the kind's result out. */
const runners: { [Kind in SimulationKind]: (body: SimulationBodies[Kind]) => SimulationResults[Kind] } = {
  feedforward: (body) => {
    const spec = feedforwardSpec(body, resolveDirectly);
    const result = simulateFeedforward(spec);
    const theory = predictFeedforward(spec, result);
    return theory === null ? result : { ...result, theory };
  },
  recurrent: (body) => simulateRecurrent(recurrentSpec(body, resolveDirectly)),
  jacobian: (body) => jacobianSpectrum(jacobianSpec(body, resolveDirectly)),
  meanField: (body) => {
    const activation = theoryActivation(body, resolveDirectly);
    const { sigmaW2, sigmaB2, depth, initialLength, nodeCount } = body;
    const result = meanField(activation, {
      sigmaW2,
      sigmaB2,
      depth,
      ...(initialLength === undefined ? {} : { initialLength }),
      ...(nodeCount === undefined ? {} : { nodeCount }),
    });
    return { activation: activation.record.id, params: activation.params, ...result };
  },
  phaseDiagram: (body) => {
    const activation = theoryActivation(body, resolveDirectly);
    const { sigmaW2, sigmaB2, nodeCount } = body;
    const diagram = phaseDiagram(activation, { sigmaW2, sigmaB2, ...(nodeCount === undefined ? {} : { nodeCount }) });
    return { activation: activation.record.id, params: activation.params, ...diagram };
  },
};

function run<K extends SimulationKind>(task: SimulationTask<K>): SimulationResults[K] {
  const runner: (body: SimulationBodies[K]) => SimulationResults[K] = runners[task.kind];
  return runner(task.body);
}

export default async function runSimulation<K extends SimulationKind>(task: SimulationTask<K>): Promise<SimulationOutcome<K>> {
  await engineReady;
  try {
    const result = run(task);
    const where = nonFinitePath(result);
    if (where !== null) {
      return { ok: false, kind: 'unprocessable', detail: `A figure of the result (${where}) overflows float64; reduce the weights or the input scale.` };
    }
    return { ok: true, result };
  } catch (error) {
    if (error instanceof SimulationOverflowError || error instanceof RecurrentOverflowError) {
      return { ok: false, kind: 'unprocessable', detail: error.message };
    }
    if (error instanceof NetworkShapeError || error instanceof InitializationError || error instanceof RangeError) {
      return { ok: false, kind: 'validation', detail: error.message };
    }
    throw error;
  }
}
