import type { z } from 'zod';
import { activationChartSpec, activationPanelsChartSpec, type ActivationCurve, type ChartSpec } from '../../plots/index.js';
import type { activationPlotQuerySchema } from '../../schemas/plots.js';
import { activationsPlotBodySchema } from '../../schemas/plots.js';
import { bind, refOf, refOfResolved, resolveReference, type ActivationRef } from '../activation-refs.js';
import { plus, type Work } from '../cost.js';
import { defineOperation, type Representation } from '../operation.js';
import { pictureOptionsOf, pictureWork, type PictureOptions } from '../pictures.js';

/** Charts of activations and their derivatives. */

interface ActivationPlotPlan {
  activations: ActivationRef[];
  layout: 'panels' | 'overlay';
  curves: ActivationCurve[];
  range: [number, number];
  points: number;
  picture: PictureOptions;
}

function plotWork(plan: ActivationPlotPlan): Work {
  const curves = plan.layout === 'panels' ? 2 : plan.curves.length;
  const samples = plan.points * plan.activations.length * curves;
  return plus({ elementOps: samples, passes: plan.activations.length }, pictureWork(plan.picture, samples, { columns: plan.layout === 'panels' ? 2 : 1 }));
}

/** The chart's spec is the result: sampling the curves is the work. */
function plotSpec(plan: ActivationPlotPlan): ChartSpec {
  const { width, height, title } = plan.picture;
  const options = { activations: plan.activations.map((ref) => ({ resolved: bind(ref) })), range: plan.range, points: plan.points, width, height, title };
  return plan.layout === 'panels' ? activationPanelsChartSpec(options) : activationChartSpec({ ...options, curves: plan.curves });
}

const pictureRepresentations: readonly Representation[] = ['svg', 'png', 'vegalite'];

type PlotQuery = z.output<typeof activationPlotQuerySchema>;

export const plotActivationOperation = defineOperation({
  id: 'plotActivation',
  representations: pictureRepresentations,
  plan: ({ query, params, representation }: { query: PlotQuery; params: { id: string }; representation: Representation }): ActivationPlotPlan => {
    const { start, stop, points, curves, format, width, height, title, scale, ...activationParams } = query;
    void format; // negotiated by the pipeline already
    const activation = refOfResolved(resolveReference(params.id, activationParams, ['querystring']));
    return {
      activations: [activation],
      layout: 'overlay',
      curves,
      range: [start, stop],
      points,
      picture: pictureOptionsOf(representation, { width, height, title, scale }),
    };
  },
  cost: plotWork,
  run: plotSpec,
  spec: (spec) => spec,
});

type PlotsBody = z.output<typeof activationsPlotBodySchema>;

export const plotActivationsOperation = defineOperation({
  id: 'plotActivations',
  bodySchema: activationsPlotBodySchema,
  representations: pictureRepresentations,
  plan: ({ body, query, representation }: { body: PlotsBody; query: { scale: number }; representation: Representation }): ActivationPlotPlan => ({
    activations: body.activations.map((reference, index) => refOf(reference, ['activations', index])),
    layout: body.layout,
    curves: body.curves,
    range: [body.start, body.stop],
    points: body.points,
    picture: pictureOptionsOf(representation, { width: body.width, height: body.height, title: body.title, scale: query.scale }),
  }),
  cost: plotWork,
  run: plotSpec,
  spec: (spec) => spec,
});
