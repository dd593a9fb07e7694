import type { Response } from 'superagent';
import { describe, expect, it } from 'vitest';
import { useTestServer } from '../../support/server.js';

const server = useTestServer({ SIMULATION_THREADS: '1' });

/** Reads a binary body (PNG) as a Buffer. */
const binary = (response: Response, callback: (error: Error | null, body: Buffer) => void): void => {
  const chunks: Buffer[] = [];
  response.on('data', (chunk: Buffer) => chunks.push(chunk));
  response.on('end', () => callback(null, Buffer.concat(chunks)));
};

/** Reads a text body (SVG) as a string. */
const text = (response: Response, callback: (error: Error | null, body: string) => void): void => {
  let body = '';
  response.on('data', (chunk: Buffer) => (body += chunk.toString()));
  response.on('end', () => callback(null, body));
};

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function expectSelfContainedSvg(svg: string): void {
  expect(svg.startsWith('<svg')).toBe(true);
  expect(svg).toMatch(/width="\d+(\.\d+)?"/);
  expect(svg).not.toMatch(/<script|href="http|url\(http|@font-face/);
  expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
}

describe('GET /v1/activations/{id}/plot', () => {
  it('draws the function and its derivative as SVG by default', async () => {
    const response = await server.http().get('/v1/activations/relu/plot').buffer(true).parse(text);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('image/svg+xml; charset=utf-8');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    const svg = response.body as string;
    expectSelfContainedSvg(svg);
    expect(svg).toContain('f′(x)');
    expect(svg).toContain('Rectified linear unit');
  });

  it('takes activation parameters as query keys and rejects unknown ones', async () => {
    await server.http().get('/v1/activations/elu/plot?alpha=0.5&start=-3&stop=3').expect(200);
    const { body } = await server.http().get('/v1/activations/elu/plot?alpah=0.5').expect(400);
    expect(body.errors).toEqual([{ path: 'querystring.alpah', message: 'Unknown field "alpah"' }]);
  });

  it('answers PNG for Accept: image/png', async () => {
    const response = await server.http().get('/v1/activations/tanh/plot').set('accept', 'image/png').buffer(true).parse(binary);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('image/png');
    expect((response.body as Buffer).subarray(0, 8)).toEqual(PNG_SIGNATURE);
  });

  it('answers 406 when only JSON is acceptable', async () => {
    const { body } = await server.http().get('/v1/activations/tanh/plot').set('accept', 'application/json').expect(406);
    expect(body.type).toBe('urn:activation-lab:problem:not-acceptable');
  });

  it('answers 404 for an unknown activation', async () => {
    await server.http().get('/v1/activations/softmax/plot').expect(404);
  });
});

describe('POST /v1/plots/activations', () => {
  it('draws several activations in two panels', async () => {
    const response = await server
      .http()
      .post('/v1/plots/activations')
      .send({ activations: ['sigmoid', 'tanh', 'relu', { id: 'elu', params: { alpha: 1 } }], start: -4, stop: 4 })
      .buffer(true)
      .parse(text);
    expect(response.status).toBe(200);
    const svg = response.body as string;
    expectSelfContainedSvg(svg);
    for (const label of ['Logistic sigmoid', 'Hyperbolic tangent', 'Derivative']) expect(svg).toContain(label);
  });

  it('rejects more activations than a chart can tell apart', async () => {
    const { body } = await server
      .http()
      .post('/v1/plots/activations')
      .send({ activations: new Array(13).fill('relu') })
      .expect(400);
    expect(body.errors[0].path).toBe('activations');
  });
});

describe('simulation pictures', () => {
  it('answers a feed-forward simulation with a gradient chart for Accept: image/svg+xml', async () => {
    const response = await server
      .http()
      .post('/v1/simulations/feedforward')
      .set('accept', 'image/svg+xml')
      .send({ network: { depth: 6, width: 32, activation: 'sigmoid' }, trials: 3 })
      .buffer(true)
      .parse(text);
    expect(response.status).toBe(200);
    expect(response.headers['vary']).toMatch(/accept/i);
    expectSelfContainedSvg(response.body as string);
    expect(response.body).toContain('Gradient norm per layer');
  });

  it('draws the activation statistics with chart=statistics and PNG with format=png', async () => {
    const response = await server
      .http()
      .post('/v1/simulations/feedforward?chart=statistics&format=png')
      .send({ network: { depth: 4, width: 16, activation: 'relu' } })
      .buffer(true)
      .parse(binary);
    expect(response.status).toBe(200);
    expect((response.body as Buffer).subarray(0, 8)).toEqual(PNG_SIGNATURE);
  });

  it('keeps JSON the default', async () => {
    const response = await server.http().post('/v1/simulations/recurrent').send({ cell: 'rnn', inputSize: 2, hiddenSize: 4, steps: 3 }).expect(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.body.steps).toHaveLength(3);
  });

  it('draws the gradient through time of a recurrent network', async () => {
    const response = await server
      .http()
      .post('/v1/simulations/recurrent?format=svg')
      .send({ cell: 'lstm', inputSize: 4, hiddenSize: 8, steps: 30 })
      .expect(200);
    expect(response.headers['content-type']).toMatch(/^image\/svg\+xml/);
  });
});

describe('picture sizes and scales', () => {
  it.each(['0.001', '1e-300', '0', '0.0999'])('refuses scale=%s with 400: the PNG would have no pixels', async (scale) => {
    const response = await server.http().get(`/v1/activations/relu/plot?format=png&scale=${scale}`).expect(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body.errors).toEqual([{ path: 'querystring.scale', message: expect.stringMatching(/>=0\.1/) }]);
  });

  it('draws the smallest chart at the smallest scale', async () => {
    const response = await server.http().get('/v1/activations/relu/plot?format=png&scale=0.1&width=80&height=80').buffer(true).parse(binary).expect(200);
    expect((response.body as Buffer).subarray(0, 8)).toEqual(PNG_SIGNATURE);
    expect((response.body as Buffer).readUInt32BE(20)).toBeGreaterThan(0); // height in the IHDR chunk
  });

  it('refuses with 400, before rasterising, a PNG larger than 8192 pixels a side', async () => {
    const response = await server.http().get('/v1/activations/relu/plot?format=png&scale=4&width=2000&height=2000').expect(400);
    expect(response.body).toMatchObject({ type: 'urn:activation-lab:problem:validation', detail: expect.stringMatching(/8512 × 8408 PNG; the limit is 8192 pixels a side/) });
  });

  it('refuses with 400 a PNG of more than 4096² pixels, even with both sides within 8192', async () => {
    const response = await server.http().get('/v1/activations/relu/plot?format=png&scale=2&width=2000&height=2000').expect(400);
    expect(response.body.detail).toMatch(/^At scale 2 the chart would be a 4256 × 4204 PNG/);
  });

  it.each(['\u0000', '\u0007', '\uFFFE'])('refuses a title containing %j, which no SVG can carry, with 400 (query and body)', async (character) => {
    const title = `gain${character}`;
    const query = await server.http().get('/v1/activations/relu/plot').query({ format: 'png', title }).expect(400);
    expect(query.body.errors).toEqual([{ path: 'querystring.title', message: expect.stringMatching(/control characters/) }]);
    const body = await server.http().post('/v1/plots/activations?format=png').send({ activations: ['relu'], title }).expect(400);
    expect(body.body.errors).toEqual([{ path: 'title', message: expect.stringMatching(/control characters/) }]);
  });

  it('keeps titles with tabs, line breaks, astral characters and markup', async () => {
    await server.http().get('/v1/activations/relu/plot').query({ format: 'png', title: 'a\tb\n𝛼 <b>&"' }).buffer(true).parse(binary).expect(200);
  });
});
