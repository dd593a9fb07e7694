import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyReply } from 'fastify';
import { ProblemError, problemResponses } from '../../problems.js';
import type { CostLimits } from '../../requests/cost.js';
import { DeferredJsonBody, INLINE_JSON_BYTES } from '../../requests/json-body.js';
import type { Pipeline } from '../../requests/pipeline.js';
import { requestChart, sweepChart } from '../../jobs/charts.js';
import { JOB_ID_PATTERN, isFinished, noSuchJob, viewOf, type JobEngine, type StoredJob } from '../../jobs/engine.js';
import { EVENT_STREAM_MEDIA_TYPE, streamEvents } from '../../jobs/event-stream.js';
import { planJob, type JobLimits } from '../../jobs/submission.js';
import { jobIdParamsSchema, jobListQuerySchema, jobListSchema, jobResultQuerySchema, jobSchema, jobSubmissionSchema, sweepRequestSchema, sweepResultSchema, type CellKind, type SweepResult } from '../../schemas/jobs.js';
import { pictureContent, negotiate } from '../pictures.js';

/** The jobs API (contract: /work/shared/spec/jobs.md): thin handlers over a JobEngine (src/jobs/engine.ts). */

export interface JobRouteOptions {
  pipeline: Pipeline;
  engine: JobEngine;
  limits: JobLimits;
  timeoutMs: number;
  heartbeatMs: number;
}

const locationOf = (id: string): string => `/v1/jobs/${id}`;
const locationHeader = { type: 'string', description: 'The job\'s URL, `/v1/jobs/{id}`.', examples: ['/v1/jobs/0b7a3c52-5f5e-4a39-9a3e-1c0d4b7e2f61'] } as const;

/** The Job as JSON, its result's stored bytes spliced in without parsing them again. */
function jobBytes(job: StoredJob, result: Uint8Array | undefined): Buffer {
  const view = Buffer.from(JSON.stringify(viewOf(job)));
  if (result === undefined) return view;
  return Buffer.concat([view.subarray(0, view.length - 1), Buffer.from(',"result":'), result, Buffer.from('}')]);
}

const sendBytes = (reply: FastifyReply, contentType: string, bytes: Uint8Array): FastifyReply => reply.type(contentType).send(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
const sendJson = (reply: FastifyReply, bytes: Uint8Array): FastifyReply => sendBytes(reply, 'application/json; charset=utf-8', bytes);

const jobRoutes: FastifyPluginAsyncZod<JobRouteOptions> = async (app, { pipeline, engine, limits, timeoutMs, heartbeatMs }) => {
  const chartLimits: CostLimits = limits;

  async function existing(id: string): Promise<StoredJob> {
    const job = JOB_ID_PATTERN.test(id) ? await engine.get(id) : undefined;
    if (job === undefined) throw noSuchJob(id);
    return job;
  }

  app.get('/jobs', {
    schema: {
      tags: ['jobs'],
      operationId: 'listJobs',
      summary: 'List jobs, newest first',
      description: 'Jobs still kept (finished ones for JOB_RESULT_TTL_S), newest first, without their results, optionally only those in one `state`; `nextCursor` pages on.',
      querystring: jobListQuerySchema,
      response: { 200: { description: 'A page of jobs.', content: { 'application/json': { schema: jobListSchema } } }, ...problemResponses([400]) },
    },
    handler: async (request) => {
      const { jobs, nextCursor } = await engine.list(request.query);
      return { jobs: jobs.map((job) => viewOf(job)), nextCursor };
    },
  });

  app.post('/jobs', {
    schema: {
      tags: ['jobs'],
      operationId: 'submitJob',
      summary: 'Submit a simulation, a training or a sweep as a job',
      description:
        'Checks the request exactly as its endpoint would (a bad one is a 400 now, one over the job limits JOB_MAX_SECONDS and JOB_MAX_GFLOP a 422; a sweep is checked at every point and priced as the sum of its runs) and queues it: 202 with `Location: /v1/jobs/{id}`. Follow it with GET /v1/jobs/{id}/events, fetch its result from /v1/jobs/{id}/result. The same `idempotencyKey` with the same request answers 200 with the job it made; with another request, 409. 503 when JOB_MAX_ACTIVE jobs are queued or running. Requests up to 512 KiB.',
      body: jobSubmissionSchema,
      response: {
        200: { description: 'The job this idempotency key made before.', headers: { location: locationHeader }, content: { 'application/json': { schema: jobSchema } } },
        202: { description: 'Queued: the new job, at its Location.', headers: { location: locationHeader }, content: { 'application/json': { schema: jobSchema } } },
        ...problemResponses([400, 409, 413, 415, 422]),
      },
    },
    handler: async (request, reply) => {
      if ((request.body as unknown) instanceof DeferredJsonBody) {
        throw new ProblemError('tooLarge', `A job's request is kept and replayed: at most ${INLINE_JSON_BYTES / 1024} KiB. Use a named data set rather than explicit rows, or the synchronous endpoint.`);
      }
      const plan = planJob(pipeline, request.body, limits);
      const { job, created } = await engine.submit(plan, request.body.idempotencyKey);
      reply.code(created ? 202 : 200).header('location', locationOf(job.id));
      return sendJson(reply, jobBytes(job, undefined));
    },
  });

  app.get('/jobs/:id/events', {
    schema: {
      tags: ['jobs'],
      operationId: 'followJob',
      summary: 'Follow a job as Server-Sent Events',
      description:
        'text/event-stream of the job\'s events: `progress` ({done, total, fraction, etaSeconds}), `partial` (a finished sweep cell, or a training history entry `{run, entry}`), then one last `succeeded`, `failed` or `cancelled` (the Job without its result), after which the stream ends. Every event has an `id:`; reconnect with `Last-Event-ID` to get every event after it (the whole history without). A comment line every JOB_HEARTBEAT_MS keeps idle connections open.',
      params: jobIdParamsSchema,
      headers: z.object({ 'last-event-id': z.string().max(64).optional().describe('The id of the last event received: the stream resumes after it.') }),
      response: {
        200: {
          description: 'The event stream.',
          content: { [EVENT_STREAM_MEDIA_TYPE]: { schema: z.string().describe('`id: …`, `event: progress | partial | succeeded | failed | cancelled`, `data: <JSON>` blocks, and `: heartbeat` comments.') } },
        },
        ...problemResponses([400, 404]),
      },
    },
    handler: async (request, reply) => {
      const job = await existing(request.params.id);
      const after = request.headers['last-event-id'];
      if (after !== undefined && !engine.isEventId(after)) {
        throw new ProblemError('validation', 'Last-Event-ID is not an event id of this stream.', { errors: [{ path: 'headers.last-event-id', message: 'not an id this stream sent' }] });
      }
      await streamEvents(engine, job.id, after, request, reply, heartbeatMs);
    },
  });

  app.get('/jobs/:id/result', {
    schema: {
      tags: ['jobs'],
      operationId: 'getJobResult',
      summary: 'The result of a succeeded job, as JSON or a chart',
      description:
        'The result alone: the endpoint\'s answer for a simulation or training job, `{ kind, axes, trials, cells: [{ index, coordinates, summary }] }` for a sweep. With `Accept: image/svg+xml | image/png` (or `format`), its chart: a simulation or training job\'s is its endpoint\'s chart (the same query options), drawn by running its request again on the worker pool (the seed makes it the same result); a sweep\'s is a heat map of `figure` over axes `x` and `y` (a line for one axis), with the mean-field critical line χ₁ = 1 over simulation sweeps and 6·ξ_c over training sweeps across depth. 409 while the job has not succeeded.',
      params: jobIdParamsSchema,
      querystring: jobResultQuerySchema,
      response: {
        200: pictureContent(z.union([sweepResultSchema, z.record(z.string(), z.unknown())]), 'The result as JSON, or its chart.'),
        ...problemResponses([400, 404, 406, 409, 422]),
      },
    },
    handler: async (request, reply) => {
      const job = await existing(request.params.id);
      const representation = negotiate(request, ['json', 'svg', 'png'], request.query.format);
      if (job.state !== 'succeeded') {
        throw new ProblemError('conflict', job.state === 'failed' ? `Job ${job.id} failed: ${job.problem?.detail ?? 'see its problem'}` : `Job ${job.id} is ${job.state}; it has no result${isFinished(job.state) ? '' : ' yet'}.`, { state: job.state });
      }
      const result = await engine.result(job.id);
      if (result === undefined) throw noSuchJob(job.id);
      reply.header('vary', 'accept');
      if (representation === 'json') return sendJson(reply, result);
      const picture = representation as 'svg' | 'png';
      const submitted = await engine.request(job.id);
      if (submitted === undefined) throw noSuchJob(job.id);
      const answer =
        job.kind === 'sweep'
          ? await sweepChart(JSON.parse(Buffer.from(result).toString('utf8')) as SweepResult, sweepRequestSchema.parse(submitted.request).base.request, picture, request.query)
          : await requestChart(job.kind as CellKind, submitted.request, picture, request.query, { pipeline, limits: chartLimits, timeoutMs });
      return sendBytes(reply, answer.contentType, answer.body);
    },
  });

  app.get('/jobs/:id', {
    schema: {
      tags: ['jobs'],
      operationId: 'getJob',
      summary: 'A job: its state, progress and, once succeeded, its result',
      description: 'The Job: `state` (queued, running, succeeded, failed, cancelled), `progress` {done, total, fraction, etaSeconds}, the times, the estimate it was priced at, `result` once succeeded and `problem` if it failed. 404 for an unknown id or one forgotten JOB_RESULT_TTL_S after it finished.',
      params: jobIdParamsSchema,
      response: { 200: { description: 'The job: its state and progress, and its result once succeeded.', content: { 'application/json': { schema: jobSchema } } }, ...problemResponses([404]) },
    },
    handler: async (request, reply) => {
      const job = await existing(request.params.id);
      return sendJson(reply, jobBytes(job, job.state === 'succeeded' ? await engine.result(job.id) : undefined));
    },
  });

  app.delete('/jobs/:id', {
    schema: {
      tags: ['jobs'],
      operationId: 'cancelJob',
      summary: 'Cancel a job',
      description: 'Cancels a queued or running job: its running work is stopped at its next checkpoint and nothing more of it starts; its event stream ends with `cancelled`. A finished job is answered as it is.',
      params: jobIdParamsSchema,
      response: { 200: { description: 'The job, cancelled (or as it finished).', content: { 'application/json': { schema: jobSchema } } }, ...problemResponses([404]) },
    },
    handler: async (request, reply) => {
      await existing(request.params.id);
      const job = await engine.cancel(request.params.id);
      if (job === undefined) throw noSuchJob(request.params.id);
      return sendJson(reply, jobBytes(job, undefined));
    },
  });
};

export default jobRoutes;
