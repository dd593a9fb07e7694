import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync } from 'fastify';
import { sendProblem } from '../error-handler.js';
import { helmetHeaders } from '../plugins/protection.js';

/**
 * `GET /`: the lab, a single-page app over the API (lab/, built by `npm run
 * build` into dist/lab/), and its hashed assets under /lab/. The same
 * relative path holds from src/routes and dist/routes. While the lab is not
 * built, `/` answers a 503 problem saying how to build it (the API and
 * Swagger UI at /docs work regardless).
 */

export const LAB_DIRECTORY = fileURLToPath(new URL('../../dist/lab/', import.meta.url));
export const LAB_PREFIX = '/lab/';

/**
 * The lab's page runs its own scripts and draws SVG charts in the page:
 * scripts from this origin only (vega runs its expressions through an
 * interpreter, so no eval), inline styles (vega-embed's tooltip and the SVG
 * renderer write them), data: and blob: images, requests to this origin only.
 */
const labHeaders = helmetHeaders({
  contentSecurityPolicy: {
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:', 'blob:'],
      connectSrc: ["'self'"],
      frameAncestors: ["'none'"],
    },
  },
  xFrameOptions: { action: 'deny' },
});

/** Hashed file names never change content: cached for a year. index.html is revalidated every time. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

export interface RootOptions {
  /** Where the built lab is (default dist/lab/); tests point it elsewhere. */
  labDirectory?: string;
}

const rootRoutes: FastifyPluginAsync<RootOptions> = async (app, { labDirectory = LAB_DIRECTORY }) => {
  // After the global hook's API headers: a document's headers for the page and its assets (this plugin's routes only).
  app.addHook('onRequest', (_request, reply, done) => {
    reply.headers(labHeaders);
    done();
  });

  await app.register(fastifyStatic, {
    root: labDirectory,
    prefix: LAB_PREFIX,
    // dist/lab holds a .br and a .gz beside every text file (lab/vite.config.ts): sent to clients that take them.
    preCompressed: true,
    index: false,
    cacheControl: false,
    setHeaders: (reply, path) => reply.header('cache-control', path.includes('/assets/') ? IMMUTABLE : 'no-cache'),
  });

  app.get('/', { schema: { hide: true } }, async (request, reply) => {
    if (!existsSync(join(labDirectory, 'index.html'))) {
      // Every 503 of the service says when to retry: a minute, time enough for `npm run build`.
      reply.header('retry-after', '60');
      return sendProblem(
        request,
        reply,
        'unavailable',
        'The lab (the interactive page at /) is not built. Run `npm run build` (or `npm start`, which builds it) and reload; the API and its documentation at /docs work without it.',
      );
    }
    return reply.sendFile('index.html');
  });
};

export default rootRoutes;
