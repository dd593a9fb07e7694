import type { FastifyReply, FastifyRequest } from 'fastify';
import { ProblemError } from '../problems.js';
import { negotiate } from '../routes/pictures.js';
import { PoolSaturatedError, ShuttingDownError, WorkerLostError, WorkTimeoutError, type WorkPool } from '../workers/pool.js';
import { answerOf, jsonOf } from './answer.js';
import { priceOf, refuseWhenTooCostly, type CostLimits, type Price } from './cost.js';
import { deserializeProblem, problemFromError } from './errors.js';
import { DeferredJsonBody } from './json-body.js';
import type { Answer, OperationId, RequestLimits } from './operation.js';
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

class ClientGoneError extends Error {
  override name = 'ClientGoneError';
}

const milliseconds = (seconds: number): string => (seconds * 1000).toFixed(1);

function serverTiming(estimateSeconds: number | null, queueSeconds: number, runSeconds: number): string {
  const entries = [`queue;dur=${milliseconds(queueSeconds)}`, `run;dur=${milliseconds(runSeconds)}`];
  if (estimateSeconds !== null) entries.push(`estimate;dur=${milliseconds(estimateSeconds)}`);
  return entries.join(', ');
}

/** The problem a pool failure is for the client. */
function poolProblem(error: unknown, timeoutMs: number): ProblemError | undefined {
  if (error instanceof PoolSaturatedError) return new ProblemError('unavailable', `${error.message} Retry shortly.`, {}, { 'retry-after': '2' });
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

export function createPipeline({ pool, limits, inlineSeconds }: PipelineOptions) {
  async function runOnPool(task: WorkTask, reply: FastifyReply, price: Price | null, bytes: number): Promise<void> {
    const signal = clientGoneSignal(reply);
    const submitted = performance.now();
    let started = submitted;
    let outcome: WorkOutcome;
    try {
      outcome = await pool.run<WorkOutcome>(task, {
        signal,
        bytes,
        ...(price === null ? {} : { estimateSeconds: price.seconds }),
        onStart: () => (started = performance.now()),
      });
    } catch (error) {
      if (signal.aborted) {
        // Nobody is listening any more; 499 (nginx's "client closed request") is for the log and the metrics.
        reply.code(CLIENT_CLOSED_REQUEST).send();
        return;
      }
      throw poolProblem(error, pool.timeoutMs) ?? error;
    }
    if (!outcome.ok) throw deserializeProblem(outcome.problem);
    const finished = performance.now();
    const estimate = price?.seconds ?? outcome.estimateSeconds;
    reply.header('server-timing', serverTiming(estimate, (started - submitted) / 1000, (finished - started) / 1000));
    sendAnswer(reply, outcome.answer);
  }

  /** Serves one request with the operation `id`; the route has validated `query` and `params` (and `body`, unless deferred). */
  async function serve(id: OperationId, request: FastifyRequest, reply: FastifyReply, parts: PipelineRequest): Promise<void> {
    const operation = operationById(id);
    const query = (parts.query ?? {}) as { format?: 'json' | 'svg' | 'png'; scale?: number };
    const representation = negotiate(request, operation.representations, query.format);
    const scale = query.scale ?? 2;

    if (parts.body instanceof DeferredJsonBody) {
      const input = { body: parts.body.bytes, query: parts.query, params: parts.params, limits };
      return runOnPool({ operation: id, representation, scale, input }, reply, null, parts.body.bytes.byteLength);
    }

    let plan: unknown;
    let price: Price;
    try {
      plan = operation.plan({ body: parts.body, query: parts.query, params: parts.params, representation, limits });
      price = priceOf(operation.cost(plan));
    } catch (error) {
      throw problemFromError(error) ?? error;
    }
    refuseWhenTooCostly(price, limits);

    if (operation.inline === true && (representation === 'json' || representation === 'binary') && price.seconds <= inlineSeconds) {
      const started = performance.now();
      let answer: Answer | { json: unknown };
      try {
        const result = await operation.run(plan);
        // JSON goes out through Fastify's serializer; a binary answer is already bytes.
        answer = representation === 'json' ? { json: jsonOf(operation, result, plan) } : await answerOf(operation, plan, result, representation, scale);
      } catch (error) {
        throw problemFromError(error) ?? error;
      }
      reply.header('server-timing', serverTiming(price.seconds, 0, (performance.now() - started) / 1000));
      if ('json' in answer) reply.send(answer.json);
      else sendAnswer(reply, answer);
      return;
    }
    const bodyBytes = Number(request.headers['content-length'] ?? 0) || 0;
    return runOnPool({ operation: id, representation, scale, input: { plan } }, reply, price, bodyBytes);
  }

  return { serve };
}

export type Pipeline = ReturnType<typeof createPipeline>;
