import { describe, expect, it } from 'vitest';
import { useTestServer } from '../../support/server.js';

const server = useTestServer({ MAX_ELEMENTS: '1000' });

describe('GET /v1/activations', () => {
  it('lists all 25 activations with their facts', async () => {
    const response = await server.http().get('/v1/activations').expect(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    const ids = response.body.activations.map((entry: { id: string }) => entry.id);
    expect(ids).toHaveLength(25);
    expect(new Set(ids).size).toBe(25);
    expect(ids).toEqual(expect.arrayContaining(['sigmoid', 'tanh', 'relu', 'leaky_relu', 'prelu', 'rrelu', 'gelu', 'mish']));
  });

  it('gives sigmoid a maximum derivative of 1/4 and tanh one of 1', async () => {
    const { body } = await server.http().get('/v1/activations').expect(200);
    const byId = new Map(body.activations.map((entry: { id: string }) => [entry.id, entry]));
    expect(byId.get('sigmoid')).toMatchObject({ maxDerivative: 0.25, derivativeAtZero: 0.25, range: { min: 0, max: 1 } });
    expect(byId.get('tanh')).toMatchObject({ maxDerivative: 1, derivativeAtZero: 1, range: { min: -1, max: 1 } });
  });
});

describe('GET /v1/activations/{id}', () => {
  it('describes an activation with its parameters, corners and history', async () => {
    const { body } = await server.http().get('/v1/activations/leaky_relu').expect(200);
    expect(body).toMatchObject({
      id: 'leaky_relu',
      parameters: [{ name: 'negativeSlope', type: 'number', default: 0.01, learnable: false }],
      derivativeAtZero: 0.01,
      kinks: [{ x: 0, derivative: 0.01 }],
      introduced: { year: 2013 },
    });
    expect(body.formula).toContain('x');
  });

  it('marks learnable parameters', async () => {
    const { body } = await server.http().get('/v1/activations/prelu').expect(200);
    expect(body.parameters).toEqual([expect.objectContaining({ name: 'alpha', default: 0.25, learnable: true })]);
  });

  it('resolves an alias to the canonical entry', async () => {
    const { body } = await server.http().get('/v1/activations/logistic').expect(200);
    expect(body.id).toBe('sigmoid');
    expect(body.aliases).toContain('logistic');
  });

  it('answers an unknown activation with a 404 problem', async () => {
    const response = await server.http().get('/v1/activations/softmax').set('x-request-id', 'req-404').expect(404);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchInlineSnapshot(`
      {
        "detail": "No activation "softmax". GET /v1/activations lists them all.",
        "instance": "/v1/activations/softmax",
        "requestId": "req-404",
        "status": 404,
        "title": "Not found",
        "type": "urn:activation-lab:problem:not-found",
      }
    `);
  });
});

describe('POST /v1/activations/{id}/evaluate', () => {
  const evaluate = (id: string, body: unknown) => server.http().post(`/v1/activations/${id}/evaluate`).send(body as object);

  it('returns values and derivatives of explicit inputs by default', async () => {
    const { body } = await evaluate('sigmoid', { x: [-1, 0, 1] }).expect(200);
    expect(body).toMatchObject({ activation: 'sigmoid', params: {}, mode: 'eval', count: 3, x: [-1, 0, 1] });
    // σ(±1) and σ'(±1) from mpmath at 40 digits; the accuracy suite checks the last bits.
    expect(body.value[0]).toBeCloseTo(0.2689414213699951, 15);
    expect(body.value[1]).toBe(0.5);
    expect(body.value[2]).toBeCloseTo(0.7310585786300049, 15);
    expect(body.derivative[0]).toBeCloseTo(0.19661193324148185, 15);
    expect(body.derivative[1]).toBe(0.25);
    expect(body.derivative[2]).toBeCloseTo(0.19661193324148185, 15);
  });

  it('evaluates an inclusive grid and echoes its points', async () => {
    const { body } = await evaluate('relu', { grid: { start: -2, stop: 2, count: 5 } }).expect(200);
    expect(body.x).toEqual([-2, -1, 0, 1, 2]);
    expect(body.value).toEqual([0, 0, 0, 1, 2]);
    expect(body.derivative).toEqual([0, 0, 0, 1, 1]);
  });

  it('fills in default parameters and echoes them', async () => {
    const { body } = await evaluate('elu', { x: [-1], params: {} }).expect(200);
    expect(body.params).toEqual({ alpha: 1 });
  });

  it('uses the given parameters', async () => {
    const { body } = await evaluate('leaky_relu', { x: [-2, 0, 3], params: { negativeSlope: 0.2 } }).expect(200);
    expect(body.value).toEqual([-0.4, 0, 3]);
    expect(body.derivative).toEqual([0.2, 0.2, 1]);
  });

  it('returns only the requested outputs', async () => {
    const { body } = await evaluate('tanh', { x: [0], outputs: ['derivative'] }).expect(200);
    expect(body).not.toHaveProperty('value');
    expect(body.derivative).toEqual([1]);
  });

  it('returns parameter gradients of learnable parameters', async () => {
    const { body } = await evaluate('prelu', { x: [-3, 0, 2], outputs: ['paramGradients'] }).expect(200);
    expect(body.paramGradients).toEqual({ alpha: [-3, 0, 0] });
  });

  it('returns an empty gradient map for an activation without learnable parameters', async () => {
    const { body } = await evaluate('relu', { x: [1], outputs: ['paramGradients'] }).expect(200);
    expect(body.paramGradients).toEqual({});
  });

  it('draws RReLU slopes in train mode reproducibly from the seed', async () => {
    const request = { x: [-1, -1, -1, -1, -1, -1], mode: 'train', seed: 7 };
    const first = (await evaluate('rrelu', request).expect(200)).body;
    const second = (await evaluate('rrelu', request).expect(200)).body;
    const other = (await evaluate('rrelu', { ...request, seed: 8 }).expect(200)).body;
    expect(second.value).toEqual(first.value);
    expect(other.value).not.toEqual(first.value);
    for (const slope of first.derivative) {
      expect(slope).toBeGreaterThanOrEqual(1 / 8);
      expect(slope).toBeLessThanOrEqual(1 / 3);
    }
    expect(first.value).toEqual(first.derivative.map((slope: number) => -slope));
  });

  it('uses the mean slope for RReLU in eval mode', async () => {
    const { body } = await evaluate('rrelu', { x: [-1] }).expect(200);
    expect(body.derivative).toEqual([(1 / 8 + 1 / 3) / 2]);
  });

  it('rejects an unknown parameter with 400', async () => {
    const response = await evaluate('elu', { x: [1], params: { alpah: 2 } }).set('x-request-id', 'req-typo').expect(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchInlineSnapshot(`
      {
        "detail": "Invalid parameters for elu.",
        "errors": [
          {
            "message": "Unknown field "alpah"",
            "path": "params.alpah",
          },
        ],
        "instance": "/v1/activations/elu/evaluate",
        "requestId": "req-typo",
        "status": 400,
        "title": "Invalid request",
        "type": "urn:activation-lab:problem:validation",
      }
    `);
  });

  it('rejects a parameter outside its domain with 400', async () => {
    const { body } = await evaluate('softplus', { x: [1], params: { beta: 0 } }).expect(400);
    expect(body.errors).toEqual([{ path: 'params.beta', message: expect.any(String) }]);
  });

  it('rejects a string where a number belongs with 400 naming the element', async () => {
    const response = await evaluate('relu', { x: [1, '2', 3] }).set('x-request-id', 'req-string').expect(400);
    expect(response.body).toMatchInlineSnapshot(`
      {
        "detail": "The request body is invalid: 1 error.",
        "errors": [
          {
            "message": "Invalid input: expected number, received string",
            "path": "x.1",
          },
        ],
        "instance": "/v1/activations/relu/evaluate",
        "requestId": "req-string",
        "status": 400,
        "title": "Invalid request",
        "type": "urn:activation-lab:problem:validation",
      }
    `);
  });

  it('rejects a body with both x and grid', async () => {
    const { body } = await evaluate('relu', { x: [1], grid: { start: 0, stop: 1, count: 2 } }).expect(400);
    expect(body.errors).toEqual([{ path: '', message: 'Give exactly one of "x" (an array of numbers) and "grid".' }]);
  });

  it('rejects a body with neither x nor grid', async () => {
    const { body } = await evaluate('relu', {}).expect(400);
    expect(body.errors[0].path).toBe('');
  });

  it('rejects unknown top-level fields', async () => {
    const { body } = await evaluate('relu', { x: [1], extra: true }).expect(400);
    expect(body.errors).toEqual([{ path: 'extra', message: 'Unknown field "extra"' }]);
  });

  it('answers an unknown activation with 404', async () => {
    const { body } = await evaluate('nope', { x: [1] }).expect(404);
    expect(body.detail).toContain('"nope"');
  });

  it('refuses more inputs than the element limit with 413', async () => {
    const response = await evaluate('relu', { x: new Array(1001).fill(0) }).set('x-request-id', 'req-413').expect(413);
    expect(response.body).toMatchInlineSnapshot(`
      {
        "detail": "The request asks for 1001 inputs; the limit is 1000 elements.",
        "elements": 1001,
        "instance": "/v1/activations/relu/evaluate",
        "limit": 1000,
        "requestId": "req-413",
        "status": 413,
        "title": "Request too large",
        "type": "urn:activation-lab:problem:too-large",
      }
    `);
  });

  it('refuses a grid of a billion points with 413 before allocating it', async () => {
    const { body } = await evaluate('relu', { grid: { start: 0, stop: 1, count: 1e9 } }).expect(413);
    expect(body).toMatchObject({ status: 413, elements: 1e9, limit: 1000 });
  });

  it('refuses a result that overflows float64 with 422', async () => {
    const { body } = await evaluate('leaky_relu', { x: [1, -1e300], params: { negativeSlope: 1e10 } }).expect(422);
    expect(body).toMatchObject({ status: 422, activation: 'leaky_relu', index: 1 });
  });

  it('answers a body that is not JSON with 415', async () => {
    const response = await server
      .http()
      .post('/v1/activations/relu/evaluate')
      .set('content-type', 'text/plain')
      .set('x-request-id', 'req-415')
      .send('x=1')
      .expect(415);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchInlineSnapshot(`
      {
        "detail": "Content-Type text/plain is not accepted here; the API description lists each endpoint's body type (application/json, or application/octet-stream for /evaluate/binary).",
        "instance": "/v1/activations/relu/evaluate",
        "requestId": "req-415",
        "status": 415,
        "title": "Unsupported media type",
        "type": "urn:activation-lab:problem:unsupported-media-type",
      }
    `);
  });

  it('answers malformed JSON with 400', async () => {
    const { body } = await server
      .http()
      .post('/v1/activations/relu/evaluate')
      .set('content-type', 'application/json')
      .send('{"x": [1,')
      .expect(400);
    expect(body).toMatchObject({ status: 400, type: 'urn:activation-lab:problem:malformed' });
  });

  it('rejects a __proto__ key instead of merging it', async () => {
    const { body } = await server
      .http()
      .post('/v1/activations/relu/evaluate')
      .set('content-type', 'application/json')
      .send('{"x": [1], "__proto__": {"polluted": true}}')
      .expect(400);
    expect(body.status).toBe(400);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});
