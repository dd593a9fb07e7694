import { describe, expect, it } from 'vitest';
import { useContractServer } from '../support/contract-client.js';

const { client } = useContractServer({ BODY_LIMIT_BYTES: '65536' });

describe('GET /v1/activations/{id}/plot', () => {
  describe('answers a documented chart', () => {
    it('as SVG by default', async () => {
      const response = await client.get('/v1/activations/relu/plot?points=11');
      expect(response.status).toBe(200);
      expect(response.contentType).toMatch(/^image\/svg\+xml/);
    });

    it('as PNG for Accept: image/png', async () => {
      const response = await client.get('/v1/activations/tanh/plot?points=11&scale=1', { accept: 'image/png' });
      expect(response.status).toBe(200);
      expect(response.contentType).toBe('image/png');
    });

    it.each([
      ['parameters as query keys', '/v1/activations/elu/plot?alpha=0.5&start=-3&stop=3&points=11'],
      ['a string parameter', '/v1/activations/gelu/plot?approximate=tanh&points=11'],
      ['one curve, a size and a title', '/v1/activations/sigmoid/plot?curves=derivative&width=200&height=120&title=%CF%83%E2%80%B2&points=11'],
      ['an alias', '/v1/activations/logistic/plot?points=11'],
      ['a huge range', '/v1/activations/tanh/plot?start=-1e300&stop=1e300&points=11'],
    ])('for %s', async (_name, path) => {
      expect((await client.get(path)).status).toBe(200);
    });
  });

  describe('answers 400 with a documented problem', () => {
    it.each([
      ['an unknown parameter', '/v1/activations/elu/plot?alpah=1'],
      ['a parameter outside its domain', '/v1/activations/softplus/plot?beta=-1'],
      ['a non-numeric parameter', '/v1/activations/elu/plot?alpha=abc'],
      ['a repeated parameter', '/v1/activations/elu/plot?alpha=1&alpha=2'],
      ['a reversed range', '/v1/activations/elu/plot?start=5&stop=-5'],
      ['an empty range', '/v1/activations/elu/plot?start=1&stop=1'],
      ['a non-numeric start', '/v1/activations/elu/plot?start=left'],
      ['too many points', '/v1/activations/elu/plot?points=100000'],
      ['an unknown curve', '/v1/activations/elu/plot?curves=integral'],
      ['a width below the minimum', '/v1/activations/elu/plot?width=10'],
      ['a PNG scale of 0', '/v1/activations/elu/plot?scale=0'],
      ['an Object.prototype name as a parameter', '/v1/activations/elu/plot?constructor=1'],
    ])('for %s', async (_name, path) => {
      expect((await client.get(path)).status).toBe(400);
    });
  });

  it('answers an unknown activation with a 404 problem', async () => {
    expect((await client.get('/v1/activations/softmax/plot')).status).toBe(404);
  });

  it.each([[{ accept: 'application/json' }], [{ accept: '*/*;q=0' }]])('answers %j, which excludes every picture type, with a 406 problem', async (headers) => {
    expect((await client.get('/v1/activations/elu/plot', headers)).status).toBe(406);
  });

  it('answers ?format=json, a format the document does not offer here, with a 400 problem', async () => {
    expect((await client.get('/v1/activations/elu/plot?format=json')).status).toBe(400);
  });

  // A title naming an Object.prototype member once made Vega throw "Operator not defined: undefined" (500).
  it.each([['valueOf'], ['toString'], ['constructor'], ['hasOwnProperty'], ['__proto__']])('answers title=%s with a chart', async (title) => {
    const response = await client.get(`/v1/activations/identity/plot?points=11&title=${title}`);
    expect(response.status).toBe(200);
    expect(response.contentType).toMatch(/^image\/svg\+xml/);
  });

  // A range narrower than ~1e-300 once made d3's ticks throw "Invalid array length" (500); it is refused at `stop`.
  it('answers a subnormal range with a 400 problem naming stop', async () => {
    const { status, body } = await client.get('/v1/activations/identity/plot?start=-5e-324&stop=5e-324');
    expect(status).toBe(400);
    expect(body).toMatchObject({ type: 'urn:activation-lab:problem:validation', errors: [{ path: 'querystring.stop' }] });
  });

  // BUG (src): the 1e-300 guard covers the x span only: curves that stay within ±1e-300 without being constant (here the value in
  // [-1e-320, 0] and the derivative 1e-320) make Vega throw "Cannot read properties of undefined (reading 'marktype')": 500.
  it('answers curves within ±1e-300 with a chart or a documented 4xx problem, not 500', async () => {
    expect((await client.get('/v1/activations/leaky_relu/plot?negativeSlope=1e-320&start=-1&stop=0&points=11')).status).toBeLessThan(500);
  });

  // Values beyond float64 once escaped as a 500 (NonFiniteResultError); they are refused with a documented 422, as /evaluate does.
  it('answers values beyond float64 with a 422 problem naming the activation', async () => {
    const { status, body } = await client.get('/v1/activations/leaky_relu/plot?negativeSlope=1e10&start=-1e300&stop=0&points=11');
    expect(status).toBe(422);
    expect(body).toMatchObject({ type: 'urn:activation-lab:problem:unprocessable', activation: 'leaky_relu' });
  });
});

describe('POST /v1/plots/activations', () => {
  const plot = (body: unknown, query = '', headers?: Record<string, string>) => client.post(`/v1/plots/activations${query}`, body, headers);

  describe('answers a documented chart', () => {
    it.each([
      ['two panels', { activations: ['sigmoid', 'tanh', 'relu'], points: 11 }],
      ['an overlay of derivatives', { activations: ['sigmoid', { id: 'elu', params: { alpha: 0.5 } }], layout: 'overlay', curves: ['derivative'], points: 11 }],
      ['a title and a size', { activations: ['gelu'], title: 'GELU', width: 300, height: 200, start: -4, stop: 4, points: 11 }],
    ])('as SVG for %s', async (_name, body) => {
      expect((await plot(body)).status).toBe(200);
    });

    it('as PNG for ?format=png', async () => {
      expect((await plot({ activations: ['relu'], points: 11 }, '?format=png&scale=1')).status).toBe(200);
    });
  });

  describe('answers 400 with a documented problem', () => {
    it.each([
      ['no activations', { activations: [] }],
      ['an unknown activation', { activations: ['softmax'] }],
      ['an unknown layout', { activations: ['relu'], layout: 'grid' }],
      ['an unknown field', { activations: ['relu'], colour: 'red' }],
      ['a reversed range', { activations: ['relu'], start: 1, stop: -1 }],
      ['a string range', { activations: ['relu'], start: '-1' }],
      ['a title over 200 characters', { activations: ['relu'], title: 'x'.repeat(201) }],
    ])('for %s', async (_name, body) => {
      expect((await plot(body)).status).toBe(400);
    });
  });

  // points, width and height of the JSON body were once z.coerce'd (shared with the query schemas): strings and arrays passed.
  it.each([
    ['a hexadecimal string for points', { points: '0x10' }, 'points'],
    ['a numeric string for points', { points: '16' }, 'points'],
    ['an array for height', { height: [120] }, 'height'],
    ['a string for width', { width: ' 300 ' }, 'width'],
  ])('answers %s with a 400 problem naming the field', async (_name, fields, path) => {
    const { status, body } = await plot({ activations: ['relu'], ...fields });
    expect(status).toBe(400);
    expect(body).toMatchObject({ errors: [{ path }] });
  });

  it('answers a subnormal range with a 400 problem naming stop', async () => {
    const { status, body } = await plot({ activations: ['identity'], start: -5e-324, stop: 5e-324 });
    expect(status).toBe(400);
    expect(body).toMatchObject({ type: 'urn:activation-lab:problem:validation', errors: [{ path: 'stop' }] });
  });

  // As for GET …/plot, a title naming an Object.prototype member was once a 500.
  it.each([['valueOf'], ['toString'], ['constructor'], ['hasOwnProperty'], ['__proto__']])('answers title "%s" with a chart', async (title) => {
    const response = await plot({ activations: ['relu'], points: 11, title });
    expect(response.status).toBe(200);
    expect(response.contentType).toMatch(/^image\/svg\+xml/);
  });

  it('answers ?format=json with a 400 problem', async () => {
    expect((await plot({ activations: ['relu'] }, '?format=json')).status).toBe(400);
  });

  it('answers Accept: application/json with a 406 problem', async () => {
    expect((await plot({ activations: ['relu'] }, '', { accept: 'application/json' })).status).toBe(406);
  });

  it('answers a body over BODY_LIMIT_BYTES with a 413 problem', async () => {
    expect((await plot({ activations: ['relu'], title: 'x'.repeat(70_000) })).status).toBe(413);
  });

  it('answers a text/plain body with a 415 problem', async () => {
    const response = await client.request({ method: 'POST', path: '/v1/plots/activations', raw: '{}', headers: { 'content-type': 'text/plain' } });
    expect(response.status).toBe(415);
  });

  // BUG (src): as for GET …/plot, curves within ±1e-300 (here -1e-310 and 5e-324) are a 500 from Vega.
  it('answers curves within ±1e-300 with a chart or a documented 4xx problem, not 500', async () => {
    const response = await plot({ activations: [{ id: 'threshold', params: { threshold: 0, value: -1e-310 } }], start: -1e-300, stop: 5e-324, points: 2, curves: ['value'] });
    expect(response.status).toBeLessThan(500);
  });

  // As for GET …/plot, an activation that overflows float64 in range was once a 500.
  it('answers values beyond float64 with a 422 problem naming the activation', async () => {
    const { status, body } = await plot({ activations: ['selu'], start: 0, stop: 1.7976931348623157e308, points: 11 });
    expect(status).toBe(422);
    expect(body).toMatchObject({ type: 'urn:activation-lab:problem:unprocessable', activation: 'selu' });
  });
});
