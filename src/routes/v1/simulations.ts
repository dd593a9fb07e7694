import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { problemResponses } from '../../problems.js';
import type { Pipeline } from '../../requests/pipeline.js';
import { feedforwardPictureQuerySchema, pictureQuerySchema } from '../../schemas/plots.js';
import {
  feedforwardBodySchema,
  feedforwardResponseSchema,
  jacobianBodySchema,
  jacobianResponseSchema,
  recurrentBodySchema,
  recurrentResponseSchema,
} from '../../schemas/simulations.js';
import { pictureContent } from '../pictures.js';

/** The simulators' routes: each a schema for the OpenAPI document and one call into the pipeline. */

const simulationRoutes: FastifyPluginAsyncZod<{ pipeline: Pipeline }> = async (app, { pipeline }) => {
  app.post('/simulations/feedforward', {
    schema: {
      tags: ['simulations'],
      operationId: 'simulateFeedforward',
      summary: 'Propagate a batch through a feed-forward network and back',
      description:
        'Builds the network (explicit layers or the uniform shorthand), draws weights and inputs from the seed, runs the forward and backward pass, and reports per layer the statistics of z and a and the gradient norms (plain and log10, exact even where they underflow float64), with a summary verdict. Runs on a worker thread; refused with 422 when its estimated cost exceeds the limit, 503 when every thread is busy and the queue is full.',
      querystring: feedforwardPictureQuerySchema,
      body: feedforwardBodySchema,
      response: {
        200: pictureContent(feedforwardResponseSchema, 'The per-layer figures as JSON, or as a chart (`Accept: image/svg+xml`, `image/png`, or `application/vnd.vegalite+json` for its Vega-Lite spec).', { vegaLite: true }),
        ...problemResponses([400, 406, 413, 415, 422, 500, 503]),
      },
    },
    handler: (request, reply) => pipeline.serve('simulateFeedforward', request, reply, { body: request.body, query: request.query }),
  });

  app.post('/simulations/recurrent', {
    schema: {
      tags: ['simulations'],
      operationId: 'simulateRecurrent',
      summary: 'Backpropagate through time in an RNN or an LSTM',
      description:
        'Runs a vanilla RNN or an LSTM over `steps` random inputs, puts the loss on the last step, and reports for every step t the gradient norm with respect to h_t (and c_t for the LSTM), plain and log10, the hidden-state statistics and the mean gate activations, with the ratio ‖∂L/∂h_1‖/‖∂L/∂h_T‖ and a verdict.',
      querystring: pictureQuerySchema,
      body: recurrentBodySchema,
      response: {
        200: pictureContent(recurrentResponseSchema, 'The per-step figures as JSON, or as a chart of the gradient norm through time (SVG, PNG or its Vega-Lite spec).', { vegaLite: true }),
        ...problemResponses([400, 406, 413, 415, 422, 500, 503]),
      },
    },
    handler: (request, reply) => pipeline.serve('simulateRecurrent', request, reply, { body: request.body, query: request.query }),
  });

  app.post('/simulations/jacobian', {
    schema: {
      tags: ['simulations'],
      operationId: 'jacobianSpectrum',
      summary: 'Singular values of the input–output Jacobian',
      description:
        'J = ∂a^L/∂a⁰ of a random network (or given weights) at one input, and its singular values: the list (up to 1024), a histogram, the mean and variance of σ², the extremes, the condition number, and per depth if asked. Dynamical isometry means every σ near 1: orthogonal linear networks have exactly that, Gaussian ones spread with depth, ReLU networks cannot get there, tanh with orthogonal weights near criticality comes close. Answers a histogram chart for `Accept: image/svg+xml` or `image/png`.',
      querystring: pictureQuerySchema,
      body: jacobianBodySchema,
      response: {
        200: pictureContent(jacobianResponseSchema, 'The spectrum as JSON, or its histogram as a chart (SVG, PNG or its Vega-Lite spec).', { vegaLite: true }),
        ...problemResponses([400, 406, 413, 415, 422, 500, 503]),
      },
    },
    handler: (request, reply) => pipeline.serve('jacobianSpectrum', request, reply, { body: request.body, query: request.query }),
  });
};

export default simulationRoutes;
