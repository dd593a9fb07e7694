import type { Response } from 'superagent';
import { compile, type TopLevelSpec } from 'vega-lite';
import { describe, expect, it } from 'vitest';
import { renderSvg, VEGA_LITE_SCHEMA } from '../../src/plots/render.js';
import { houseConfig } from '../../src/plots/theme.js';
import { useTestServer } from '../support/server.js';

/**
 * `Accept: application/vnd.vegalite+json` on every chart route: the answer is
 * the Vega-Lite spec the SVG is rendered from (data inline, house style in
 * `config`), so a browser that draws it with vega-embed draws the server's
 * chart. Checked the strong way: the spec rendered here is the route's SVG,
 * byte for byte.
 */

const server = useTestServer({ SIMULATION_THREADS: '1', SIMULATION_MAX_SECONDS: '20' });
const VEGA_LITE = 'application/vnd.vegalite+json';

const text = (response: Response, callback: (error: Error | null, body: string) => void): void => {
  let body = '';
  response.on('data', (chunk: Buffer) => (body += chunk.toString()));
  response.on('end', () => callback(null, body));
};

interface ChartRoute {
  name: string;
  method: 'get' | 'post';
  path: string;
  body?: object;
}

const spirals = {
  network: { depth: 2, width: 8, activation: 'relu', init: 'he_normal' },
  data: { dataset: 'spirals', trainSize: 100, testSize: 50 },
  optimizer: { type: 'sgd', learningRate: 0.1 },
  steps: 20,
  evaluateEvery: 10,
  runs: [{ label: 'relu' }, { label: 'elu', activation: 'elu' }],
};

const chartRoutes: ChartRoute[] = [
  { name: 'one activation', method: 'get', path: '/v1/activations/elu/plot?alpha=0.5&points=41' },
  { name: 'several activations', method: 'post', path: '/v1/plots/activations', body: { activations: ['sigmoid', 'relu'], points: 41 } },
  { name: 'feed-forward gradients', method: 'post', path: '/v1/simulations/feedforward', body: { network: { depth: 4, width: 8, activation: 'tanh' }, seed: 3 } },
  { name: 'feed-forward statistics', method: 'post', path: '/v1/simulations/feedforward?chart=statistics', body: { network: { depth: 4, width: 8, activation: 'relu' }, seed: 3 } },
  { name: 'an RNN through time', method: 'post', path: '/v1/simulations/recurrent', body: { cell: 'rnn', inputSize: 4, hiddenSize: 8, steps: 12 } },
  { name: 'an LSTM through time', method: 'post', path: '/v1/simulations/recurrent', body: { cell: 'lstm', inputSize: 4, hiddenSize: 8, steps: 12 } },
  { name: 'a Jacobian spectrum', method: 'post', path: '/v1/simulations/jacobian', body: { network: { depth: 3, width: 8, activation: 'tanh' } } },
  {
    name: 'the phase diagram',
    method: 'post',
    path: '/v1/theory/phase-diagram',
    body: { activation: 'tanh', sigmaW2: { start: 0.5, stop: 3, count: 6 }, sigmaB2: { start: 0, stop: 0.2, count: 3 } },
  },
  { name: 'a training race', method: 'post', path: '/v1/training?chart=dead', body: spirals },
];

function send(route: ChartRoute, accept: string, query = '') {
  const path = query === '' ? route.path : `${route.path}${route.path.includes('?') ? '&' : '?'}${query}`;
  const request = route.method === 'get' ? server.http().get(path) : server.http().post(path).send(route.body ?? {});
  return request.set('accept', accept);
}

describe.each(chartRoutes)('Accept: application/vnd.vegalite+json on $name', (route) => {
  it('answers the chart as a Vega-Lite v6 spec with its data inline and the house style', async () => {
    const response = await send(route, VEGA_LITE).expect(200);
    expect(response.headers['content-type']).toBe('application/vnd.vegalite+json; charset=utf-8');
    expect(response.headers.vary).toBe('accept');
    const spec = JSON.parse(response.text) as TopLevelSpec & { config: Record<string, unknown> };
    expect(spec.$schema).toBe(VEGA_LITE_SCHEMA);
    expect(spec.config).toEqual(houseConfig);
    const serialised = JSON.stringify(spec);
    expect(serialised).toContain('"values":[');
    expect(serialised).not.toMatch(/"url"\s*:/);
    // It is a spec Vega-Lite compiles, as vega-embed will in the browser.
    expect(() => compile(spec)).not.toThrow();
  });

  it('is the spec the SVG answer is rendered from, byte for byte', async () => {
    const [specResponse, svgResponse] = await Promise.all([send(route, VEGA_LITE).expect(200), send(route, 'image/svg+xml').buffer(true).parse(text).expect(200)]);
    const svg = await renderSvg(JSON.parse(specResponse.text) as TopLevelSpec);
    expect(svg).toBe(svgResponse.body as string);
  });

  it('answers the same spec for ?format=vegalite', async () => {
    const [byHeader, byQuery] = await Promise.all([send(route, VEGA_LITE).expect(200), send(route, '*/*', 'format=vegalite').expect(200)]);
    expect(byQuery.headers['content-type']).toBe('application/vnd.vegalite+json; charset=utf-8');
    expect(byQuery.text).toBe(byHeader.text);
  });
});

describe('negotiating the spec', () => {
  it('keeps JSON the default of the simulation routes and SVG that of the plot routes', async () => {
    const simulation = await server.http().post('/v1/simulations/feedforward').send({ network: { depth: 2, width: 4, activation: 'tanh' } }).expect(200);
    expect(simulation.headers['content-type']).toBe('application/json; charset=utf-8');
    const plot = await server.http().get('/v1/activations/relu/plot?points=11').set('accept', '*/*').buffer(true).parse(text).expect(200);
    expect(plot.headers['content-type']).toBe('image/svg+xml; charset=utf-8');
  });

  it('picks the spec when the client prefers it by q-value', async () => {
    const response = await server.http().get('/v1/activations/relu/plot?points=11').set('accept', 'image/svg+xml;q=0.5, application/vnd.vegalite+json').expect(200);
    expect(response.headers['content-type']).toBe('application/vnd.vegalite+json; charset=utf-8');
  });

  it('draws the mean-field prediction beside ‖∂L/∂zˡ‖ when that norm comes first', async () => {
    const body = { network: { depth: 6, width: 32, activation: 'tanh' }, seed: 1 };
    const response = await server.http().post('/v1/simulations/feedforward?norms=preactivation,weight').set('accept', VEGA_LITE).send(body).expect(200);
    const spec = JSON.parse(response.text) as { layer: { data: { values: { position: number; series: string; log10: number }[] } }[] };
    const rows = spec.layer.flatMap((layer) => layer.data.values);
    const theory = rows.filter((row) => row.series.startsWith('theory'));
    expect(theory.map((row) => row.position)).toEqual([1, 2, 3, 4, 5, 6]);
    const json = await server.http().post('/v1/simulations/feedforward').send(body).expect(200);
    expect(theory.map((row) => row.log10)).toEqual(json.body.theory.layers.map((layer: { log10PreactivationNorm: number }) => layer.log10PreactivationNorm));
  });

  it('carries the verdict and the theory\'s figures in the gradient chart\'s usermeta, as the JSON answer gives them', async () => {
    const body = { network: { depth: 6, width: 32, activation: 'tanh' }, seed: 1 };
    const [chart, json] = await Promise.all([
      server.http().post('/v1/simulations/feedforward?norms=preactivation').set('accept', VEGA_LITE).send(body).expect(200),
      server.http().post('/v1/simulations/feedforward').send(body).expect(200),
    ]);
    const { usermeta } = JSON.parse(chart.text) as { usermeta: { summary: unknown; theory: Record<string, unknown> } };
    expect(usermeta.summary).toEqual(json.body.summary);
    const { layers, ...figures } = json.body.theory as Record<string, unknown>;
    expect(layers).toHaveLength(6);
    expect(usermeta.theory).toEqual(figures);
  });

  it('is a 406 where the route has no chart (a JSON-only route)', async () => {
    const response = await server.http().post('/v1/theory/mean-field').set('accept', VEGA_LITE).send({ activation: 'tanh', sigmaW2: 1 }).expect(406);
    expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
  });

  it('refuses a chart that cannot be drawn with the same 400 as the SVG', async () => {
    const request = () => server.http().post('/v1/training?chart=accuracy').send({ ...spirals, data: { dataset: 'teacher', trainSize: 50, testSize: 20 }, runs: undefined });
    const [asSpec, asSvg] = await Promise.all([request().set('accept', VEGA_LITE), request().set('accept', 'image/svg+xml')]);
    expect(asSpec.status).toBeGreaterThanOrEqual(400);
    expect(asSpec.status).toBe(asSvg.status);
    expect(asSpec.body.detail).toBe(asSvg.body.detail);
  });
});

describe('the OpenAPI document', () => {
  it('documents the spec on every chart route', async () => {
    const { body } = await server.http().get('/openapi.json').expect(200);
    const chartOperations = [
      ['/v1/activations/{id}/plot', 'get'],
      ['/v1/plots/activations', 'post'],
      ['/v1/simulations/feedforward', 'post'],
      ['/v1/simulations/recurrent', 'post'],
      ['/v1/simulations/jacobian', 'post'],
      ['/v1/theory/phase-diagram', 'post'],
      ['/v1/training', 'post'],
    ] as const;
    for (const [path, method] of chartOperations) {
      const content = body.paths[path][method].responses['200'].content;
      expect(content[VEGA_LITE], `${method} ${path}`).toEqual({ schema: { $ref: '#/components/schemas/VegaLiteSpec' } });
    }
    expect(body.components.schemas.VegaLiteSpec).toMatchObject({ type: 'object', required: ['$schema'] });
  });
});
