import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { findActivation } from '../../activations/registry.js';
import { activationChart, activationPanelsChart } from '../../plots/index.js';
import { ProblemError, problemResponses } from '../../problems.js';
import { activationIdParamsSchema } from '../../schemas/catalogue.js';
import { activationPlotQuerySchema, activationsPlotBodySchema, pictureFormatQuerySchema } from '../../schemas/plots.js';
import { drawPicture, negotiate, pictureOnlyContent, sendPicture } from '../pictures.js';
import { resolveReference } from './evaluation-requests.js';

const plotRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/activations/:id/plot', {
    schema: {
      tags: ['pictures'],
      operationId: 'plotActivation',
      summary: 'Plot an activation and its derivative',
      description:
        'A textbook figure of f and f′ on shared axes, titled, labelled, with a legend; at a corner the line breaks, a filled dot marks the derivative the service returns there and an open circle the other one-sided limit. Activation parameters are query keys (`/v1/activations/elu/plot?alpha=0.5`). SVG by default; PNG with `Accept: image/png` or `format=png`.',
      params: activationIdParamsSchema,
      querystring: activationPlotQuerySchema,
      response: { 200: pictureOnlyContent('The chart.'), ...problemResponses([400, 404, 406, 422]) },
    },
    handler: async (request, reply) => {
      const record = findActivation(request.params.id);
      if (record === undefined) throw new ProblemError('notFound', `No activation "${request.params.id}". GET /v1/activations lists them all.`);
      const { start, stop, points, curves, format, width, height, title, scale, ...params } = request.query;
      const representation = negotiate(request, ['svg', 'png'], format);
      const resolved = resolveReference(record.id, params, ['querystring']);
      const svg = await drawPicture(() =>
        activationChart({ activations: [{ resolved }], range: [start, stop], curves, points, width, height, title }),
      );
      return sendPicture(reply, representation as 'svg' | 'png', svg, scale);
    },
  });

  app.post('/plots/activations', {
    schema: {
      tags: ['pictures'],
      operationId: 'plotActivations',
      summary: 'Plot several activations and their derivatives',
      description:
        'Several activations overlaid, coloured alike in two panels (values | derivatives) or in one chart: the classic "sigmoid, tanh, ReLU, ELU and their derivatives" figure.',
      querystring: pictureFormatQuerySchema,
      body: activationsPlotBodySchema,
      response: { 200: pictureOnlyContent('The chart.'), ...problemResponses([400, 406, 413, 415, 422]) },
    },
    handler: async (request, reply) => {
      const representation = negotiate(request, ['svg', 'png'], request.query.format);
      const { activations, layout, curves, start, stop, points, title, width, height } = request.body;
      const resolved = activations.map((reference, index) =>
        typeof reference === 'string'
          ? { resolved: resolveReference(reference, {}, ['activations', index, 'params']) }
          : { resolved: resolveReference(reference.id, reference.params ?? {}, ['activations', index, 'params']) },
      );
      const options = { activations: resolved, range: [start, stop] as const, points, title, width, height };
      const svg = await drawPicture(() => (layout === 'panels' ? activationPanelsChart(options) : activationChart({ ...options, curves })));
      return sendPicture(reply, representation as 'svg' | 'png', svg, request.query.scale);
    },
  });
};

export default plotRoutes;
