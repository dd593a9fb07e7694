import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { findActivation } from '../../activations/registry.js';
import { DEFAULT_SEED, MAX_SEED } from '../../random.js';
import { ProblemError, problemResponses } from '../../problems.js';
import { OCTET_STREAM } from '../../requests/operations/binary-evaluate.js';
import type { Pipeline } from '../../requests/pipeline.js';
import { activationIdParamsSchema } from '../../schemas/catalogue.js';

export const binaryQuerySchema = z
  .object({
    outputs: z
      .string()
      .default('value,derivative')
      .transform((text) => text.split(',').map((output) => output.trim()))
      .pipe(z.array(z.enum(['value', 'derivative', 'paramGradients'])).min(1))
      .describe('Comma-separated, in the order they are concatenated in the response (default `value,derivative`).'),
    mode: z.enum(['eval', 'train']).default('eval'),
    seed: z.coerce.number().int().min(0).max(MAX_SEED).default(DEFAULT_SEED),
  })
  .catchall(z.union([z.coerce.number(), z.string()]))
  .describe("Any other key is one of the activation's parameters, e.g. `alpha=0.5`.");

const binaryEvaluateRoutes: FastifyPluginAsyncZod<{ pipeline: Pipeline }> = async (app, { pipeline }) => {
  app.addContentTypeParser(OCTET_STREAM, { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

  app.post('/activations/:id/evaluate/binary', {
    schema: {
      tags: ['activations'],
      operationId: 'evaluateActivationBinary',
      summary: 'Evaluate one activation on raw float64 (no JSON)',
      description:
        'The body is x as little-endian float64 (8 bytes per input); parameters, `outputs`, `mode` and `seed` are query keys. The response is the requested outputs, each n little-endian float64s, concatenated in the order of `outputs` (paramGradients: one block per learnable parameter, in the order of the catalogue); the headers `x-count` and `x-outputs` describe the layout. Same numbers, bit for bit, as the JSON endpoint.',
      consumes: [OCTET_STREAM],
      params: activationIdParamsSchema,
      querystring: binaryQuerySchema,
      // Raw bytes, not a JSON value: no `type` (OpenAPI 3.1), so generated clients take any bytes (a Uint8Array, a Blob).
      body: z.instanceof(Buffer).meta({ description: 'x as little-endian float64 (8 bytes per input).', contentMediaType: OCTET_STREAM }),
      response: {
        200: {
          description: 'The outputs as little-endian float64, concatenated; `x-count` and `x-outputs` give the layout.',
          headers: {
            'x-count': { type: 'integer', minimum: 0, description: 'n, the number of inputs: every block of the body holds n float64s (8n bytes).' },
            'x-outputs': {
              type: 'string',
              description: 'The blocks of the body in order, comma-separated: `value`, `derivative`, and `paramGradients.<name>` for each learnable parameter (none for an activation without one).',
              examples: ['value,derivative,paramGradients.alpha'],
            },
          },
          content: { [OCTET_STREAM]: { schema: z.instanceof(Buffer).meta({ type: 'string', format: 'binary' }) } } },
        ...problemResponses([400, 404, 406, 413, 415, 422, 500]),
      },
    },
    handler: (request, reply) => {
      const record = findActivation(request.params.id);
      if (record === undefined) throw new ProblemError('notFound', `No activation "${request.params.id}". GET /v1/activations lists them all.`);
      return pipeline.serve('evaluateActivationBinary', request, reply, { body: request.body, query: request.query, params: { id: record.id } });
    },
  });
};

export default binaryEvaluateRoutes;
