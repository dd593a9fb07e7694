import type { z } from 'zod';
import { resolveActivation, type ResolvedActivation } from '../activations/resolve.js';
import type { FeedforwardResult, FeedforwardSpec } from '../simulation/feedforward/index.js';
import type { InitSpec } from '../simulation/init.js';
import type { JacobianResult, JacobianSpec } from '../simulation/jacobian/index.js';
import type { FeedforwardLayerSpec } from '../simulation/network.js';
import type { LstmStep, RecurrentResult, RecurrentSpec, RnnStep } from '../simulation/recurrent/index.js';
import type {
  feedforwardBodySchema,
  feedforwardResponseSchema,
  initSchema,
  jacobianBodySchema,
  jacobianResponseSchema,
  networkSchema,
  recurrentBodySchema,
  recurrentResponseSchema,
} from '../schemas/simulations.js';
import type { meanFieldBodySchema, meanFieldResponseSchema, phaseDiagramBodySchema, phaseDiagramResponseSchema } from '../schemas/theory.js';
import type { FeedforwardTheory } from '../theory/feedforward-prediction.js';
import type { MeanFieldResult } from '../theory/mean-field.js';
import type { PhaseDiagram } from '../theory/phase-diagram.js';

/**
 * A simulation task as it crosses into a worker thread: the validated request
 * body (plain data; activation records hold functions and cannot be sent), and
 * how either side turns it into the numeric core's spec.
 */

export type FeedforwardBody = z.output<typeof feedforwardBodySchema>;
export type RecurrentBody = z.output<typeof recurrentBodySchema>;
export type JacobianBody = z.output<typeof jacobianBodySchema>;
export type MeanFieldBody = z.output<typeof meanFieldBodySchema>;
export type PhaseDiagramBody = z.output<typeof phaseDiagramBodySchema>;

/** What each kind of task is sent. */
export interface SimulationBodies {
  feedforward: FeedforwardBody;
  recurrent: RecurrentBody;
  jacobian: JacobianBody;
  meanField: MeanFieldBody;
  phaseDiagram: PhaseDiagramBody;
}

export type SimulationKind = keyof SimulationBodies;

/** A task of kind K (of any kind by default); written so that `kind` picks `body`'s type. */
export type SimulationTask<K extends SimulationKind = SimulationKind> = { [Kind in K]: { kind: Kind; body: SimulationBodies[Kind] } }[K];

/** A theory result with the activation it was computed for. */
export type Labelled<Result> = Result & { activation: string; params: Record<string, number | string> };

/** The feed-forward result with mean-field theory beside it where the theory applies (src/theory/feedforward-prediction.ts). */
export type FeedforwardResponse = FeedforwardResult & { theory?: FeedforwardTheory };

/**
 * What each kind of task answers: the numeric core's own result types (with
 * what the worker adds), which the routes' response schemas must describe; see
 * ResponseSchemasMatchResults.
 */
export interface SimulationResults {
  feedforward: FeedforwardResponse;
  recurrent: RecurrentResult;
  jacobian: JacobianResult;
  meanField: Labelled<MeanFieldResult>;
  phaseDiagram: Labelled<PhaseDiagram>;
}

/** true when A and B are assignable to each other. */
type SameShape<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
/** true when A is assignable to B. */
type Fits<A, B> = [A] extends [B] ? true : false;
type Holds<T extends true> = T;

type RecurrentResponse = z.output<typeof recurrentResponseSchema>;

/**
 * Compile-time checks that each response schema describes exactly what the
 * core returns: the core's interfaces are the source of truth, and a field
 * added to, removed from or retyped in either side fails the type check. The
 * recurrent schema flattens RnnStep | LstmStep into one step object with
 * optional fields (as the OpenAPI document shows it), so there the result must
 * fit the schema, and the step fields and the summary must be the same.
 */
export type ResponseSchemasMatchResults = [
  Holds<SameShape<SimulationResults['feedforward'], z.output<typeof feedforwardResponseSchema>>>,
  Holds<Fits<SimulationResults['recurrent'], RecurrentResponse>>,
  Holds<SameShape<keyof SimulationResults['recurrent'], keyof RecurrentResponse>>,
  Holds<SameShape<keyof RnnStep | keyof LstmStep, keyof RecurrentResponse['steps'][number]>>,
  Holds<SameShape<SimulationResults['recurrent']['summary'], RecurrentResponse['summary']>>,
  Holds<SameShape<SimulationResults['jacobian'], z.output<typeof jacobianResponseSchema>>>,
  Holds<SameShape<SimulationResults['meanField'], z.output<typeof meanFieldResponseSchema>>>,
  Holds<SameShape<SimulationResults['phaseDiagram'], z.output<typeof phaseDiagramResponseSchema>>>,
];

type ActivationReference = string | { id: string; params?: Record<string, number | string> | undefined };

/** Resolves an activation reference; `path` locates it in the request (for error messages). */
export type ActivationResolver = (name: string, params: unknown, path: readonly PropertyKey[]) => ResolvedActivation;

export const resolveDirectly: ActivationResolver = (name, params) => resolveActivation(name, params);

const DEFAULT_LAYER_INIT: InitSpec = { scheme: 'xavier_normal' };

function resolveReference(reference: ActivationReference, path: readonly PropertyKey[], resolve: ActivationResolver): ResolvedActivation {
  return typeof reference === 'string'
    ? resolve(reference, {}, [...path, 'params'])
    : resolve(reference.id, reference.params ?? {}, [...path, 'params']);
}

const initSpec = (init: z.output<typeof initSchema>): InitSpec => (typeof init === 'string' ? { scheme: init } : init);

/** The layers of a network, explicit or in the uniform shorthand. */
function networkLayers(network: z.output<typeof networkSchema>, resolve: ActivationResolver): { inputSize: number; layers: FeedforwardLayerSpec[] } {
  if ('layers' in network) {
    return {
      inputSize: network.inputSize,
      layers: network.layers.map((layer, index) => ({
        width: layer.width,
        activation: resolveReference(layer.activation, ['network', 'layers', index, 'activation'], resolve),
        init: layer.init === undefined ? DEFAULT_LAYER_INIT : initSpec(layer.init),
        bias: layer.bias,
        batchNorm: layer.batchNorm,
        residual: layer.residual,
        ...(layer.weights === undefined ? {} : { weights: layer.weights }),
        ...(layer.biases === undefined ? {} : { biases: layer.biases }),
      })),
    };
  }
  const inputSize = network.inputSize ?? network.width;
  const activation = resolveReference(network.activation, ['network', 'activation'], resolve);
  const init = network.init === undefined ? DEFAULT_LAYER_INIT : initSpec(network.init);
  return {
    inputSize,
    layers: Array.from({ length: network.depth }, (_, index) => ({
      width: network.width,
      activation,
      init,
      bias: network.bias,
      batchNorm: network.batchNorm,
      // The first layer can only be residual when the input has the layers' width.
      residual: network.residual && (index > 0 || inputSize === network.width),
    })),
  };
}

export function feedforwardSpec(body: FeedforwardBody, resolve: ActivationResolver): FeedforwardSpec {
  return {
    ...networkLayers(body.network, resolve),
    input: body.input ?? { batchSize: 64, distribution: 'normal', scale: 1 },
    loss: body.loss ?? { type: 'mse' },
    trials: body.trials,
    seed: body.seed,
    ...(body.precision === undefined ? {} : { precision: body.precision }),
  };
}

export function jacobianSpec(body: JacobianBody, resolve: ActivationResolver): JacobianSpec {
  const { inputSize, layers } = networkLayers(body.network, resolve);
  return {
    inputSize,
    layers: layers.map((layer) => (layer.bias && layer.biases === undefined ? { ...layer, biasStd: body.biasStd } : layer)),
    input: body.input,
    seed: body.seed,
    histogram: body.histogram,
    everyLayer: body.everyLayer,
    ...(body.precision === undefined ? {} : { precision: body.precision }),
  };
}

/** An activation reference of a theory request, resolved. */
export function theoryActivation(body: MeanFieldBody | PhaseDiagramBody, resolve: ActivationResolver): ResolvedActivation {
  return resolveReference(body.activation, ['activation'], resolve);
}

export function recurrentSpec(body: RecurrentBody, resolve: ActivationResolver): RecurrentSpec {
  const common = {
    inputSize: body.inputSize,
    hiddenSize: body.hiddenSize,
    steps: body.steps,
    batchSize: body.batchSize,
    seed: body.seed,
    precision: body.precision,
    ...(body.recurrentInit === undefined ? {} : { recurrentInit: initSpec(body.recurrentInit) }),
    ...(body.inputInit === undefined ? {} : { inputInit: initSpec(body.inputInit) }),
  };
  if (body.cell === 'lstm') {
    return { ...common, cell: 'lstm', ...(body.forgetBias === undefined ? {} : { forgetBias: body.forgetBias }) };
  }
  return { ...common, cell: 'rnn', activation: resolveReference(body.activation ?? 'tanh', ['activation'], resolve) };
}

/** What a worker sends back for a task of kind K: its result, or the request's own failure as data. */
export type SimulationOutcome<K extends SimulationKind = SimulationKind> =
  | { ok: true; result: SimulationResults[K] }
  | { ok: false; kind: 'unprocessable' | 'validation'; detail: string };
