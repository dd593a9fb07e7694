import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { problemResponses } from '../../problems.js';
import type { Pipeline } from '../../requests/pipeline.js';
import { pictureQuerySchema } from '../../schemas/plots.js';
import { meanFieldBodySchema, meanFieldResponseSchema, phaseDiagramBodySchema, phaseDiagramResponseSchema } from '../../schemas/theory.js';
import { jsonContent, pictureContent } from '../pictures.js';

/** Mean-field theory (Poole et al. 2016; Schoenholz et al. 2017), computed on the worker pool like the simulations. */
const theoryRoutes: FastifyPluginAsyncZod<{ pipeline: Pipeline }> = async (app, { pipeline }) => {
  app.post('/theory/mean-field', {
    schema: {
      tags: ['theory'],
      operationId: 'meanField',
      summary: 'Mean-field predictions for an infinitely wide random network',
      description:
        'For W_ij ~ N(0, σ_w²/n), b ~ N(0, σ_b²) and one activation: the fixed point q* of the length map, χ₁ (squared gradient norms change by about χ₁ per layer), the depth scales ξ_c and ξ_q, the phase, the length map q^l from q⁰, and the predicted log10 change of the gradient norm over the depth. Integrals by Gauss–Hermite quadrature (smooth activations, small q), Gauss–Legendre panels elsewhere, and closed forms on piecewise-polynomial pieces, so ReLU-like activations are exact (χ₁ = σ_w²/2 for ReLU).',
      body: meanFieldBodySchema,
      response: { 200: jsonContent(meanFieldResponseSchema, 'The fixed point, χ₁, the depth scales, the phase, the length map and the predicted gradient change over the depth.'), ...problemResponses([400, 413, 415, 422, 500, 503]) },
    },
    handler: (request, reply) => pipeline.serve('meanField', request, reply, { body: request.body }),
  });

  app.post('/theory/phase-diagram', {
    schema: {
      tags: ['theory'],
      operationId: 'phaseDiagram',
      summary: 'χ₁ over a grid of σ_w² × σ_b², with the critical line',
      description:
        'The order-to-chaos phase diagram of one activation: χ₁, q*, the fixed-point kind and the phase at every grid point (at most 200 × 200), and the critical line χ₁ = 1 as polylines (one per branch). Answers a heat map with the critical line for `Accept: image/svg+xml` or `image/png`.',
      querystring: pictureQuerySchema,
      body: phaseDiagramBodySchema,
      response: {
        200: pictureContent(phaseDiagramResponseSchema, 'The grid as JSON, or a heat map of χ₁ with the critical line (SVG, PNG or its Vega-Lite spec).', { vegaLite: true }),
        ...problemResponses([400, 406, 413, 415, 422, 500, 503]),
      },
    },
    handler: (request, reply) => pipeline.serve('phaseDiagram', request, reply, { body: request.body, query: request.query }),
  });
};

export default theoryRoutes;
