import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { problemResponses } from '../../problems.js';
import type { Pipeline } from '../../requests/pipeline.js';
import { jsonContent } from '../pictures.js';
import { evaluateManyBodySchema, evaluateManyResponseSchema } from '../../schemas/activations.js';

const evaluateRoutes: FastifyPluginAsyncZod<{ pipeline: Pipeline }> = async (app, { pipeline }) => {
  app.post('/evaluate', {
    schema: {
      tags: ['activations'],
      operationId: 'evaluateMany',
      summary: 'Evaluate several activations over the same inputs',
      description:
        'One set of inputs, many activations (each an id or `{ id, params }`), answered in request order. The element limit counts inputs × activations.',
      body: evaluateManyBodySchema,
      response: { 200: jsonContent(evaluateManyResponseSchema, 'The inputs once, and for each activation in request order its requested outputs and the parameters used.'), ...problemResponses([400, 413, 415, 422, 500]) },
    },
    handler: (request, reply) => pipeline.serve('evaluateMany', request, reply, { body: request.body }),
  });
};

export default evaluateRoutes;
