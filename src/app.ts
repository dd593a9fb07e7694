import { randomUUID } from 'node:crypto';
import fastifyAccepts from '@fastify/accepts';
import Fastify, { type FastifyInstance, type RawServerDefault } from 'fastify';
import { validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyBaseLogger } from 'fastify';
import type { z } from 'zod';
import type { Config } from './config.js';
import { installErrorHandlers, sendProblem } from './error-handler.js';
import { logCompletedRequest, loggerOptions, requestLogController } from './logging.js';
import { ProblemError } from './problems.js';
import httpHygiene, { httpServerOptions } from './plugins/http-hygiene.js';
import metrics from './plugins/metrics.js';
import protection, { securityHeadersFor } from './plugins/protection.js';
import swagger from './plugins/swagger.js';
import healthRoutes from './routes/health.js';
import rootRoutes from './routes/root.js';
import activationRoutes from './routes/v1/activations.js';
import binaryEvaluateRoutes from './routes/v1/binary-evaluate.js';
import evaluateRoutes from './routes/v1/evaluate.js';
import plotRoutes from './routes/v1/plots.js';
import simulationRoutes from './routes/v1/simulations.js';
import theoryRoutes from './routes/v1/theory.js';
import trainingRoutes from './routes/v1/training.js';
import jobRoutes from './routes/v1/jobs.js';
import { createJobEngine, jobLimitsOf } from './jobs/index.js';
import type { JobEngine } from './jobs/engine.js';
import { DeferredJsonBody, INLINE_JSON_BYTES, jsonCharset, parseJson } from './requests/json-body.js';
import { createPipeline } from './requests/pipeline.js';
import { WorkPool } from './workers/pool.js';

export type App = FastifyInstance<RawServerDefault, IncomingMessage, ServerResponse, FastifyBaseLogger, ZodTypeProvider>;

/** A client's request id is kept when it is short and plain (it goes into logs and headers). */
const acceptableRequestId = /^[\w.:-]{1,128}$/;

/**
 * Node's server.close() drops "idle" keep-alive connections at once, and a
 * connection counts as idle as soon as its response has ended, even while
 * megabytes of it still wait in the socket's buffer. Closing waits for those
 * buffers to drain first, so a large in-flight answer is not cut off.
 */
function trackUnflushedSockets(server: Server): () => Promise<void> {
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  return async () => {
    const pending = [...sockets].filter((socket) => socket.writableLength > 0);
    await Promise.all(
      pending.map(
        (socket) =>
          new Promise<void>((resolve) => {
            const done = (): void => {
              if (socket.writableLength === 0 || socket.destroyed) resolve();
            };
            socket.on('drain', done);
            socket.once('close', () => resolve());
          }),
      ),
    );
  };
}

/** Work priced below this (beyond the fixed trip to a worker) runs on the event loop: small JSON evaluations; everything else on the worker pool. */
const INLINE_SECONDS = 0.003;
/** /readyz says saturated once new work would wait longer than this for a thread. */
const READY_MAX_BACKLOG_SECONDS = 10;

/** The whole service as one Fastify instance; the server entry point and the tests both build it here. */
export interface AppOptions {
  /** Start the worker threads at once and keep them (the service; see WorkPoolOptions.keepThreadsWarm). */
  keepThreadsWarm?: boolean;
  /** Where the built lab is served from (default dist/lab/, see src/routes/root.ts). */
  labDirectory?: string;
}

export async function buildApp(config: Config, { keepThreadsWarm = false, labDirectory }: AppOptions = {}): Promise<App> {
  const app = Fastify({
    logger: loggerOptions(config.logLevel),
    bodyLimit: config.bodyLimitBytes,
    // request.ip (and so the rate limit's per-client count) from X-Forwarded-For only when set by a trusted proxy.
    trustProxy: config.trustProxy,
    // Request, headers, keep-alive and idle-socket timeouts, and problem answers to requests Node's parser refuses.
    ...httpServerOptions(config.timeouts),
    // A malformed URL or an over-long path parameter is refused before routing; answer it in the one error shape too.
    frameworkErrors: (error, request, reply) => {
      const tooLong = error.code === 'FST_ERR_MAX_PARAM_LENGTH';
      // No hooks run for these: the headers the onRequest hooks would set are set here.
      reply.header('x-request-id', request.id).headers(securityHeadersFor(request.url));
      sendProblem(request, reply, tooLong ? 'notFound' : 'malformed', tooLong ? 'A path parameter is longer than any id the service knows.' : error.message);
    },
    // Requests that arrive while closing get the service's own 503 problem (onRequest below), not Fastify's bare one.
    return503OnClosing: false,
    // One line per request, written in onResponse below with the route, status and duration.
    logController: requestLogController(),
    genReqId: (request) => {
      const header = request.headers['x-request-id'];
      return typeof header === 'string' && acceptableRequestId.test(header) ? header : randomUUID();
    },
  }).withTypeProvider<ZodTypeProvider>();

  // A body too large to parse on the event loop is validated where it is parsed, on a worker (src/requests/).
  app.setValidatorCompiler<z.ZodType>((routeSchema) => {
    const validate = validatorCompiler(routeSchema);
    if (routeSchema.httpPart !== 'body') return validate;
    return (data: unknown) => (data instanceof DeferredJsonBody ? { value: data } : validate(data));
  });
  // Requests are validated by zod. Responses are plain JSON.stringify: the service builds them itself, and the
  // contract tests check every response shape against the committed OpenAPI document with an independent
  // validator. Re-validating each response with zod (fastify-type-provider-zod's serializer) walked every
  // number of a million-point answer and cost ~10 % of a small evaluation's CPU.
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  installErrorHandlers(app);
  // JSON only: without this, Fastify would parse text/plain bodies as strings instead of answering 415.
  app.removeContentTypeParser('text/plain');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body: Buffer, done) => {
    const charset = jsonCharset(request.headers['content-type']);
    if (charset !== null) {
      done(new ProblemError('unsupportedMediaType', `JSON bodies are read as UTF-8 (RFC 8259); charset=${charset} is not accepted. Send UTF-8, with or without charset=utf-8.`), undefined);
      return;
    }
    if (body.byteLength > INLINE_JSON_BYTES) {
      done(null, new DeferredJsonBody(body));
      return;
    }
    try {
      done(null, parseJson(body));
    } catch (error) {
      done(error as Error, undefined);
    }
  });

  const unflushedSocketsDrained = trackUnflushedSockets(app.server);
  let shuttingDown = false;
  // Requests still running when shutdown starts (e.g. waiting on a worker) are let finish. Counted down when
  // the response closes, which also happens for a client that disconnects (onResponse does not run then).
  let inFlight = 0;
  let onIdle: (() => void) | undefined;
  const responseClosed = (): void => {
    inFlight -= 1;
    if (inFlight === 0) onIdle?.();
  };
  const pool = new WorkPool({ ...config.simulation, keepThreadsWarm });
  if (keepThreadsWarm) await pool.warmUp();
  pool.onWorkerError = (error) => app.log.error({ err: error }, 'a worker thread failed');
  // Shutdown: queued work is answered 503 at once, running work gets up to the longest a task may run,
  // then the answers in flight are let finish and drain (server.ts's forced-exit deadline allows for all of it).
  // Created with the pipeline below; closed first, which also ends the jobs' open event streams.
  const jobs: { engine?: JobEngine } = {};
  app.addHook('preClose', async () => {
    shuttingDown = true;
    await jobs.engine?.close();
    await pool.close({ graceMs: config.simulation.timeoutMs });
    if (inFlight > 0) await new Promise<void>((resolve) => (onIdle = resolve));
    await unflushedSocketsDrained();
  });
  // Callback-style hooks, as in the plugins: no promise per request.
  app.addHook('onRequest', (request, reply, done) => {
    inFlight += 1;
    reply.raw.on('close', responseClosed); // 'close' comes once per response
    reply.header('x-request-id', request.id);
    if (!shuttingDown) {
      done();
      return;
    }
    // The hooks after this one (the security headers among them) do not run for a refused request.
    reply.header('connection', 'close').headers(securityHeadersFor(request.url));
    done(new ProblemError('unavailable', 'The service is shutting down; retry on another instance.', {}, { 'retry-after': '1' }));
  });

  app.addHook('onResponse', logCompletedRequest);

  const { simulation } = config;
  const pipeline = createPipeline({
    pool,
    limits: {
      maxSeconds: simulation.maxSeconds,
      maxFlops: simulation.maxFlops,
      maxBytes: simulation.maxBytes,
      maxAnswerBytes: simulation.maxAnswerBytes,
      maxElements: config.maxElements,
    },
    inlineSeconds: INLINE_SECONDS,
  });

  await app.register(httpHygiene);
  await app.register(protection, { config });
  await app.register(fastifyAccepts);
  await app.register(swagger);
  await app.register(metrics, { pool });
  await app.register(rootRoutes, labDirectory === undefined ? {} : { labDirectory });
  await app.register(healthRoutes, { saturated: () => pool.saturated || pool.statistics().backlogSeconds > READY_MAX_BACKLOG_SECONDS });
  await app.register(activationRoutes, { prefix: '/v1', pipeline });
  await app.register(evaluateRoutes, { prefix: '/v1', pipeline });
  await app.register(binaryEvaluateRoutes, { prefix: '/v1', pipeline });
  await app.register(plotRoutes, { prefix: '/v1', pipeline });
  await app.register(simulationRoutes, { prefix: '/v1', pipeline });
  await app.register(theoryRoutes, { prefix: '/v1', pipeline });
  await app.register(trainingRoutes, { prefix: '/v1', pipeline });
  jobs.engine = await createJobEngine(config, pipeline, (error) => app.log.error({ err: error }, 'the job store failed'));
  await app.register(jobRoutes, { prefix: '/v1', pipeline, engine: jobs.engine, limits: jobLimitsOf(config), timeoutMs: config.jobs.timeoutMs, heartbeatMs: config.jobs.heartbeatMs });
  return app;
}
