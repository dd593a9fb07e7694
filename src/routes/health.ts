import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ProblemError, problemResponses } from '../problems.js';

const statusSchema = z.object({ status: z.literal('ok') }).meta({ id: 'Status' });

/** Liveness and readiness probes for orchestrators. */
const healthRoutes: FastifyPluginAsyncZod<{ isReady: () => boolean }> = async (app, { isReady }) => {
  app.get('/healthz', {
    schema: {
      tags: ['operations'],
      operationId: 'liveness',
      summary: 'Liveness probe',
      description: 'Answers 200 while the process is serving requests. Never does work, so it stays fast under load.',
      response: { 200: statusSchema, ...problemResponses([500]) },
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
      description: 'Answers 200 when the service accepts work and 503 while it is shutting down.',
      response: { 200: statusSchema, ...problemResponses([503]) },
    },
    handler: async () => {
      if (!isReady()) throw new ProblemError('unavailable', 'The service is shutting down.', {}, { 'retry-after': '5' });
      return { status: 'ok' as const };
    },
  });
};

export default healthRoutes;
