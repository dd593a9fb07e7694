import type { FastifyPluginAsync } from 'fastify';
import { DOCS_PREFIX } from '../plugins/swagger.js';

/** `GET /`: someone who opens the service's address in a browser lands on the API documentation. */
const rootRoutes: FastifyPluginAsync = async (app) => {
  app.get('/', { schema: { hide: true } }, async (_request, reply) => reply.redirect(DOCS_PREFIX, 302));
};

export default rootRoutes;
