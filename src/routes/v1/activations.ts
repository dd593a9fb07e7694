import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { catalogue, descriptorOf } from '../../activations/catalogue.js';
import { activations, findActivation } from '../../activations/registry.js';
import { ProblemError, problemResponses } from '../../problems.js';
import { evaluateOneBodySchema, evaluateOneResponseSchema } from '../../schemas/activations.js';
import { activationDescriptorSchema, activationIdParamsSchema, catalogueResponseSchema } from '../../schemas/catalogue.js';
import type { Pipeline } from '../../requests/pipeline.js';
import { jsonContent } from '../pictures.js';

const activationRoutes: FastifyPluginAsyncZod<{ pipeline: Pipeline }> = async (app, { pipeline }) => {
  const recordOf = (id: string) => {
    const record = findActivation(id);
    if (record === undefined) {
      throw new ProblemError('notFound', `No activation "${id}". GET /v1/activations lists them all.`);
    }
    return record;
  };

  app.get('/activations', {
    schema: {
      tags: ['activations'],
      operationId: 'listActivations',
      summary: 'List every activation',
      description:
        `The catalogue: all ${activations.length} activation functions with their formulas, parameters, range, properties, derivative at 0, maximum derivative, corners and history.`,
      response: { 200: jsonContent(catalogueResponseSchema, 'Every activation of the catalogue, in catalogue order.'), ...problemResponses([500]) },
    },
    handler: async () => ({ activations: [...catalogue] }),
  });

  app.get('/activations/:id', {
    schema: {
      tags: ['activations'],
      operationId: 'getActivation',
      summary: 'Describe one activation',
      description: 'The catalogue entry of one activation, by id or alias (`logistic` gives sigmoid).',
      params: activationIdParamsSchema,
      response: { 200: jsonContent(activationDescriptorSchema, 'The catalogue entry of the activation (its canonical id, aliases resolved).'), ...problemResponses([400, 404]) },
    },
    handler: async (request) => descriptorOf(recordOf(request.params.id)),
  });

  app.post('/activations/:id/evaluate', {
    schema: {
      tags: ['activations'],
      operationId: 'evaluateActivation',
      summary: 'Evaluate one activation in a batch',
      description:
        "f(x), f′(x) and, for learnable parameters, ∂f/∂θ over an explicit `x` or an inclusive `grid`, in float64 to within a few ulp. Corners follow PyTorch's autograd.",
      params: activationIdParamsSchema,
      body: evaluateOneBodySchema,
      response: { 200: jsonContent(evaluateOneResponseSchema, 'The inputs and the requested outputs (`value`, `derivative`, `paramGradients`), one number per input, with the parameters used.'), ...problemResponses([400, 404, 413, 415, 422, 500]) },
    },
    handler: (request, reply) => {
      const record = recordOf(request.params.id);
      return pipeline.serve('evaluateActivation', request, reply, { body: request.body, params: { id: record.id } });
    },
  });
};

export default activationRoutes;
