import { describe, expect, it } from 'vitest';
import { useContractServer } from '../support/contract-client.js';
import { findOperation } from '../support/contract.js';

const { client } = useContractServer({ MAX_ELEMENTS: '1000', BODY_LIMIT_BYTES: '65536' });

describe('GET /v1/activations', () => {
  it('answers the catalogue of 25 entries as documented', async () => {
    const response = await client.get('/v1/activations');
    expect(response.status).toBe(200);
    expect((response.body as { activations: unknown[] }).activations).toHaveLength(25);
  });

  it('ignores an unknown query key', async () => {
    expect((await client.get('/v1/activations?verbose=1')).status).toBe(200);
  });
});

describe('GET /v1/activations/{id}', () => {
  it.each(['tanh', 'logistic', 'linear', 'leaky_relu', 'gelu', 'rrelu', 'threshold'])('answers the documented descriptor of %s', async (id) => {
    expect((await client.get(`/v1/activations/${id}`)).status).toBe(200);
  });

  it.each(['softmax', '__proto__', 'constructor', 'toString', 'TANH', '%F0%9F%94%A5', 'tanh%2Fplot'])('answers an unknown id %s with a 404 problem', async (id) => {
    expect((await client.get(`/v1/activations/${id}`)).status).toBe(404);
  });

  it('answers an id of exactly 100 characters (the router limit) with a 404 problem', async () => {
    expect((await client.get(`/v1/activations/${'a'.repeat(100)}`)).status).toBe(404);
  });

  // Fastify's FST_ERR_MAX_PARAM_LENGTH and FST_ERR_BAD_URL once escaped the error handler as bare application/json (414, 400);
  // the contract client checks the problem against the document and the conventions (x-request-id included).
  it('answers an id longer than 100 characters with a 404 problem', async () => {
    const { status, body } = await client.get(`/v1/activations/${'a'.repeat(101)}`);
    expect(status).toBe(404);
    expect(body).toMatchObject({ type: 'urn:activation-lab:problem:not-found' });
  });

  it('answers a malformed percent-encoding in the path with a 400 problem', async () => {
    const { status, body } = await client.get('/v1/activations/%E0%A4%A');
    expect(status).toBe(400);
    expect(body).toMatchObject({ type: 'urn:activation-lab:problem:malformed' });
  });
});

describe.runIf(findOperation('POST', '/v1/activations/{id}/evaluate/binary'))('POST /v1/activations/{id}/evaluate/binary', () => {
  const float64s = (values: number[]): Buffer => Buffer.from(new Float64Array(values).buffer);
  const evaluateBinary = (query: string, raw: Buffer, contentType = 'application/octet-stream') =>
    client.request({ method: 'POST', path: `/v1/activations/${query}`, raw, headers: { 'content-type': contentType } });

  it('answers little-endian float64 outputs laid out as x-count and x-outputs say', async () => {
    const response = await evaluateBinary('prelu/evaluate/binary?alpha=0.1&outputs=value,paramGradients', float64s([-2, 0, 3]));
    expect(response.status).toBe(200);
    expect(response.headers['x-count']).toBe('3');
    expect(response.headers['x-outputs']).toBe('value,paramGradients.alpha');
    expect(Array.from(new Float64Array(new Uint8Array(response.payload).buffer))).toEqual([-0.2, 0, 3, -2, 0, 0]);
  });

  it.each([
    ['a body that is not whole float64s', 'tanh/evaluate/binary', Buffer.alloc(7)],
    ['a NaN input', 'tanh/evaluate/binary', float64s([Number.NaN])],
    ['an infinite input', 'tanh/evaluate/binary', float64s([Number.POSITIVE_INFINITY])],
    ['an unknown output', 'tanh/evaluate/binary?outputs=integral', float64s([1])],
    ['an unknown parameter', 'elu/evaluate/binary?alpah=1', float64s([1])],
  ])('answers %s with a 400 problem', async (_name, query, raw) => {
    expect((await evaluateBinary(query, raw)).status).toBe(400);
  });

  it('answers an unknown activation with a 404 problem', async () => {
    expect((await evaluateBinary('softmax/evaluate/binary', float64s([1]))).status).toBe(404);
  });

  it('answers more than MAX_ELEMENTS inputs with a 413 problem', async () => {
    expect((await evaluateBinary('relu/evaluate/binary', Buffer.alloc(8 * 1001))).status).toBe(413);
  });

  it('answers a text/plain body with a 415 problem', async () => {
    expect((await evaluateBinary('relu/evaluate/binary', float64s([1]), 'text/plain')).status).toBe(415);
  });

  it('answers a result beyond float64 with a 422 problem', async () => {
    expect((await evaluateBinary('selu/evaluate/binary', float64s([1.75e308]))).status).toBe(422);
  });
});

describe('POST /v1/activations/{id}/evaluate', () => {
  const evaluate = (id: string, body: unknown, headers?: Record<string, string>) => client.post(`/v1/activations/${id}/evaluate`, body, headers);

  describe('answers 200 with a documented Evaluation', () => {
    it('for an explicit x', async () => {
      const { status, body } = await evaluate('sigmoid', { x: [-1, 0, 1] });
      expect(status).toBe(200);
      expect(body).toMatchObject({ activation: 'sigmoid', count: 3, mode: 'eval' });
    });

    it('for a grid, an alias and every output', async () => {
      const { status, body } = await evaluate('logistic', { grid: { start: -3, stop: 3, count: 7 }, outputs: ['value', 'derivative', 'paramGradients'] });
      expect(status).toBe(200);
      expect(body).toMatchObject({ activation: 'sigmoid', count: 7, paramGradients: {} });
    });

    it('for a learnable parameter with its gradient', async () => {
      const { status, body } = await evaluate('prelu', { x: [-2, 0, 3], params: { alpha: 0.1 }, outputs: ['paramGradients'] });
      expect(status).toBe(200);
      expect(body).toMatchObject({ params: { alpha: 0.1 }, paramGradients: { alpha: [-2, 0, 0] } });
    });

    it('for a string parameter', async () => {
      expect((await evaluate('gelu', { x: [1], params: { approximate: 'tanh' } })).status).toBe(200);
    });

    it('for rrelu in train mode with a seed', async () => {
      expect((await evaluate('rrelu', { x: [-1, -1], mode: 'train', seed: 7 })).status).toBe(200);
    });

    it('for a one-point grid', async () => {
      expect((await evaluate('relu', { grid: { start: 2, stop: 2, count: 1 } })).status).toBe(200);
    });

    it('for extreme finite inputs that stay finite', async () => {
      expect((await evaluate('tanh', { x: [-1.7976931348623157e308, -5e-324, 0, 5e-324, 1.7976931348623157e308] })).status).toBe(200);
    });

    it('for exactly MAX_ELEMENTS inputs', async () => {
      expect((await evaluate('relu', { grid: { start: 0, stop: 1, count: 1000 } })).status).toBe(200);
    });

    it('with a charset on the JSON content type', async () => {
      expect((await evaluate('relu', { x: [1] }, { 'content-type': 'application/json; charset=utf-8' })).status).toBe(200);
    });
  });

  describe('answers 400 with a documented problem', () => {
    it.each([
      ['a string in x', { x: [1, '2'] }],
      ['an empty x', { x: [] }],
      ['both x and grid', { x: [1], grid: { start: 0, stop: 1, count: 2 } }],
      ['neither x nor grid', {}],
      ['an unknown field', { x: [1], colour: 'red' }],
      ['an unknown parameter', { x: [1], params: { alpah: 2 } }],
      ['a parameter named like an Object.prototype member', { x: [1], params: { constructor: 1 } }],
      ['a parameter outside its domain', { x: [1], params: { alpha: 0 } }],
      ['a string where a number parameter belongs', { x: [1], params: { alpha: '1' } }],
      ['a NaN-ish string', { x: ['NaN'] }],
      ['a fractional grid count', { grid: { start: 0, stop: 1, count: 2.5 } }],
      ['a one-point grid with start ≠ stop', { grid: { start: 0, stop: 1, count: 1 } }],
      ['an unknown output', { x: [1], outputs: ['integral'] }],
      ['an unknown mode', { x: [1], mode: 'test' }],
      ['a negative seed', { x: [1], seed: -1 }],
      ['a null body', null],
      ['an array body', [1, 2]],
    ])('for %s', async (_name, body) => {
      expect((await evaluate(body === null ? 'elu' : 'celu', body)).status).toBe(400);
    });

    it('for malformed JSON', async () => {
      const response = await client.request({ method: 'POST', path: '/v1/activations/elu/evaluate', raw: '{"x":[1', headers: { 'content-type': 'application/json' } });
      expect(response.status).toBe(400);
    });

    it('for an empty JSON body', async () => {
      const response = await client.request({ method: 'POST', path: '/v1/activations/elu/evaluate', raw: '', headers: { 'content-type': 'application/json' } });
      expect(response.status).toBe(400);
    });

    it('for a __proto__ key (prototype poisoning)', async () => {
      const response = await client.request({
        method: 'POST',
        path: '/v1/activations/elu/evaluate',
        raw: '{"x":[1],"params":{"__proto__":{"polluted":true}}}',
        headers: { 'content-type': 'application/json' },
      });
      expect(response.status).toBe(400);
      expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    });

    it('for a constructor.prototype key', async () => {
      const response = await evaluate('elu', { x: [1], params: { constructor: { prototype: { polluted: true } } } });
      expect(response.status).toBe(400);
      expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    });
  });

  it('answers an unknown activation with a 404 problem', async () => {
    expect((await evaluate('softmax', { x: [1] })).status).toBe(404);
  });

  it('answers more than MAX_ELEMENTS inputs with a 413 problem naming the limit', async () => {
    const { status, body } = await evaluate('relu', { grid: { start: 0, stop: 1, count: 1001 } });
    expect(status).toBe(413);
    expect(body).toMatchObject({ elements: 1001, limit: 1000 });
  });

  it('answers a body over BODY_LIMIT_BYTES with a 413 problem', async () => {
    expect((await evaluate('relu', { x: Array.from({ length: 20_000 }, () => 0.123456) })).status).toBe(413);
  });

  it.each([['text/plain'], ['application/x-www-form-urlencoded'], ['application/vnd.api+json'], ['bogus']])(
    'answers a %s body with a 415 problem',
    async (contentType) => {
      const response = await client.request({ method: 'POST', path: '/v1/activations/relu/evaluate', raw: '{"x":[1]}', headers: { 'content-type': contentType } });
      expect(response.status).toBe(415);
    },
  );

  it('answers a body without a content type with a documented problem', async () => {
    const response = await client.request({ method: 'POST', path: '/v1/activations/relu/evaluate', raw: '{"x":[1]}' });
    expect([400, 415]).toContain(response.status);
  });

  it('answers a result beyond float64 with a 422 problem', async () => {
    const { status, body } = await evaluate('leaky_relu', { x: [-1e300], params: { negativeSlope: 1e10 } });
    expect(status).toBe(422);
    expect(body).toMatchObject({ activation: 'leaky_relu', index: 0 });
  });
});
