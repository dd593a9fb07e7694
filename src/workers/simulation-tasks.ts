import type { z } from 'zod';
import { resolveActivation, type ResolvedActivation } from '../activations/resolve.js';
import type { FeedforwardSpec } from '../simulation/feedforward/index.js';
import type { FeedforwardLayerSpec } from '../simulation/network.js';
import type { InitSpec } from '../simulation/init.js';
import type { RecurrentSpec } from '../simulation/recurrent/index.js';
import type { feedforwardBodySchema, initSchema, jacobianBodySchema, networkSchema, recurrentBodySchema } from '../schemas/simulations.js';
import type { meanFieldBodySchema, phaseDiagramBodySchema } from '../schemas/theory.js';
import type { JacobianSpec } from '../simulation/jacobian/index.js';

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

export type SimulationTask =
  | { kind: 'feedforward'; body: FeedforwardBody }
  | { kind: 'recurrent'; body: RecurrentBody }
  | { kind: 'jacobian'; body: JacobianBody }
  | { kind: 'meanField'; body: MeanFieldBody }
  | { kind: 'phaseDiagram'; body: PhaseDiagramBody };

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

/** What a worker sends back: the result, or the request's own failure as data. */
export type SimulationOutcome =
  | { ok: true; result: unknown }
  | { ok: false; kind: 'unprocessable' | 'validation'; detail: string };
