import { z } from 'zod';
import { DEFAULT_CURVE_POINTS, MAX_CHART_ACTIVATIONS, MAX_CURVE_POINTS, MAX_PLOT_SIZE, MIN_PLOT_SIZE } from '../plots/index.js';
import { chartQueryFields, chartTitleSchema, pictureQueryFields } from '../routes/pictures.js';
import { activationReferenceSchema } from './activations.js';

/** Request schemas of the plot endpoints. */

/** `format` of a route that only draws: SVG (the default), PNG or the chart's Vega-Lite spec. */
const pictureFormatField = z.enum(['svg', 'png', 'vegalite']).optional().describe('Overrides the Accept header: `svg` (the default), `png` or `vegalite` (the chart\'s Vega-Lite spec).');

const curvesSchema = z.array(z.enum(['value', 'derivative'])).min(1);

const rangeFields = {
  start: z.coerce.number().default(-5).describe('Left end of the x range (default −5).'),
  stop: z.coerce.number().default(5).describe('Right end of the x range (default 5).'),
  points: z.coerce
    .number()
    .int()
    .min(2)
    .max(MAX_CURVE_POINTS)
    .default(DEFAULT_CURVE_POINTS)
    .describe(`Points per curve, both ends included (default ${DEFAULT_CURVE_POINTS}).`),
};

/** d3's ticks need a span it can divide; below this the x axis cannot be drawn. */
export const MIN_PLOT_SPAN = 1e-300;
const spanIsDrawable = (range: { start: number; stop: number }): boolean => range.stop - range.start >= MIN_PLOT_SPAN;
const spanMessage = { message: `stop must exceed start by at least ${MIN_PLOT_SPAN}`, path: ['stop'] };

export const activationPlotQuerySchema = z
  .object({
    ...rangeFields,
    curves: z
      .string()
      .default('value,derivative')
      .transform((text) => text.split(',').map((curve) => curve.trim()))
      .pipe(curvesSchema)
      .describe('Comma-separated: `value`, `derivative` (default both).'),
    ...chartQueryFields,
    // A picture-only route: `json` is not offered here.
    format: pictureFormatField,
  })
  .catchall(z.union([z.coerce.number(), z.string()]))
  .refine(spanIsDrawable, spanMessage)
  .describe("Any other key is one of the activation's parameters, e.g. `alpha=0.5` for elu.");

export const activationsPlotBodySchema = z
  .strictObject({
    activations: z.array(activationReferenceSchema).min(1).max(MAX_CHART_ACTIVATIONS).describe('The activations to draw, each a colour.'),
    layout: z
      .enum(['panels', 'overlay'])
      .default('panels')
      .describe('`panels`: values and derivatives side by side; `overlay`: one chart with the chosen curves.'),
    curves: curvesSchema.default(['value', 'derivative']).describe('`overlay` only.'),
    start: z.number().default(-5),
    stop: z.number().default(5),
    points: z.number().int().min(2).max(MAX_CURVE_POINTS).default(DEFAULT_CURVE_POINTS).describe(`Points per curve (default ${DEFAULT_CURVE_POINTS}).`),
    title: chartTitleSchema.optional(),
    width: z.number().int().min(MIN_PLOT_SIZE).max(MAX_PLOT_SIZE).optional().describe('Plot-area width of each panel in CSS pixels.'),
    height: z.number().int().min(MIN_PLOT_SIZE).max(MAX_PLOT_SIZE).optional().describe('Plot-area height in CSS pixels.'),
  })
  .refine(spanIsDrawable, spanMessage)
  .meta({
    id: 'ActivationsPlotRequest',
    examples: [{ activations: ['sigmoid', 'tanh', 'relu', 'elu'], start: -4, stop: 4 }],
  });

export const pictureFormatQuerySchema = z.object({
  format: pictureFormatField,
  scale: pictureQueryFields.scale,
});

export const feedforwardPictureQuerySchema = z.object({
  ...chartQueryFields,
  chart: z
    .enum(['gradients', 'statistics'])
    .default('gradients')
    .describe('Pictures only: `gradients` (log10 gradient norm per layer, trials as a band) or `statistics` (output mean/std, dead and saturated fractions per layer).'),
  norms: z
    .string()
    .default('weight')
    .transform((text) => text.split(',').map((norm) => norm.trim()))
    .pipe(z.array(z.enum(['weight', 'bias', 'preactivation', 'output'])).min(1))
    .describe('Pictures only: comma-separated gradients to draw (`weight`, `bias`, `preactivation`, `output`; default `weight`).'),
  band: z.enum(['range', 'std', 'none']).default('range').describe('Pictures only, trials > 1: min–max band, mean ± std, or none.'),
});

/** Query of a route that answers JSON or a chart (or its Vega-Lite spec), with no chart options of its own. */
export const pictureQuerySchema = z.object(chartQueryFields);
