import { describe, expect, it } from 'vitest';
import type { TestServer } from '../support/server.js';

/**
 * The behaviour every job engine must have, through the HTTP API alone: the
 * embedded engine runs it in test/routes/v1/jobs.test.ts, the distributed one
 * (Redis and worker processes) in test/jobs/distributed.test.ts.
 */

interface Job {
  id: string;
  kind: string;
  state: string;
  progress: { done: number; total: number; fraction: number; etaSeconds: number | null };
  result?: unknown;
  problem?: { status: number; detail: string };
}

export interface ServerEvent {
  id: string;
  event: string;
  data: unknown;
}

export const smallFeedforward = { network: { depth: 4, width: 8, activation: 'tanh' }, input: { batchSize: 4 }, seed: 3 };

export const gainByDepthSweep = {
  base: { kind: 'feedforward', request: { network: { depth: 4, width: 8, activation: 'tanh', init: { scheme: 'lecun_normal', gain: 1 } }, input: { batchSize: 4 } } },
  axes: [
    { path: 'network.init.gain', grid: { start: 0.5, stop: 2, count: 4 } },
    { path: 'network.depth', values: [2, 6] },
  ],
};

/** Parses a text/event-stream body into its events (comments and `retry:` skipped). */
export function parseEvents(text: string): ServerEvent[] {
  return text
    .split('\n\n')
    .map((block) => block.split('\n').filter((line) => line !== '' && !line.startsWith(':') && !line.startsWith('retry:')))
    .filter((lines) => lines.length > 0)
    .map((lines) => {
      const field = (name: string): string => (lines.find((line) => line.startsWith(`${name}: `)) ?? '').slice(name.length + 2);
      return { id: field('id'), event: field('event'), data: JSON.parse(field('data')) as unknown };
    });
}

export async function submit(server: TestServer, body: unknown): Promise<{ status: number; job: Job; location: string | undefined; problem: Record<string, unknown> }> {
  const response = await server.http().post('/v1/jobs').send(body as object);
  return { status: response.status, job: response.body as Job, location: response.headers['location'] as string | undefined, problem: response.body as Record<string, unknown> };
}

/** The whole event stream of a job (it ends with the job), from after `lastEventId` when given. */
export async function followEvents(server: TestServer, id: string, lastEventId?: string): Promise<{ status: number; contentType: string; events: ServerEvent[]; text: string }> {
  const request = server.http().get(`/v1/jobs/${id}/events`).buffer(true).parse((response, done) => {
    let text = '';
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => (text += chunk));
    response.on('end', () => done(null, text));
  });
  const response = await (lastEventId === undefined ? request : request.set('last-event-id', lastEventId));
  const text = response.body as string;
  return { status: response.status, contentType: String(response.headers['content-type']), events: response.status === 200 ? parseEvents(text) : [], text };
}

export async function finished(server: TestServer, id: string): Promise<Job> {
  await followEvents(server, id);
  return (await server.http().get(`/v1/jobs/${id}`).expect(200)).body as Job;
}

export function describeJobApi(engine: string, server: TestServer): void {
  describe(`the jobs API (${engine} engine)`, () => {
    it('runs a simulation job to the same answer as the synchronous endpoint', async () => {
      const { status, job, location } = await submit(server, { kind: 'feedforward', request: smallFeedforward });
      expect(status).toBe(202);
      expect(location).toBe(`/v1/jobs/${job.id}`);
      expect(['queued', 'running']).toContain(job.state);
      const done = await finished(server, job.id);
      expect(done).toMatchObject({ state: 'succeeded', progress: { done: 1, total: 1, fraction: 1 } });
      const synchronous = (await server.http().post('/v1/simulations/feedforward').send(smallFeedforward).expect(200)).body;
      expect(done.result).toEqual(synchronous);
      expect((await server.http().get(`/v1/jobs/${job.id}/result`).expect(200)).body).toEqual(synchronous);
    });

    it('streams every cell of a sweep once as a partial event, ends with succeeded, and holds every point exactly once', async () => {
      const { job } = await submit(server, { kind: 'sweep', request: gainByDepthSweep });
      const { status, contentType, events } = await followEvents(server, job.id);
      expect(status).toBe(200);
      expect(contentType).toMatch(/^text\/event-stream/);
      const partials = events.filter((event) => event.event === 'partial').map((event) => event.data as { index: number });
      expect(partials.map((cell) => cell.index).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
      expect(events.at(-1)?.event).toBe('succeeded');
      expect(new Set(events.map((event) => event.id)).size).toBe(events.length);
      const result = (await server.http().get(`/v1/jobs/${job.id}/result`).expect(200)).body as { cells: { index: number; coordinates: Record<string, number> }[] };
      expect(result.cells.map((cell) => cell.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
      expect(result.cells[3]?.coordinates).toEqual({ 'network.init.gain': 1, 'network.depth': 6 });
    });

    it('makes a one-trial sweep cell exactly the synchronous answer at that point', async () => {
      const { job } = await submit(server, { kind: 'sweep', request: gainByDepthSweep });
      const done = await finished(server, job.id);
      const cell = (done.result as { cells: { coordinates: Record<string, number>; summary: Record<string, unknown> }[] }).cells[5];
      const point = { ...gainByDepthSweep.base.request, network: { ...gainByDepthSweep.base.request.network, init: { scheme: 'lecun_normal', gain: cell?.coordinates['network.init.gain'] }, depth: cell?.coordinates['network.depth'] } };
      const synchronous = (await server.http().post('/v1/simulations/feedforward').send(point).expect(200)).body;
      expect(cell?.summary).toMatchObject({ ...synchronous.summary, loss: synchronous.loss });
    });

    it('replays exactly the events after Last-Event-ID', async () => {
      const { job } = await submit(server, { kind: 'sweep', request: gainByDepthSweep });
      const all = (await followEvents(server, job.id)).events;
      const cut = all[3] as ServerEvent;
      const resumed = (await followEvents(server, job.id, cut.id)).events;
      expect(resumed).toEqual(all.slice(4));
    });

    it('refuses a bad request at submission with a 400 naming the field under request', async () => {
      const { status, problem } = await submit(server, { kind: 'feedforward', request: { network: { depth: 0, width: 8, activation: 'tanh' } } });
      expect(status).toBe(400);
      expect(problem['errors']).toEqual([expect.objectContaining({ path: 'request.network.depth' })]);
    });

    it('refuses a sweep with an invalid point with a 400 naming the point', async () => {
      const sweep = { ...gainByDepthSweep, axes: [{ path: 'network.depth', values: [3, 0] }] };
      const { status, problem } = await submit(server, { kind: 'sweep', request: sweep });
      expect(status).toBe(400);
      expect(problem['point']).toEqual({ index: 1, coordinates: { 'network.depth': 0 } });
      expect(problem['detail']).toMatch(/^Sweep point 1 \(network\.depth = 0\)/);
    });

    it('refuses a job priced over the job limits with a 422', async () => {
      const { status, problem } = await submit(server, { kind: 'feedforward', request: { network: { depth: 10_000, width: 8192, activation: 'tanh' }, input: { batchSize: 8192 } } });
      expect(status).toBe(422);
      expect(problem['estimate']).toBeDefined();
    });

    it('answers the same idempotency key and request with the same job, and another request under it with 409', async () => {
      const key = `suite-${engine}-${Date.now()}`;
      const first = await submit(server, { kind: 'feedforward', request: smallFeedforward, idempotencyKey: key });
      const again = await submit(server, { kind: 'feedforward', request: smallFeedforward, idempotencyKey: key });
      expect([first.status, again.status]).toEqual([202, 200]);
      expect(again.job.id).toBe(first.job.id);
      const other = await submit(server, { kind: 'feedforward', request: { ...smallFeedforward, seed: 4 }, idempotencyKey: key });
      expect(other.status).toBe(409);
    });

    it('cancels a running sweep: its stream ends with cancelled and it has no result', async () => {
      const long = { ...gainByDepthSweep, base: { kind: 'feedforward', request: { ...gainByDepthSweep.base.request, network: { ...gainByDepthSweep.base.request.network, width: 256 }, input: { batchSize: 256 } } }, axes: [{ path: 'network.depth', grid: { start: 50, stop: 200, count: 40, integer: true } }] };
      const { job } = await submit(server, { kind: 'sweep', request: long });
      const cancelled = (await server.http().delete(`/v1/jobs/${job.id}`).expect(200)).body as Job;
      expect(cancelled.state).toBe('cancelled');
      const { events } = await followEvents(server, job.id);
      expect(events.at(-1)?.event).toBe('cancelled');
      expect((await server.http().get(`/v1/jobs/${job.id}/result`).expect(409)).body.state).toBe('cancelled');
      expect(((await server.http().get(`/v1/jobs/${job.id}`).expect(200)).body as Job).progress.done).toBeLessThan(40);
    });

    it('draws a two-axis sweep as an SVG heat map', async () => {
      const { job } = await submit(server, { kind: 'sweep', request: gainByDepthSweep });
      await finished(server, job.id);
      const response = await server.http().get(`/v1/jobs/${job.id}/result`).set('accept', 'image/svg+xml').buffer(true).parse((res, done) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => done(null, text));
      });
      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toMatch(/^image\/svg\+xml/);
      expect(response.body as string).toContain('meanLog10GainPerLayer over network.init.gain × network.depth');
    });

    it('lists jobs newest first, filtered by state, in pages', async () => {
      const a = (await submit(server, { kind: 'feedforward', request: { ...smallFeedforward, seed: 11 } })).job;
      const b = (await submit(server, { kind: 'feedforward', request: { ...smallFeedforward, seed: 12 } })).job;
      await finished(server, a.id);
      await finished(server, b.id);
      const first = (await server.http().get('/v1/jobs?limit=1&state=succeeded').expect(200)).body as { jobs: Job[]; nextCursor: string };
      expect(first.jobs.map((job) => job.id)).toEqual([b.id]);
      const second = (await server.http().get(`/v1/jobs?limit=1&state=succeeded&cursor=${first.nextCursor}`).expect(200)).body as { jobs: Job[] };
      expect(second.jobs.map((job) => job.id)).toEqual([a.id]);
      expect(second.jobs[0]).not.toHaveProperty('result');
    });

    it('answers an unknown job with a 404 problem', async () => {
      const response = await server.http().get('/v1/jobs/00000000-0000-4000-8000-000000000000').expect(404);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    });
  });
}
