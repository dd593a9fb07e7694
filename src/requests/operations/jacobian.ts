import type { z } from 'zod';
import { jacobianSpectrumSpec } from '../../plots/index.js';
import type { pictureQuerySchema } from '../../schemas/plots.js';
import { jacobianBodySchema } from '../../schemas/simulations.js';
import { drawOps, initializationFlops } from '../../simulation/init.js';
import { estimateJacobianCost, jacobianSpectrum, type JacobianLayerSpec, type JacobianResult, type JacobianSpec } from '../../simulation/jacobian/index.js';
import { JSON_NUMBER_BYTES, plus, type Work } from '../cost.js';
import { boundLayers, plannedLayers, type PlannedLayer } from '../networks.js';
import { defineOperation, type Representation } from '../operation.js';
import { pictureOptionsOf, pictureWork, type PictureOptions } from '../pictures.js';

/** The singular values of the input–output Jacobian of a network. */

export type JacobianPlan = Omit<JacobianSpec, 'layers'> & { layers: PlannedLayer<JacobianLayerSpec>[]; picture: PictureOptions };

export const jacobianSpecOf = (plan: JacobianPlan): JacobianSpec => ({ ...plan, layers: boundLayers(plan.layers) });

/** The singular values listed in full up to this many (the service's own cut-off). */
const LISTED_SINGULAR_VALUES = 1024;
/** JSON bytes of one spectrum's figures besides its histogram, and of one depth-profile entry. */
const SPECTRUM_ANSWER_BYTES = 600;
const PROFILE_ANSWER_BYTES = 250;

export function jacobianWork(plan: JacobianPlan): Work {
  const spec = jacobianSpecOf(plan);
  const estimate = estimateJacobianCost(spec);
  const depth = spec.layers.length;
  let decompositionFlops = estimate.spectrumFlops;
  let elementOps = 'values' in spec.input ? 0 : spec.inputSize;
  let fanIn = spec.inputSize;
  let smallest = spec.inputSize;
  for (const layer of spec.layers) {
    if (layer.weights === undefined) {
      elementOps += fanIn * layer.width * drawOps(layer.init.scheme);
      if (layer.init.scheme === 'orthogonal') decompositionFlops += initializationFlops('orthogonal', fanIn, layer.width);
    }
    elementOps += spec.inputSize * layer.width;
    smallest = Math.min(smallest, layer.width);
    fanIn = layer.width;
  }
  const bins = spec.histogram?.bins ?? 40;
  const histogramBytes = (2 * bins + 1) * JSON_NUMBER_BYTES;
  const spectra = spec.everyLayer === true ? depth + 1 : 1;
  const float32 = estimate.precision === 'float32';
  return {
    engineFlops: float32 ? estimate.accumulationFlops : 0,
    scalarFlops: (float32 ? 0 : estimate.accumulationFlops) + estimate.forwardFlops,
    decompositionFlops,
    elementOps,
    passes: depth + spectra,
    chartMarks: 0,
    pixels: 0,
    workingBytes: estimate.bytes,
    answerBytes:
      spectra * (SPECTRUM_ANSWER_BYTES + histogramBytes) + depth * PROFILE_ANSWER_BYTES + Math.min(smallest, LISTED_SINGULAR_VALUES) * JSON_NUMBER_BYTES,
  };
}

type Body = z.output<typeof jacobianBodySchema>;
type Query = z.output<typeof pictureQuerySchema>;

export const jacobianSpectrumOperation = defineOperation({
  id: 'jacobianSpectrum',
  bodySchema: jacobianBodySchema,
  representations: ['json', 'svg', 'png', 'vegalite'],
  plan: ({ body, query, representation }: { body: Body; query: Query; representation: Representation }): JacobianPlan => {
    const { inputSize, layers } = plannedLayers(body.network);
    return {
      inputSize,
      layers: layers.map((layer) => (layer.bias && layer.biases === undefined ? { ...layer, biasStd: body.biasStd } : layer)),
      input: body.input,
      seed: body.seed,
      histogram: body.histogram,
      everyLayer: body.everyLayer,
      ...(body.precision === undefined ? {} : { precision: body.precision }),
      picture: pictureOptionsOf(representation, query),
    };
  },
  cost: (plan) => {
    const work = jacobianWork(plan);
    return plan.picture.representation === 'json' ? work : plus({ ...work, answerBytes: 0 }, pictureWork(plan.picture, plan.histogram?.bins ?? 40));
  },
  run: (plan): JacobianResult => jacobianSpectrum(jacobianSpecOf(plan)),
  spec: (result, { picture }) => {
    // Draw the service's own histogram (edges in log10 σ or σ) rather than re-binning.
    const { histogram } = result.spectrum;
    const sigma = (edge: number): number => (histogram.scale === 'log10' ? 10 ** edge : edge);
    const bins = histogram.counts.map((count, index) => ({
      start: sigma(histogram.edges[index] as number),
      end: sigma(histogram.edges[index + 1] as number),
      count,
    }));
    return jacobianSpectrumSpec({ bins, scale: histogram.scale, width: picture.width, height: picture.height, title: picture.title });
  },
});
