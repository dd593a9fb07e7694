import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ProblemError, problemResponses } from '../problems.js';
import { jsonContent } from './pictures.js';

const statusSchema = z.object({ status: z.literal('ok') }).meta({ id: 'Status' });

/**
 * Liveness and readiness probes for orchestrators. `saturated` tells whether every simulation thread
 * is busy and the queue full; while the service shuts down, the app's onRequest hook answers every
 * request, these included, with 503 before any handler runs.
 */
const healthRoutes: FastifyPluginAsyncZod<{ saturated: () => boolean }> = async (app, { saturated }) => {
  app.get('/healthz', {
    schema: {
      tags: ['operations'],
      operationId: 'liveness',
      summary: 'Liveness probe',
      description: 'Answers 200 while the process is serving requests. Never does work, so it stays fast under load.',
      response: { 200: jsonContent(statusSchema, 'The process is serving requests.'), ...problemResponses([500]) },
    },
    handler: async () => ({ status: 'ok' as const }),
  });

  // Browsers ask for it when they open a chart URL directly; there is none.
  app.get('/favicon.ico', { schema: { hide: true } }, async (_request, reply) => reply.code(204).send());

  app.get('/readyz', {
    schema: {
      tags: ['operations'],
      operationId: 'readiness',
      summary: 'Readiness probe',
      description:
        'Answers 200 when the service accepts work, and 503 with Retry-After while it is shutting down or while every simulation thread is busy and the queue is full (so a load balancer sends the next request elsewhere).',
      response: { 200: jsonContent(statusSchema, 'The service accepts work.'), ...problemResponses([503]) },
    },
    handler: async () => {
      if (saturated()) {
        throw new ProblemError('unavailable', 'Every simulation thread is busy and the queue is full.', {}, { 'retry-after': '2' });
      }
      return { status: 'ok' as const };
    },
  });
};

export default healthRoutes;
