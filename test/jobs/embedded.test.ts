import { describe, expect, it } from 'vitest';
import { useTestServer } from '../support/server.js';
import { describeJobApi, followEvents, submit } from './job-api-suite.js';

const server = useTestServer({ SIMULATION_THREADS: '2', JOB_HEARTBEAT_MS: '100' });

describeJobApi('embedded', server);

describe('POST /v1/jobs (embedded engine)', () => {
  it('streams a training job\'s history entries as partial events', async () => {
    const request = { network: { depth: 2, width: 8, activation: 'tanh' }, data: { dataset: 'xor', trainSize: 32, testSize: 16 }, steps: 20, evaluateEvery: 10 };
    const { job } = await submit(server, { kind: 'training', request });
    expect(job.progress.total).toBe(3);
    const { events } = await followEvents(server, job.id);
    const partials = events.filter((event) => event.event === 'partial').map((event) => (event.data as { entry: { step: number } }).entry.step);
    expect(partials).toEqual([0, 10, 20]);
  });

  it('sends heartbeat comments on a quiet stream', async () => {
    const request = { network: { depth: 2, width: 8, activation: 'tanh' }, data: { dataset: 'spirals', trainSize: 200, testSize: 50 }, steps: 3000, evaluateEvery: 3000 };
    const { job } = await submit(server, { kind: 'training', request });
    const { text } = await followEvents(server, job.id);
    expect(text).toContain(': heartbeat\n\n');
  });

  it('refuses a Last-Event-ID that is no event id of the stream with a 400', async () => {
    const { job } = await submit(server, { kind: 'feedforward', request: { network: { depth: 2, width: 4, activation: 'relu' } } });
    expect((await followEvents(server, job.id, 'yesterday')).status).toBe(400);
  });
});
