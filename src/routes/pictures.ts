import type {} from '@fastify/accepts';
import { z } from 'zod';
import type { FastifyRequest } from 'fastify';
import {
  MAX_PLOT_SIZE,
  MAX_PNG_PIXELS,
  MAX_PNG_SCALE,
  MAX_PNG_SIDE,
  MAX_TITLE_LENGTH,
  MIN_PLOT_SIZE,
  MIN_PNG_SCALE,
  PNG_MEDIA_TYPE,
  SVG_MEDIA_TYPE,
  XML_TEXT,
} from '../plots/index.js';
import { VEGA_LITE_MEDIA_TYPE } from '../plots/render.js';
import { ProblemError } from '../problems.js';
import type { Representation } from '../requests/operation.js';

/**
 * Content negotiation between JSON and pictures. A route lists what it can
 * produce, first choice first; `Accept` (or `?format=`) picks one; an
 * unacceptable `Accept` is a 406 problem.
 */

export const representationMediaTypes: Readonly<Record<Representation, string>> = {
  json: 'application/json',
  svg: SVG_MEDIA_TYPE,
  png: PNG_MEDIA_TYPE,
  binary: 'application/octet-stream',
  ndjson: 'application/x-ndjson',
  vegalite: VEGA_LITE_MEDIA_TYPE,
};

export function negotiate(request: FastifyRequest, offered: readonly Representation[], format?: Representation): Representation {
  if (format !== undefined) {
    if (!offered.includes(format)) throw new ProblemError('notAcceptable', `format=${format} is not offered here; choose one of ${offered.join(', ')}.`);
    return format;
  }
  const chosen = request.accepts().type(offered.map((representation) => representationMediaTypes[representation]));
  const representation = offered.find((candidate) => representationMediaTypes[candidate] === chosen);
  if (representation === undefined) {
    throw new ProblemError(
      'notAcceptable',
      `Accept: ${request.headers.accept ?? ''} matches nothing offered here (${offered.map((candidate) => representationMediaTypes[candidate]).join(', ')}).`,
    );
  }
  return representation;
}

/** A chart title from the client: short, and only characters an SVG (XML) can hold. */
export const chartTitleSchema = z.string().max(MAX_TITLE_LENGTH).regex(XML_TEXT, 'must not contain control characters (other than tab and line breaks) or non-characters');

/** Query options every picture-capable route accepts. */
export const pictureQueryFields = {
  format: z.enum(['json', 'svg', 'png']).optional().describe('Overrides the Accept header: `svg`, `png` or `json` (where offered).'),
  width: z.coerce.number().int().min(MIN_PLOT_SIZE).max(MAX_PLOT_SIZE).optional().describe('Plot-area width in CSS pixels.'),
  height: z.coerce.number().int().min(MIN_PLOT_SIZE).max(MAX_PLOT_SIZE).optional().describe('Plot-area height in CSS pixels.'),
  title: chartTitleSchema.optional().describe('Replaces the default title.'),
  scale: z.coerce
    .number()
    .min(MIN_PNG_SCALE)
    .max(MAX_PNG_SCALE)
    .default(2)
    .describe(`PNG only: pixels per CSS pixel (default 2); the PNG may have at most ${MAX_PNG_SIDE} pixels a side and ${MAX_PNG_PIXELS} in all.`),
};

/**
 * A chart as its Vega-Lite spec: what the SVG and PNG are rendered from, with the data inline and the house
 * style in `config`. Draw it with vega-embed (the lab at / does); its `$schema` names the Vega-Lite version.
 */
export const vegaLiteSpecSchema = z
  .looseObject({ $schema: z.string().describe('The Vega-Lite JSON schema the spec follows (v6).') })
  .describe('A Vega-Lite specification with its data inline (`data.values`) and the house style in `config`: the chart the SVG and PNG answers are rendered from.')
  .meta({ id: 'VegaLiteSpec' });

/** The `vegalite` answer's OpenAPI content entry. */
export const vegaLiteContent = { [VEGA_LITE_MEDIA_TYPE]: { schema: vegaLiteSpecSchema } };

/** Query options of a route whose chart is also answered as its Vega-Lite spec (every operation's chart route). */
export const chartQueryFields = {
  ...pictureQueryFields,
  format: z.enum(['json', 'svg', 'png', 'vegalite']).optional().describe('Overrides the Accept header: `svg`, `png`, `vegalite` (the chart\'s Vega-Lite spec) or `json` (where offered).'),
};

/** OpenAPI response for a route that answers JSON only: its description and its one media type. */
export function jsonContent<Json extends z.ZodType>(json: Json, description: string) {
  return { description, content: { 'application/json': { schema: json } } };
}

/** How a client picks among a chart route's answers, for the response's description. */
const choosingText = (vegaLite: boolean): string =>
  ` JSON by default (\`application/json\`); the chart with \`Accept: image/svg+xml\` or \`format=svg\`, \`Accept: image/png\` or \`format=png\`${vegaLite ? ', its Vega-Lite spec with `Accept: application/vnd.vegalite+json` or `format=vegalite`' : ''}. Each media type has its own schema.`;

/** OpenAPI response content for a route that answers JSON or a picture (and, with `vegaLite`, the chart's spec). */
export function pictureContent<Json extends z.ZodType>(json: Json, description: string, { vegaLite = false }: { vegaLite?: boolean } = {}) {
  return {
    description: description + choosingText(vegaLite),
    content: {
      'application/json': { schema: json },
      [SVG_MEDIA_TYPE]: { schema: z.string().describe('A self-contained SVG image (no external fonts or scripts).') },
      [PNG_MEDIA_TYPE]: { schema: z.string().meta({ format: 'binary' }).describe('The same chart rasterised (fonts embedded).') },
      ...(vegaLite ? vegaLiteContent : {}),
    },
  };
}

/**
 * OpenAPI response content for a route that only answers pictures. PNG is
 * listed first so that Swagger UI's "Try it out" asks for it and shows an
 * image (it shows SVG as XML text); without an Accept header the route still
 * answers SVG.
 */
export function pictureOnlyContent(description: string) {
  return {
    description: `${description} SVG by default (\`image/svg+xml\`); PNG with \`Accept: image/png\` or \`format=png\`, the chart's Vega-Lite spec with \`Accept: application/vnd.vegalite+json\` or \`format=vegalite\`.`,
    content: {
      [PNG_MEDIA_TYPE]: { schema: z.string().meta({ format: 'binary' }).describe('The chart rasterised (fonts embedded).') },
      [SVG_MEDIA_TYPE]: { schema: z.string().describe('A self-contained SVG image (no external fonts or scripts); the default.') },
      ...vegaLiteContent,
    },
  };
}
