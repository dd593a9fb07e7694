import type { z } from 'zod';
import { activationStatisticsChartSpec, feedforwardGradientChartSpec, type GradientNorm } from '../../plots/index.js';
import type { feedforwardPictureQuerySchema } from '../../schemas/plots.js';
import { feedforwardBodySchema } from '../../schemas/simulations.js';
import { estimateFeedforwardCost, simulateFeedforward, type FeedforwardResult, type FeedforwardSpec } from '../../simulation/feedforward/index.js';
import { drawOps, initializationFlops } from '../../simulation/init.js';
import { predictFeedforward, type FeedforwardTheory } from '../../theory/feedforward-prediction.js';
import { plus, type Work } from '../cost.js';
import { boundLayers, plannedLayers, type PlannedLayer } from '../networks.js';
import { defineOperation, type Representation } from '../operation.js';
import { pictureOptionsOf, pictureWork, type PictureOptions } from '../pictures.js';

/** A batch forward and back through a feed-forward network, layer by layer, with the mean-field prediction beside it. */

export type FeedforwardPlan = Omit<FeedforwardSpec, 'layers'> & {
  layers: PlannedLayer[];
  picture: PictureOptions & { chart: 'gradients' | 'statistics'; norms: GradientNorm[]; band: 'range' | 'std' | 'none' };
};

export const feedforwardSpecOf = (plan: Omit<FeedforwardPlan, 'picture'>): FeedforwardSpec => ({ ...plan, layers: boundLayers(plan.layers) });

/** JSON bytes of one layer's figures (a trial spread and the theory's prediction add to it). */
const LAYER_ANSWER_BYTES = 900;
const SPREAD_ANSWER_BYTES = 700;

/**
 * Elementwise passes per unit and example: φ and φ′ together (tanh: one expm1 for both), the
 * statistics of z and a, δ with its sums and norm (each batch or layer normalisation adds its own);
 * bench:scale measures them (README, Performance).
 */
const ELEMENT_PASSES = 3;
const BATCH_NORM_PASSES = 5;

export function feedforwardWork(plan: Omit<FeedforwardPlan, 'picture'>): Work {
  const spec = feedforwardSpecOf(plan);
  const estimate = estimateFeedforwardCost(spec);
  const batchSize = 'values' in spec.input ? spec.input.values.length : spec.input.batchSize;
  let productFlops = 0;
  let elementOps = 'values' in spec.input ? 0 : batchSize * spec.inputSize;
  let decompositionFlops = 0;
  let fanIn = spec.inputSize;
  spec.layers.forEach((layer, position) => {
    productFlops += (position === 0 ? 2 : 3) * 2 * batchSize * fanIn * layer.width;
    const normalisations = (layer.batchNorm ? 1 : 0) + (layer.layerNorm === true ? 1 : 0) + (layer.residualNorm === undefined ? 0 : 1);
    elementOps += batchSize * layer.width * (ELEMENT_PASSES + normalisations * BATCH_NORM_PASSES);
    if (layer.weights === undefined) {
      elementOps += fanIn * layer.width * drawOps(layer.init.scheme);
      if (layer.init.scheme === 'orthogonal') decompositionFlops += initializationFlops('orthogonal', fanIn, layer.width);
    }
    fanIn = layer.width;
  });
  if (spec.loss.type === 'mse' && spec.loss.targets === undefined) elementOps += batchSize * fanIn;
  const trials = spec.trials;
  const depth = spec.layers.length;
  return {
    engineFlops: estimate.precision === 'float32' ? trials * productFlops : 0,
    scalarFlops: estimate.precision === 'float64' ? trials * productFlops : 0,
    decompositionFlops: trials * decompositionFlops,
    elementOps: trials * elementOps,
    // Every layer forward and back: a few engine calls and their bookkeeping each way (as a recurrent step).
    passes: 2 * trials * depth,
    chartMarks: 0,
    pixels: 0,
    workingBytes: estimate.bytes,
    answerBytes: depth * (LAYER_ANSWER_BYTES + (trials > 1 ? SPREAD_ANSWER_BYTES : 0)),
  };
}

type Body = z.output<typeof feedforwardBodySchema>;
type Query = z.output<typeof feedforwardPictureQuerySchema>;

export const simulateFeedforwardOperation = defineOperation({
  id: 'simulateFeedforward',
  bodySchema: feedforwardBodySchema,
  representations: ['json', 'svg', 'png', 'vegalite'],
  plan: ({ body, query, representation }: { body: Body; query: Query; representation: Representation }): FeedforwardPlan => ({
    ...plannedLayers(body.network),
    input: body.input ?? { batchSize: 64, distribution: 'normal', scale: 1 },
    loss: body.loss ?? { type: 'mse' },
    trials: body.trials,
    seed: body.seed,
    ...(body.precision === undefined ? {} : { precision: body.precision }),
    picture: { ...pictureOptionsOf(representation, query), chart: query.chart, norms: query.norms, band: query.band },
  }),
  cost: (plan) => {
    const work = feedforwardWork(plan);
    const layers = plan.layers.length;
    const marks = plan.picture.chart === 'statistics' ? 4 * layers : plan.picture.norms.length * layers * (plan.trials > 1 ? 3 : 1);
    const picture = pictureWork(plan.picture, marks, plan.picture.chart === 'statistics' ? { rows: 4, height: 180 } : {});
    return plan.picture.representation === 'json' ? work : plus({ ...work, answerBytes: 0 }, picture);
  },
  run: (plan): FeedforwardResult & { theory?: FeedforwardTheory } => {
    const spec = feedforwardSpecOf(plan);
    const result = simulateFeedforward(spec);
    const theory = predictFeedforward(spec, result);
    return theory === null ? result : { ...result, theory };
  },
  spec: (result, { picture }) => {
    const options = { result, width: picture.width, height: picture.height, title: picture.title };
    if (picture.chart === 'statistics') return activationStatisticsChartSpec(options);
    // The mean-field prediction is of ‖∂L/∂zˡ‖: drawn beside it when that is the first norm asked for.
    const line = picture.norms[0] === 'preactivation' ? result.theory?.layers.map((layer) => layer.log10PreactivationNorm) : undefined;
    const spec = feedforwardGradientChartSpec({ ...options, norms: picture.norms, band: picture.band, ...(line === undefined ? {} : { theory: line, theoryLabel: 'theory ‖∂L/∂zˡ‖ (mean field)' }) });
    // Vega-Lite's place for data it does not draw: the verdict and the theory's figures, so that a page that
    // shows the chart can say them in words without running the simulation a second time for its JSON.
    const figures = result.theory;
    const theory = figures === undefined ? {} : { theory: { sigmaW2: figures.sigmaW2, sigmaB2: figures.sigmaB2, qStar: figures.qStar, chi1: figures.chi1, phase: figures.phase, predictedMeanLog10GainPerLayer: figures.predictedMeanLog10GainPerLayer, measuredMeanLog10GainPerLayer: figures.measuredMeanLog10GainPerLayer } };
    return { ...spec, usermeta: { summary: result.summary, ...theory } };
  },
});
