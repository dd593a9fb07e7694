import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { problemResponses } from '../../problems.js';
import { evaluateManyBodySchema, evaluateManyResponseSchema } from '../../schemas/activations.js';
import { evaluateToJson, requestInputs, resolveReference } from './evaluation-requests.js';

const evaluateRoutes: FastifyPluginAsyncZod<{ maxElements: number }> = async (app, { maxElements }) => {
  app.post('/evaluate', {
    schema: {
      tags: ['activations'],
      operationId: 'evaluateMany',
      summary: 'Evaluate several activations over the same inputs',
      description:
        'One set of inputs, many activations (each an id or `{ id, params }`), answered in request order. The element limit counts inputs × activations.',
      body: evaluateManyBodySchema,
      response: { 200: evaluateManyResponseSchema, ...problemResponses([400, 413, 415, 422, 500]) },
    },
    handler: async (request) => {
      const { activations, mode, seed, outputs } = request.body;
      const resolved = activations.map((reference, index) =>
        typeof reference === 'string'
          ? resolveReference(reference, {}, ['activations', index, 'params'])
          : resolveReference(reference.id, reference.params ?? {}, ['activations', index, 'params']),
      );
      const x = requestInputs(request.body, activations.length, maxElements);
      return {
        mode,
        count: x.length,
        x,
        results: resolved.map((activation) => ({
          activation: activation.record.id,
          params: activation.params,
          ...evaluateToJson(activation, x, { outputs, mode, seed }),
        })),
      };
    },
  });
};

export default evaluateRoutes;
