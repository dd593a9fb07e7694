import { describe, expect, it } from 'vitest';
import { useTestServer } from '../../support/server.js';

const server = useTestServer({ SIMULATION_THREADS: '1' });

const training = {
  network: { depth: 2, width: 16, activation: 'relu', init: 'he_normal' },
  data: { dataset: 'spirals', trainSize: 200, testSize: 100 },
  optimizer: { type: 'adam', learningRate: 0.01 },
  steps: 100,
  evaluateEvery: 25,
};

interface Job {
  id: string;
  kind: string;
  state: string;
  progress: { done: number; total: number; fraction: number };
}

const submit = (body: unknown) => server.http().post('/v1/jobs').send(body as object);
const jobOf = async (id: string): Promise<Job> => (await server.http().get(`/v1/jobs/${id}`).expect(200)).body as Job;

async function finished(id: string): Promise<Job> {
  for (let attempt = 0; attempt < 600; attempt += 1) {
    const job = await jobOf(id);
    if (['succeeded', 'failed', 'cancelled'].includes(job.state)) return job;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`job ${id} did not finish`);
}

/** The events of a text/event-stream body: id, event, data per block. */
function eventsOf(text: string): { id: string; event: string; data: unknown }[] {
  return text
    .split('\n\n')
    .map((block) => Object.fromEntries(block.split('\n').filter((line) => /^(id|event|data):/.test(line)).map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1).trim()])))
    .filter((fields) => fields['event'] !== undefined)
    .map((fields) => ({ id: fields['id'] as string, event: fields['event'] as string, data: JSON.parse(fields['data'] as string) as unknown }));
}

describe('jobs', () => {
  it('queues a training as a job whose result is exactly the synchronous answer', async () => {
    const response = await submit({ kind: 'training', request: training }).expect(202);
    expect(response.headers['location']).toBe(`/v1/jobs/${response.body.id}`);
    expect(response.body).toMatchObject({ kind: 'training', progress: { done: 0 } });
    const job = await finished(response.body.id);
    expect(job).toMatchObject({ state: 'succeeded', progress: { fraction: 1 } });
    const result = (await server.http().get(`/v1/jobs/${job.id}/result`).expect(200)).body;
    const synchronous = (await server.http().post('/v1/training').send(training).expect(200)).body;
    expect(result).toEqual(synchronous);
  });

  it('streams progress and every history entry as events with ids, ending with succeeded, and resumes after Last-Event-ID', async () => {
    const { id } = (await submit({ kind: 'training', request: training }).expect(202)).body as Job;
    await finished(id);
    const all = eventsOf((await server.http().get(`/v1/jobs/${id}/events`).expect(200).expect('content-type', /^text\/event-stream/)).text);
    expect(all.at(-1)?.event).toBe('succeeded');
    expect(all.filter((event) => event.event === 'partial')).toHaveLength(5);
    expect(new Set(all.map((event) => event.id)).size).toBe(all.length);
    const middle = all[Math.floor(all.length / 2)] as { id: string };
    const resumed = eventsOf((await server.http().get(`/v1/jobs/${id}/events`).set('last-event-id', middle.id).expect(200)).text);
    expect(resumed).toEqual(all.slice(Math.floor(all.length / 2) + 1));
  });

  it('answers the same idempotency key and request with the same job, and another request with 409', async () => {
    const key = `key-${Date.now()}`;
    const first = (await submit({ kind: 'training', request: training, idempotencyKey: key }).expect(202)).body as Job;
    const again = (await submit({ kind: 'training', request: training, idempotencyKey: key }).expect(200)).body as Job;
    expect(again.id).toBe(first.id);
    const conflict = await submit({ kind: 'training', request: { ...training, steps: 50 }, idempotencyKey: key }).expect(409);
    expect(conflict.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('refuses a bad request at submission with the endpoint\'s 400, and an unknown job with 404', async () => {
    const response = await submit({ kind: 'feedforward', request: { network: { depth: 0, width: 4, activation: 'tanh' } } }).expect(400);
    expect(JSON.stringify(response.body.errors)).toContain('depth');
    await server.http().get('/v1/jobs/00000000-0000-4000-8000-000000000000').expect(404);
  });

  it('cancels a running job: its state is cancelled and its work stops', async () => {
    const { id } = (await submit({ kind: 'training', request: { ...training, steps: 50_000, evaluateEvery: 1000 } }).expect(202)).body as Job;
    for (let attempt = 0; attempt < 100 && (await jobOf(id)).state !== 'running'; attempt += 1) await new Promise((resolve) => setTimeout(resolve, 20));
    const cancelled = (await server.http().delete(`/v1/jobs/${id}`).expect(200)).body as Job;
    expect(['cancelled']).toContain((await finished(cancelled.id)).state);
    const inFlight = async () => Number(/^simulation_pool_in_flight (\d+)/m.exec((await server.http().get('/metrics')).text)?.[1]);
    for (let attempt = 0; attempt < 100 && (await inFlight()) > 0; attempt += 1) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await inFlight()).toBe(0);
    expect(eventsOf((await server.http().get(`/v1/jobs/${id}/events`).expect(200)).text).at(-1)?.event).toBe('cancelled');
  });

  it('runs a sweep: one cell per point, each exactly once, trial 0 the synchronous answer at that point, and draws it as a heat map', async () => {
    const base = { network: { depth: 5, width: 32, activation: 'tanh', init: { scheme: 'normal', std: 0.1 } }, seed: 3 };
    const { id } = (
      await submit({ kind: 'sweep', request: { base: { kind: 'feedforward', request: base }, axes: [{ path: 'network.init.std', values: [0.1, 0.2, 0.3] }, { path: 'network.depth', values: [5, 10] }] } }).expect(202)
    ).body as Job;
    expect((await finished(id)).state).toBe('succeeded');
    const result = (await server.http().get(`/v1/jobs/${id}/result`).expect(200)).body as { cells: { coordinates: Record<string, number>; summary: unknown }[] };
    expect(result.cells).toHaveLength(6);
    expect(new Set(result.cells.map((cell) => JSON.stringify(cell.coordinates))).size).toBe(6);
    const point = result.cells.find((cell) => cell.coordinates['network.init.std'] === 0.2 && cell.coordinates['network.depth'] === 10);
    const synchronous = (await server.http().post('/v1/simulations/feedforward').send({ ...base, network: { ...base.network, depth: 10, init: { scheme: 'normal', std: 0.2 } } }).expect(200)).body;
    // The cell's headline: the simulation's summary and loss, with the mean-field figures beside them.
    expect(point?.summary).toMatchObject({ ...synchronous.summary, loss: synchronous.loss });
    const chart = await server.http().get(`/v1/jobs/${id}/result`).set('accept', 'image/svg+xml').expect(200);
    expect(chart.headers['content-type']).toMatch(/^image\/svg\+xml/);
  });

  it('refuses a sweep with a point the endpoint would refuse, naming the point', async () => {
    const response = await submit({ kind: 'sweep', request: { base: { kind: 'feedforward', request: { network: { depth: 5, width: 8, activation: 'tanh' } } }, axes: [{ path: 'network.depth', values: [5, 0] }] } }).expect(400);
    expect(JSON.stringify(response.body)).toContain('network.depth');
  });

  it('lists jobs newest first, filtered by state', async () => {
    const { body } = await server.http().get('/v1/jobs?state=succeeded&limit=2').expect(200);
    expect(body.jobs.length).toBeLessThanOrEqual(2);
    for (const job of body.jobs as Job[]) expect(job.state).toBe('succeeded');
  });
});
