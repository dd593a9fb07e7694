import fastifyCors from '@fastify/cors';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyUnderPressure from '@fastify/under-pressure';
import fp from 'fastify-plugin';
import helmet, { type HelmetOptions } from 'helmet';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Config } from '../config.js';
import { sendProblem } from '../error-handler.js';
import { DOCS_PREFIX } from './swagger.js';

/** Routes that must answer even when the service is saturated: the probes and the metrics. */
const operational = new Set(['/healthz', '/readyz', '/metrics']);

/**
 * Headers for the pages a browser renders: Swagger UI under /docs. Helmet's
 * defaults, with a CSP under which Swagger UI's own scripts and styles run.
 */
export const documentHeaderOptions: Readonly<HelmetOptions> = {
  contentSecurityPolicy: {
    directives: {
      defaultSrc: ["'self'"],
      // Swagger UI renders with inline styles and shows images as blob: URLs.
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:', 'blob:'],
      scriptSrc: ["'self'"],
    },
  },
  // Charts and the API are meant to be embedded and fetched from other origins when CORS allows it.
  crossOriginResourcePolicy: { policy: 'cross-origin' },
};

/**
 * Headers for everything else (JSON, SVG and PNG answers): the set OWASP's REST
 * Security Cheat Sheet lists for APIs. Nothing may load or run inside an
 * answer opened as a document (an SVG can carry scripts), no page may frame
 * it, browsers must not sniff its type. Helmet's document-only headers
 * (opener policy, origin-agent-cluster, DNS prefetch, IE download options,
 * Flash cross-domain policies, the legacy XSS filter) are left off: they are
 * meaningless on these answers and would double every small answer's size.
 * No Cache-Control: an answer is a pure function of its request and holds no
 * user data, so caching it is harmless.
 */
export const apiHeaderOptions: Readonly<HelmetOptions> = {
  contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
  crossOriginOpenerPolicy: false,
  crossOriginResourcePolicy: { policy: 'cross-origin' },
  originAgentCluster: false,
  referrerPolicy: { policy: 'no-referrer' },
  xDnsPrefetchControl: false,
  xDownloadOptions: false,
  xFrameOptions: { action: 'deny' },
  xPermittedCrossDomainPolicies: false,
  xXssProtection: false,
};

/**
 * The headers helmet sets for these options. None of them depends on the
 * request, so helmet runs once, at start-up, against a recorder, and every
 * reply gets the recorded set (@fastify/helmet rebuilt helmet's middleware on
 * every request: 6 % of the CPU of a small evaluation).
 */
export function helmetHeaders(options: Readonly<HelmetOptions>): Record<string, string> {
  const headers = new Map<string, string>();
  const recorder = {
    setHeader: (name: string, value: string | number) => headers.set(name.toLowerCase(), String(value)),
    removeHeader: (name: string) => headers.delete(name.toLowerCase()),
  };
  helmet(options)({} as IncomingMessage, recorder as unknown as ServerResponse, (error?: unknown) => {
    if (error !== undefined) throw error;
  });
  return Object.fromEntries(headers);
}

const documentHeaders = helmetHeaders(documentHeaderOptions);
const apiHeaders = helmetHeaders(apiHeaderOptions);

/**
 * The security headers for a request URL: the document set for Swagger UI's page and assets, the API set
 * for everything else. Set by the onRequest hook below, and by the answers given before or instead of
 * hooks (malformed URLs, shutting down).
 */
export function securityHeadersFor(url: string): Readonly<Record<string, string>> {
  const documents = url === DOCS_PREFIX || url.startsWith(`${DOCS_PREFIX}/`) || url.startsWith(`${DOCS_PREFIX}?`);
  return documents ? documentHeaders : apiHeaders;
}

/** The methods of the API's routes (DELETE cancels a job), for a page on another origin. */
export const CORS_METHODS: readonly string[] = ['GET', 'HEAD', 'POST', 'DELETE', 'OPTIONS'];

/**
 * The response headers the OpenAPI document declares, which a page on another origin may read: beyond the
 * CORS-safelisted ones (Content-Type among them) a browser hides every header not listed here.
 */
export const CORS_EXPOSED_HEADERS: readonly string[] = ['x-request-id', 'retry-after', 'server-timing', 'location', 'x-count', 'x-outputs'];

/**
 * Security headers (helmet's: the API set on answers, the document set with a
 * CSP that lets Swagger UI run on /docs), CORS when origins are configured, per-client rate limiting when
 * configured, and a 503 with Retry-After when the event loop lags.
 */
export default fp<{ config: Config }>(async (app, { config }) => {
  app.addHook('onRequest', (request, reply, done) => {
    reply.headers(securityHeadersFor(request.url));
    done();
  });

  if (config.corsOrigins.length > 0) {
    await app.register(fastifyCors, {
      origin: config.corsOrigins.includes('*') ? '*' : config.corsOrigins,
      methods: [...CORS_METHODS],
      exposedHeaders: [...CORS_EXPOSED_HEADERS],
      maxAge: 600,
    });
  }

  if (config.rateLimit.max > 0) {
    await app.register(fastifyRateLimit, {
      max: config.rateLimit.max,
      timeWindow: config.rateLimit.windowMs,
      allowList: (request) => operational.has(request.url),
      errorResponseBuilder: (_request, context) =>
        Object.assign(new Error(`More than ${context.max} requests in ${context.after}; retry later.`), { statusCode: 429 }),
    });
  }

  if (config.maxEventLoopDelayMs > 0) {
    await app.register(fastifyUnderPressure, {
      maxEventLoopDelay: config.maxEventLoopDelayMs,
      // A window shorter than the threshold would report a loop blocked for the whole window as an
      // infinite delay, refusing at about the window's length instead of the configured delay.
      sampleInterval: Math.max(250, config.maxEventLoopDelayMs),
      pressureHandler: (request, reply, type, value) => {
        if (operational.has(request.url)) return; // answered normally
        reply.header('retry-after', '2');
        sendProblem(request, reply, 'unavailable', `The service is overloaded (${type} at ${Math.round(Number(value))}); retry shortly.`);
      },
    });
  }
});
