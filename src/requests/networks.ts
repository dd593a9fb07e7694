import type { z } from 'zod';
import type { networkSchema, initSchema, residualSchema } from '../schemas/simulations.js';
import type { FeedforwardLayerSpec } from '../simulation/network.js';
import { canonicalInitScheme, type InitSpec } from '../simulation/init.js';
import { bind, refOf, type ActivationRef } from './activation-refs.js';

/** A network's layers as a plan holds them (activations as references), and back to the core's spec. */

export type PlannedLayer<Layer extends FeedforwardLayerSpec = FeedforwardLayerSpec> = Omit<Layer, 'activation'> & { activation: ActivationRef };

const DEFAULT_LAYER_INIT: InitSpec = { scheme: 'xavier_normal' };

/** A request's init as the core's: the object form, its scheme by our name (PyTorch's and Keras's aliases mapped). */
export const initSpecOf = (init: z.output<typeof initSchema>): InitSpec =>
  typeof init === 'string' ? { scheme: canonicalInitScheme(init) } : { ...init, scheme: canonicalInitScheme(init.scheme) };

/** The request's `residual` (false, true, "post-norm", "pre-norm") as the core's two fields. */
export function residualOf(residual: z.output<typeof residualSchema>): { residual: boolean; residualNorm?: 'post-norm' | 'pre-norm' } {
  return typeof residual === 'string' ? { residual: true, residualNorm: residual } : { residual };
}

/** The layers of a network, explicit or in the uniform shorthand. */
export function plannedLayers(network: z.output<typeof networkSchema>): { inputSize: number; layers: PlannedLayer[] } {
  if ('layers' in network) {
    return {
      inputSize: network.inputSize,
      layers: network.layers.map((layer, index) => ({
        width: layer.width,
        activation: refOf(layer.activation, ['network', 'layers', index, 'activation']),
        init: layer.init === undefined ? DEFAULT_LAYER_INIT : initSpecOf(layer.init),
        bias: layer.bias,
        batchNorm: layer.batchNorm,
        layerNorm: layer.layerNorm,
        ...residualOf(layer.residual),
        ...(layer.weights === undefined ? {} : { weights: layer.weights }),
        ...(layer.biases === undefined ? {} : { biases: layer.biases }),
      })),
    };
  }
  const inputSize = network.inputSize ?? network.width;
  const activation = refOf(network.activation, ['network', 'activation']);
  const init = network.init === undefined ? DEFAULT_LAYER_INIT : initSpecOf(network.init);
  return {
    inputSize,
    layers: Array.from({ length: network.depth }, (_, index) => ({
      width: network.width,
      activation,
      init,
      bias: network.bias,
      batchNorm: network.batchNorm,
      layerNorm: network.layerNorm,
      // The first layer can only be residual when the input has the layers' width.
      ...residualOf(index > 0 || inputSize === network.width ? network.residual : false),
    })),
  };
}

/** The core's layers: each activation bound to its record (one lookup per distinct reference). */
export function boundLayers<Layer extends FeedforwardLayerSpec>(layers: readonly PlannedLayer<Layer>[]): Layer[] {
  const bound = new Map<ActivationRef, ReturnType<typeof bind>>();
  return layers.map((layer) => {
    let activation = bound.get(layer.activation);
    if (activation === undefined) bound.set(layer.activation, (activation = bind(layer.activation)));
    return { ...layer, activation } as Layer;
  });
}
