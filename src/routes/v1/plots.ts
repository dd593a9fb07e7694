import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { findActivation } from '../../activations/registry.js';
import { ProblemError, problemResponses } from '../../problems.js';
import type { Pipeline } from '../../requests/pipeline.js';
import { activationIdParamsSchema } from '../../schemas/catalogue.js';
import { activationPlotQuerySchema, activationsPlotBodySchema, pictureFormatQuerySchema } from '../../schemas/plots.js';
import { pictureOnlyContent } from '../pictures.js';

const plotRoutes: FastifyPluginAsyncZod<{ pipeline: Pipeline }> = async (app, { pipeline }) => {
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
    handler: (request, reply) => {
      const record = findActivation(request.params.id);
      if (record === undefined) throw new ProblemError('notFound', `No activation "${request.params.id}". GET /v1/activations lists them all.`);
      return pipeline.serve('plotActivation', request, reply, { query: request.query, params: { id: record.id } });
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
    handler: (request, reply) => pipeline.serve('plotActivations', request, reply, { body: request.body, query: request.query }),
  });
};

export default plotRoutes;
