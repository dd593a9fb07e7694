import { describe, expect, it } from 'vitest';
import { useContractServer } from '../support/contract-client.js';
import { findOperation } from '../support/contract.js';

const { client } = useContractServer({ SIMULATION_THREADS: '1' });

describe.runIf(findOperation('POST', '/v1/theory/mean-field'))('POST /v1/theory/mean-field', () => {
  const meanField = (body: unknown) => client.post('/v1/theory/mean-field', body);

  it.each([
    ['tanh near criticality', { activation: 'tanh', sigmaW2: 1, sigmaB2: 0.05, depth: 10 }],
    ['ReLU at the He point (closed form)', { activation: 'relu', sigmaW2: 2 }],
    ['ReLU above it (q diverges)', { activation: 'relu', sigmaW2: 3, depth: 5 }],
    ['tanh with no bias and small weights (q → 0)', { activation: 'tanh', sigmaW2: 0.5, sigmaB2: 0, depth: 5 }],
    ['a parametrised activation and options', { activation: { id: 'leaky_relu', params: { negativeSlope: 0.2 } }, sigmaW2: 1.5, initialLength: 2, nodeCount: 16, depth: 3 }],
    ['zero variances', { activation: 'sigmoid', sigmaW2: 0, sigmaB2: 0, depth: 2 }],
  ])('answers 200 with a documented MeanFieldResult for %s', async (_name, body) => {
    expect((await meanField(body)).status).toBe(200);
  });

  it.each([
    ['no activation', { sigmaW2: 1 }],
    ['a negative variance', { activation: 'tanh', sigmaW2: -1 }],
    ['a variance over 1000', { activation: 'tanh', sigmaW2: 1001 }],
    ['an unknown activation', { activation: 'softmax', sigmaW2: 1 }],
    ['an unknown parameter', { activation: { id: 'elu', params: { beta: 1 } }, sigmaW2: 1 }],
    ['an unknown field', { activation: 'tanh', sigmaW2: 1, width: 10 }],
    ['too few nodes', { activation: 'tanh', sigmaW2: 1, nodeCount: 2 }],
  ])('answers 400 with a documented problem for %s', async (_name, body) => {
    expect((await meanField(body)).status).toBe(400);
  });

  it('answers a text/plain body with a 415 problem', async () => {
    const response = await client.request({ method: 'POST', path: '/v1/theory/mean-field', raw: '{}', headers: { 'content-type': 'text/plain' } });
    expect(response.status).toBe(415);
  });

  // A subnormal variance once underflowed q to 0 and an internal assertion escaped as a 400 without `errors`:
  // a nonzero variance or initialLength below 1e-12 is now refused at its field.
  it.each([
    ['sigmaW2 = 5e-324', { activation: 'identity', sigmaW2: 5e-324 }, 'sigmaW2'],
    ['sigmaW2 = 1e-13', { activation: 'tanh', sigmaW2: 1e-13 }, 'sigmaW2'],
    ['sigmaB2 = 5e-324', { activation: 'tanh', sigmaW2: 1, sigmaB2: 5e-324 }, 'sigmaB2'],
    ['initialLength = 5e-324', { activation: 'relu', sigmaW2: 1, initialLength: 5e-324 }, 'initialLength'],
  ])('answers a nonzero %s below 1e-12 with a 400 problem naming the field', async (_name, body, path) => {
    const { status, body: problem } = await meanField(body);
    expect(status).toBe(400);
    expect(problem).toMatchObject({ type: 'urn:activation-lab:problem:validation', errors: [{ path }] });
  });

  it.each([
    ['sigmaW2 = 1e-12', { activation: 'tanh', sigmaW2: 1e-12 }],
    ['initialLength = 1e-12', { activation: 'relu', sigmaW2: 1, initialLength: 1e-12 }],
  ])('answers %s (the smallest nonzero value) with 200', async (_name, body) => {
    expect((await meanField(body)).status).toBe(200);
  });
});

describe.runIf(findOperation('POST', '/v1/theory/phase-diagram'))('POST /v1/theory/phase-diagram', () => {
  const grid = { activation: 'tanh', sigmaW2: { start: 0.5, stop: 2, count: 3 }, sigmaB2: { start: 0, stop: 0.2, count: 2 } };
  const phaseDiagram = (body: unknown, query = '', headers?: Record<string, string>) => client.post(`/v1/theory/phase-diagram${query}`, body, headers);

  it('answers 200 with a documented PhaseDiagram', async () => {
    expect((await phaseDiagram(grid)).status).toBe(200);
  });

  it('answers 200 for ReLU (piecewise closed forms)', async () => {
    expect((await phaseDiagram({ ...grid, activation: 'relu' })).status).toBe(200);
  });

  it('answers a documented SVG heat map for Accept: image/svg+xml', async () => {
    expect((await phaseDiagram(grid, '', { accept: 'image/svg+xml' })).status).toBe(200);
  });

  it.each([
    ['a reversed axis', { ...grid, sigmaW2: { start: 2, stop: 1, count: 3 } }],
    ['an axis of one point', { ...grid, sigmaB2: { start: 0, stop: 1, count: 1 } }],
    ['an unknown axis field', { ...grid, sigmaW2: { start: 0, stop: 1, count: 3, log: true } }],
  ])('answers 400 with a documented problem for %s', async (_name, body) => {
    expect((await phaseDiagram(body)).status).toBe(400);
  });

  it.each([
    ['sigmaW2.start', { ...grid, sigmaW2: { start: 1e-13, stop: 2, count: 3 } }],
    ['sigmaB2.stop', { ...grid, sigmaB2: { start: 0, stop: 5e-324, count: 2 } }],
  ])('answers a nonzero %s below 1e-12 with a 400 problem naming the field', async (path, body) => {
    const { status, body: problem } = await phaseDiagram(body);
    expect(status).toBe(400);
    expect(problem).toMatchObject({ errors: [{ path }] });
  });

  it('answers Accept: text/csv with a 406 problem', async () => {
    expect((await phaseDiagram(grid, '', { accept: 'text/csv' })).status).toBe(406);
  });
});
