import { describe, expect, it } from 'vitest';
import { useContractServer } from '../support/contract-client.js';

const { client } = useContractServer({ MAX_ELEMENTS: '1000', BODY_LIMIT_BYTES: '65536' });
const evaluateMany = (body: unknown) => client.post('/v1/evaluate', body);

describe('POST /v1/evaluate', () => {
  describe('answers 200 with a documented MultiEvaluation', () => {
    it('for ids, aliases and { id, params } in request order', async () => {
      const { status, body } = await evaluateMany({ x: [-1, 0, 1], activations: ['sigmoid', 'linear', { id: 'elu', params: { alpha: 0.5 } }], outputs: ['derivative'] });
      expect(status).toBe(200);
      expect((body as { results: { activation: string }[] }).results.map((result) => result.activation)).toEqual(['sigmoid', 'identity', 'elu']);
    });

    it('for a grid, every output and train mode', async () => {
      const response = await evaluateMany({ grid: { start: -2, stop: 2, count: 5 }, activations: ['rrelu', 'swish'], mode: 'train', seed: 3, outputs: ['value', 'derivative', 'paramGradients'] });
      expect(response.status).toBe(200);
    });

    it('for every activation of the catalogue at once', async () => {
      const catalogue = (await client.get('/v1/activations')).body as { activations: { id: string }[] };
      const response = await evaluateMany({ x: [-3, -1, 0, 0.5, 3], activations: catalogue.activations.map(({ id }) => id) });
      expect(response.status).toBe(200);
    });

    it('for inputs × activations exactly at MAX_ELEMENTS', async () => {
      expect((await evaluateMany({ grid: { start: 0, stop: 1, count: 250 }, activations: ['relu', 'tanh', 'elu', 'gelu'] })).status).toBe(200);
    });
  });

  describe('answers 400 with a documented problem', () => {
    it.each([
      ['no activations', { x: [1], activations: [] }],
      ['an unknown activation', { x: [1], activations: ['softmax'] }],
      ['a number as an activation', { x: [1], activations: [42] }],
      ['an unknown field in a reference', { x: [1], activations: [{ id: 'elu', colour: 'red' }] }],
      ['an unknown parameter in a reference', { x: [1], activations: ['tanh', { id: 'elu', params: { beta: 1 } }] }],
      ['a parameter outside its domain', { x: [1], activations: [{ id: 'softplus', params: { beta: -1 } }] }],
      ['more than 100 activations', { x: [1], activations: Array.from({ length: 101 }, () => 'relu') }],
      ['both x and grid', { x: [1], grid: { start: 0, stop: 1, count: 2 }, activations: ['relu'] }],
      ['a missing activations list', { x: [1] }],
      ['an unknown top-level field', { x: [1], activations: ['relu'], params: {} }],
    ])('for %s', async (_name, body) => {
      expect((await evaluateMany(body)).status).toBe(400);
    });
  });

  it('answers inputs × activations over MAX_ELEMENTS with a 413 problem', async () => {
    const { status, body } = await evaluateMany({ grid: { start: 0, stop: 1, count: 501 }, activations: ['relu', 'tanh'] });
    expect(status).toBe(413);
    expect(body).toMatchObject({ elements: 1002, limit: 1000 });
  });

  it('answers a text/plain body with a 415 problem', async () => {
    const response = await client.request({ method: 'POST', path: '/v1/evaluate', raw: 'x=1', headers: { 'content-type': 'text/plain' } });
    expect(response.status).toBe(415);
  });

  it('answers an overflowing result with a 422 problem naming the activation', async () => {
    const { status, body } = await evaluateMany({ x: [1.75e308], activations: ['relu', 'selu'] });
    expect(status).toBe(422);
    expect(body).toMatchObject({ activation: 'selu', index: 0 });
  });
});
