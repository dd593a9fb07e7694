import type { FastifyReply, FastifyRequest } from 'fastify';
import { problemDocument, ProblemError } from '../problems.js';
import { negotiate } from '../routes/pictures.js';
import { PoolSaturatedError, ShuttingDownError, WorkerLostError, WorkTimeoutError, type WorkPool } from '../workers/pool.js';
import { answerOf, jsonOf } from './answer.js';
import { calibration } from './calibration.js';
import { priceOf, refuseWhenTooCostly, type CostLimits, type Price } from './cost.js';
import { deserializeProblem, problemFromError } from './errors.js';
import { DeferredJsonBody } from './json-body.js';
import type { Answer, OperationId, Representation, RequestLimits } from './operation.js';
import { operationById } from './operations/index.js';
import type { WorkOutcome, WorkTask } from './task.js';

/**
 * The one way from a request to its answer, for every route that does work:
 *
 *   validated request → plan → price (422 above a limit) → run → answer
 *
 * Cheap JSON work (priced under `inlineSeconds`) runs on the event loop;
 * everything else runs on the worker pool, which is told when the client goes
 * away. A body too large to parse on the event loop goes to the pool as bytes,
 * and the worker plans and prices it the same way. Every answer says what it
 * was estimated to cost and what it took (`Server-Timing`).
 */

export interface PipelineOptions {
  pool: WorkPool;
  limits: CostLimits & RequestLimits;
  /** Work priced below this runs on the event loop (JSON answers of operations that allow it). */
  inlineSeconds: number;
}

export interface PipelineRequest {
  body?: unknown;
  query?: unknown;
  params?: unknown;
}

/** Aborted when the client closes the connection before its answer is complete. */
function clientGoneSignal(reply: FastifyReply): AbortSignal {
  const controller = new AbortController();
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) controller.abort(new ClientGoneError());
  });
  return controller.signal;
}

const CLIENT_CLOSED_REQUEST = 499;

export const NDJSON_MEDIA_TYPE = 'application/x-ndjson';

class ClientGoneError extends Error {
  override name = 'ClientGoneError';
}

const milliseconds = (seconds: number): string => (seconds * 1000).toFixed(1);

function serverTiming(estimateSeconds: number | null, queueSeconds: number, runSeconds: number): string {
  const measured = `queue;dur=${milliseconds(queueSeconds)}, run;dur=${milliseconds(runSeconds)}`;
  return estimateSeconds === null ? measured : `${measured}, estimate;dur=${milliseconds(estimateSeconds)}`;
}

/** The problem a pool failure is for the client. */
function poolProblem(error: unknown, timeoutMs: number): ProblemError | undefined {
  if (error instanceof PoolSaturatedError) {
    return new ProblemError('unavailable', `${error.message} Retry shortly.`, {}, { 'retry-after': String(Math.min(60, Math.max(1, error.retryAfterSeconds))) });
  }
  if (error instanceof ShuttingDownError) {
    return new ProblemError('unavailable', 'The service is shutting down; retry on another instance.', {}, { 'retry-after': '1', connection: 'close' });
  }
  if (error instanceof WorkTimeoutError) {
    return new ProblemError('unprocessable', `${error.message} (SIMULATION_TIMEOUT_MS). Reduce the size of the request.`, { timeoutMs });
  }
  if (error instanceof WorkerLostError) {
    return new ProblemError('unprocessable', `${error.message} Reduce the size of the request.`);
  }
  return undefined;
}

function sendAnswer(reply: FastifyReply, { contentType, body, headers = {} }: Answer): void {
  reply
    .type(contentType)
    .headers(headers)
    .header('vary', 'accept')
    .send(Buffer.from(body.buffer, body.byteOffset, body.byteLength));
}

export interface ExecuteOptions {
  /** The answer's form (default JSON). */
  representation?: Representation;
  /** PNG pixels per CSS pixel. */
  scale?: number;
  /** Aborted when whoever waits for the answer has gone: queued work is dropped, running work stopped. */
  signal?: AbortSignal;
  /** Receives what the operation reports while it runs, in order, before the answer. */
  onProgress?: (message: unknown) => void;
  /** Limits for this work instead of the request limits (jobs may be allowed more). */
  limits?: CostLimits;
  /** Time limit of the run instead of the pool's. */
  timeoutMs?: number;
  /** Bytes the work holds while it waits (its body), for the queue's bound. */
  bytes?: number;
}

/** An answer and what it cost. */
export interface Execution {
  answer: Answer;
  /** Estimated seconds of computing (null when unknown). */
  estimateSeconds: number | null;
  queueSeconds: number;
  runSeconds: number;
}

/** Work ready for the pool: the task and, when the plan was made here, its price. */
interface Prepared {
  task: WorkTask;
  price: Price | null;
}

export function createPipeline({ pool, limits, inlineSeconds }: PipelineOptions) {
  /** Plans and prices validated parts (a deferred body is planned and priced on the worker). */
  function prepare(id: OperationId, parts: PipelineRequest, representation: Representation, scale: number, costLimits: CostLimits): Prepared & { plan?: unknown } {
    if (parts.body instanceof DeferredJsonBody) {
      const input = { body: parts.body.bytes, query: parts.query, params: parts.params, limits: { ...limits, ...costLimits } };
      return { task: { operation: id, representation, scale, input }, price: null };
    }
    const operation = operationById(id);
    let plan: unknown;
    let price: Price;
    try {
      plan = operation.plan({ body: parts.body, query: parts.query, params: parts.params, representation, limits });
      price = priceOf(operation.cost(plan));
    } catch (error) {
      throw problemFromError(error) ?? error;
    }
    refuseWhenTooCostly(price, costLimits);
    return { task: { operation: id, representation, scale, input: { plan } }, price, plan };
  }

  async function runPrepared({ task, price }: Prepared, options: ExecuteOptions): Promise<Execution> {
    const submitted = performance.now();
    let started = submitted;
    let outcome: WorkOutcome;
    try {
      outcome = await pool.run<WorkOutcome>(task, {
        signal: options.signal,
        bytes: options.bytes ?? ('body' in task.input ? task.input.body.byteLength : 0),
        ...(price === null ? {} : { estimateSeconds: price.seconds }),
        ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
        ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
        onStart: () => (started = performance.now()),
      });
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason;
      throw poolProblem(error, options.timeoutMs ?? pool.timeoutMs) ?? error;
    }
    if (!outcome.ok) throw deserializeProblem(outcome.problem);
    return {
      answer: outcome.answer,
      estimateSeconds: price?.seconds ?? outcome.estimateSeconds,
      queueSeconds: (started - submitted) / 1000,
      runSeconds: (performance.now() - started) / 1000,
    };
  }

  /**
   * Runs validated parts of a request (or a deferred body) on the pool to its
   * answer — plan, price, run, answer — outside any HTTP exchange (jobs use
   * it). Every failure is a ProblemError; when `signal` aborts, its reason.
   */
  async function execute(id: OperationId, parts: PipelineRequest, options: ExecuteOptions = {}): Promise<Execution> {
    const prepared = prepare(id, parts, options.representation ?? 'json', options.scale ?? 2, options.limits ?? limits);
    return runPrepared(prepared, options);
  }

  async function answerFromPool(prepared: Prepared, request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const signal = clientGoneSignal(reply);
    const bytes = 'body' in prepared.task.input ? prepared.task.input.body.byteLength : Number(request.headers['content-length'] ?? 0) || 0;
    let execution: Execution;
    try {
      execution = await runPrepared(prepared, { signal, bytes });
    } catch (error) {
      if (signal.aborted) {
        // Nobody is listening any more; 499 (nginx's "client closed request") is for the log and the metrics.
        reply.code(CLIENT_CLOSED_REQUEST).send();
        return;
      }
      throw error;
    }
    reply.header('server-timing', serverTiming(execution.estimateSeconds, execution.queueSeconds, execution.runSeconds));
    sendAnswer(reply, execution.answer);
  }

  /**
   * An answer as NDJSON: every progress message as a line while the work
   * runs, then `{"result": …}`. A failure before the first line is an
   * ordinary problem answer; after it (the status is sent) a last line
   * `{"problem": …}`.
   */
  async function streamFromPool(prepared: Prepared, request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const signal = clientGoneSignal(reply);
    const raw = reply.raw;
    let streaming = false;
    const begin = (): void => {
      if (streaming) return;
      streaming = true;
      reply.hijack();
      raw.writeHead(200, {
        'content-type': NDJSON_MEDIA_TYPE,
        'cache-control': 'no-store',
        vary: 'accept',
        'x-content-type-options': 'nosniff',
        'x-request-id': request.id,
      });
    };
    const line = (value: unknown): void => {
      begin();
      if (!raw.destroyed) raw.write(`${JSON.stringify(value)}\n`);
    };
    try {
      const execution = await runPrepared(prepared, { signal, onProgress: line });
      begin();
      raw.write('{"result":');
      raw.write(execution.answer.body);
      raw.end('}\n');
    } catch (error) {
      if (signal.aborted) {
        if (streaming) raw.destroy();
        else reply.code(CLIENT_CLOSED_REQUEST).send();
        return;
      }
      if (!streaming) throw error;
      const problem = error instanceof ProblemError ? error : problemFromError(error);
      if (problem === undefined) request.log.error({ err: error }, 'streamed work failed after its first line');
      const instance = request.url.split('?')[0] ?? request.url;
      const document =
        problem === undefined
          ? problemDocument('internal', `The work failed unexpectedly. Quote request id ${request.id} when reporting it.`, instance, { requestId: request.id })
          : problemDocument(problem.kind, problem.detail, instance, { requestId: request.id, ...problem.extensions });
      raw.end(`${JSON.stringify({ problem: document })}\n`);
    }
  }

  /**
   * Plans and prices validated parts of a request without running them (jobs
   * check a submission this way): a bad request throws its 400, one above
   * `limits` its 422, exactly as `execute` would before running.
   */
  function quote(id: OperationId, parts: PipelineRequest, options: { representation?: Representation; limits?: CostLimits } = {}): { plan: unknown; price: Price } {
    if (parts.body instanceof DeferredJsonBody) throw new Error('quote needs a parsed body');
    const { plan, price } = prepare(id, parts, options.representation ?? 'json', 2, options.limits ?? limits);
    return { plan, price: price as Price };
  }

  /** Serves one request with the operation `id`; the route has validated `query` and `params` (and `body`, unless deferred). */
  async function serve(id: OperationId, request: FastifyRequest, reply: FastifyReply, parts: PipelineRequest): Promise<void> {
    const operation = operationById(id);
    const query = (parts.query ?? {}) as { format?: Representation; scale?: number };
    const representation = negotiate(request, operation.representations, query.format);
    const scale = query.scale ?? 2;
    if (representation === 'ndjson') {
      return streamFromPool(prepare(id, parts, 'json', scale, limits), request, reply);
    }
    const prepared = prepare(id, parts, representation, scale, limits);
    const { plan, price } = prepared;
    // The fixed part of a price is the trip to a worker and back, which an inline run does not make.
    const inline =
      operation.inline === true && (representation === 'json' || representation === 'binary') && price !== null && price.seconds - calibration.fixedSeconds <= inlineSeconds;
    if (!inline) return answerFromPool(prepared, request, reply);

    const started = performance.now();
    let answer: Answer | { json: unknown };
    try {
      // Most inline operations compute synchronously: no await (a microtask turn) unless one returns a promise.
      const running = operation.run(plan, { progress: () => undefined });
      const result = running instanceof Promise ? await running : running;
      // JSON goes out through Fastify's serializer; a binary answer is already bytes.
      answer = representation === 'json' ? { json: jsonOf(operation, result, plan) } : await answerOf(operation, plan, result, representation, scale);
    } catch (error) {
      throw problemFromError(error) ?? error;
    }
    reply.header('server-timing', serverTiming(price.seconds, 0, (performance.now() - started) / 1000));
    if ('json' in answer) reply.send(answer.json);
    else sendAnswer(reply, answer);
  }

  return { serve, execute, quote };
}

export type Pipeline = ReturnType<typeof createPipeline>;
