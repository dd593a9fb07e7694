import fastifyCors from '@fastify/cors';
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyUnderPressure from '@fastify/under-pressure';
import fp from 'fastify-plugin';
import type { Config } from '../config.js';
import { sendProblem } from '../error-handler.js';

/** Routes that must answer even when the service is saturated: the probes and the metrics. */
const operational = new Set(['/healthz', '/readyz', '/metrics']);

/**
 * Security headers (helmet; the CSP lets Swagger UI's own scripts and styles
 * run), CORS when origins are configured, per-client rate limiting when
 * configured, and a 503 with Retry-After when the event loop lags.
 */
export default fp<{ config: Config }>(async (app, { config }) => {
  await app.register(fastifyHelmet, {
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
  });

  if (config.corsOrigins.length > 0) {
    await app.register(fastifyCors, {
      origin: config.corsOrigins.includes('*') ? '*' : config.corsOrigins,
      methods: ['GET', 'POST', 'OPTIONS'],
      exposedHeaders: ['x-request-id', 'retry-after'],
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
