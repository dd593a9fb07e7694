import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { PNG_MEDIA_TYPE, SVG_MEDIA_TYPE } from '../../plots/index.js';
import { problemResponses } from '../../problems.js';
import { NDJSON_MEDIA_TYPE, type Pipeline } from '../../requests/pipeline.js';
import { vegaLiteContent } from '../pictures.js';
import { trainingBodySchema, trainingQuerySchema } from '../../schemas/training-request.js';
import { trainingProgressSchema, trainingResponseSchema } from '../../schemas/training.js';

/** POST /v1/training: one schema for the OpenAPI document and one call into the pipeline. */

const trainingRoutes: FastifyPluginAsyncZod<{ pipeline: Pipeline }> = async (app, { pipeline }) => {
  app.post('/training', {
    schema: {
      tags: ['training'],
      operationId: 'train',
      summary: 'Train a network (or a race of variants) and record the gradient at every layer',
      description:
        'Mini-batch training of the feed-forward network of the simulations plus an output head, on a named data set (generated from the seed, iris, or the shipped Fashion-MNIST subset) or your own rows, with PyTorch\'s update rules (SGD, momentum, Nesterov, Adam; weight decay; global-norm clipping). The history holds, at step 0, every `evaluateEvery` steps and the last, the loss and accuracy on the whole training and test sets and per layer the weight-gradient norm, the update ratio, the dead and saturated fractions and the learned activation parameters. `runs` trains variants on the same data, batches and seed. `Accept: application/x-ndjson` streams every entry as it is computed, then `{"result": …}`; a client that disconnects stops the training. Charts with `Accept: image/svg+xml | image/png` and `?chart=`. Priced before it runs (422 over the limits) and stopped at SIMULATION_TIMEOUT_MS.',
      querystring: trainingQuerySchema,
      body: trainingBodySchema,
      response: {
        200: {
          description: 'The history of every run as JSON, as NDJSON lines while it trains, or as a chart.',
          content: {
            'application/json': { schema: trainingResponseSchema },
            [NDJSON_MEDIA_TYPE]: {
              schema: z
                .string()
                .describe('One `TrainingProgress` object per line (`{"run", "entry"}`) as entries are computed, then `{"result": TrainingResponse}`; a failure after the first line ends with `{"problem": Problem}`.'),
              // Documents the line shape for generated clients without pretending the body is one JSON value.
              'x-line-schema': trainingProgressSchema,
            },
            [SVG_MEDIA_TYPE]: { schema: z.string().describe('A self-contained SVG chart.') },
            [PNG_MEDIA_TYPE]: { schema: z.string().meta({ format: 'binary' }).describe('The same chart rasterised.') },
            ...vegaLiteContent,
          },
        },
        ...problemResponses([400, 406, 413, 415, 422, 500, 503]),
      },
    },
    handler: (request, reply) => pipeline.serve('train', request, reply, { body: request.body, query: request.query }),
  });
};

export default trainingRoutes;
