/**
 * A typed TypeScript client of activation-lab, generated from the OpenAPI document, calling every route.
 *
 *   npx openapi-typescript openapi/openapi.json -o examples/typescript/api.d.ts
 *   npm install openapi-fetch
 *   ACTIVATION_LAB_URL=http://127.0.0.1:3000 npx tsx examples/typescript/client.ts
 *
 * `api.d.ts` is generated (not committed); test/clients/typescript.test.ts generates it from the committed
 * openapi/openapi.json with openapi-typescript's defaults, type-checks this file under `strict` and runs it
 * against a live service. Every request body of the README is here as it is there (README_BODIES): with the
 * generator's defaults, a field the service defaults is optional in a request and present in an answer.
 */
import { pathToFileURL } from 'node:url';
import createClient from 'openapi-fetch';
import type { paths } from './api.js';

type JsonBody<Path extends keyof paths> = paths[Path] extends { post: { requestBody?: { content: { 'application/json': infer Body } } } } ? Body : never;

/** The README's request bodies, as written there (the test checks that each `-d '{…}'` of the README is one of these). */
export const README_BODIES = {
  evaluateGrid: { grid: { start: -2, stop: 2, count: 5 } } satisfies JsonBody<'/v1/activations/{id}/evaluate'>,
  evaluatePrelu: { x: [-2, 0, 3], params: { alpha: 0.1 }, outputs: ['value', 'derivative', 'paramGradients'] } satisfies JsonBody<'/v1/activations/{id}/evaluate'>,
  evaluateRrelu: { x: [-1, -1, -1], mode: 'train', seed: 7 } satisfies JsonBody<'/v1/activations/{id}/evaluate'>,
  evaluateMany: { x: [-1, 0, 1], activations: ['sigmoid', 'relu', { id: 'elu', params: { alpha: 0.5 } }], outputs: ['derivative'] } satisfies JsonBody<'/v1/evaluate'>,
  invalidX: { x: [1, '2'] },
  misspeltParameter: { x: [1], params: { alpah: 2 } } satisfies JsonBody<'/v1/activations/{id}/evaluate'>,
  tooManyElements: { grid: { start: 0, stop: 1, count: 1000000000 } } satisfies JsonBody<'/v1/activations/{id}/evaluate'>,
  overflow: { x: [-1e300], params: { negativeSlope: 1e10 } } satisfies JsonBody<'/v1/activations/{id}/evaluate'>,
  feedforward: { network: { depth: 30, width: 256, activation: 'sigmoid', init: 'xavier_normal' }, input: { batchSize: 128 }, seed: 1 } satisfies JsonBody<'/v1/simulations/feedforward'>,
  feedforwardTrials: { network: { depth: 30, width: 256, activation: 'sigmoid' }, trials: 4 } satisfies JsonBody<'/v1/simulations/feedforward'>,
  meanField: { activation: 'relu', sigmaW2: 2, depth: 5 } satisfies JsonBody<'/v1/theory/mean-field'>,
  training: {
    network: { depth: 10, width: 64, activation: 'sigmoid', init: 'xavier_normal' },
    data: { dataset: 'fashion-mnist', trainSize: 2000, testSize: 500 },
    optimizer: { type: 'sgd', learningRate: 0.1 },
    epochs: 2,
    batchSize: 64,
    runs: [{ label: 'sigmoid + Xavier' }, { label: 'relu + He', activation: 'relu', init: 'he_normal' }],
  } satisfies JsonBody<'/v1/training'>,
  sweepJob: {
    kind: 'sweep',
    request: {
      base: { kind: 'feedforward', request: { network: { depth: 30, width: 256, activation: 'tanh', init: { scheme: 'normal', std: 0.06 } } } },
      axes: [
        { path: 'network.init.std', grid: { start: 0.03, stop: 0.12, count: 10 } },
        { path: 'network.depth', values: [10, 30, 100] },
      ],
    },
  } satisfies JsonBody<'/v1/jobs'>,
  lstm: { cell: 'lstm', inputSize: 32, hiddenSize: 64, steps: 50 } satisfies JsonBody<'/v1/simulations/recurrent'>,
  plots: { activations: ['sigmoid', 'tanh', 'relu', 'elu', 'gelu'], start: -4, stop: 4 } satisfies JsonBody<'/v1/plots/activations'>,
};

class Mismatch extends Error {}

function check(condition: boolean, what: string): asserts condition {
  if (!condition) throw new Mismatch(what);
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47];

export async function main(baseUrl = process.env.ACTIVATION_LAB_URL ?? 'http://127.0.0.1:3000'): Promise<void> {
  // Answers typed by media type: `data` is the `application/json` entry of a 200 (not `Result | string`), `error` the
  // problem. Pictures are asked for with `format` (or an Accept header) and read with `parseAs`.
  const lab = createClient<paths, 'application/json' | 'application/problem+json'>({ baseUrl });
  // The charts' Vega-Lite specs, typed as such.
  const specs = createClient<paths, 'application/vnd.vegalite+json' | 'application/problem+json'>({ baseUrl });
  const say = (line: string): void => void process.stdout.write(`${line}\n`);

  // Operations
  {
    const live = await lab.GET('/healthz');
    check(live.data?.status === 'ok', 'healthz');
    const ready = await lab.GET('/readyz');
    check(ready.data?.status === 'ok', 'readyz');
    const requestId = ready.response.headers.get('x-request-id');
    check(requestId !== null && requestId.length > 0, 'x-request-id');
    const metrics = await lab.GET('/metrics', { parseAs: 'text' });
    check(metrics.data?.includes('# TYPE') === true, 'metrics');
    say(`GET /healthz ${live.data.status}, /readyz ${ready.data.status}, /metrics ${metrics.data.length} bytes`);
  }

  // The catalogue
  {
    const { data } = await lab.GET('/v1/activations');
    check(data !== undefined && data.activations.length >= 25, 'catalogue');
    const sigmoid = data.activations.find((activation) => activation.id === 'sigmoid');
    const entry = await lab.GET('/v1/activations/{id}', { params: { path: { id: 'logistic' } } });
    check(entry.data?.id === 'sigmoid' && sigmoid?.maxDerivative === 0.25, 'logistic is sigmoid');
    say(`GET /v1/activations: ${data.activations.length} activations; logistic is ${entry.data.id}, max derivative ${sigmoid.maxDerivative}`);
  }

  // Evaluation (the README's bodies)
  {
    const tanh = await lab.POST('/v1/activations/{id}/evaluate', { params: { path: { id: 'tanh' } }, body: README_BODIES.evaluateGrid });
    check(tanh.data?.value?.[2] === 0 && tanh.data.derivative?.[2] === 1 && tanh.data.mode === 'eval', 'tanh on a grid');
    const prelu = await lab.POST('/v1/activations/{id}/evaluate', { params: { path: { id: 'prelu' } }, body: README_BODIES.evaluatePrelu });
    check(JSON.stringify(prelu.data?.paramGradients?.alpha) === '[-2,0,0]', 'prelu gradient');
    const rrelu = await lab.POST('/v1/activations/{id}/evaluate', { params: { path: { id: 'rrelu' } }, body: README_BODIES.evaluateRrelu });
    check(rrelu.data?.mode === 'train' && rrelu.data.value?.[0] === -0.2123646921818062, 'rrelu in train mode');
    const many = await lab.POST('/v1/evaluate', { body: README_BODIES.evaluateMany });
    check(many.data?.results.map((result) => result.activation).join() === 'sigmoid,relu,elu' && many.data.results[0]?.derivative?.[1] === 0.25, 'evaluate many');
    say(`POST evaluate: tanh'(0) = ${tanh.data.derivative?.[2]}, d prelu/d alpha = [${prelu.data?.paramGradients?.alpha?.join(', ') ?? ''}], rrelu(-1) = ${rrelu.data.value?.[0]}, sigmoid'(0) = ${many.data.results[0]?.derivative?.[1]}`);
  }

  // Problems: typed as application/problem+json
  {
    // @ts-expect-error x holds a string: the generated types refuse the README's invalid body before it is sent.
    const invalid = await lab.POST('/v1/activations/{id}/evaluate', { params: { path: { id: 'elu' } }, body: README_BODIES.invalidX, headers: { 'x-request-id': 'demo-1' } });
    check(invalid.response.status === 400 && invalid.error?.requestId === 'demo-1' && invalid.error.errors?.[0]?.path === 'x.1', 'invalid x');
    const misspelt = await lab.POST('/v1/activations/{id}/evaluate', { params: { path: { id: 'elu' } }, body: README_BODIES.misspeltParameter });
    check(misspelt.response.status === 400 && misspelt.error?.errors?.[0]?.path === 'params.alpah', 'misspelt parameter');
    const unknown = await lab.GET('/v1/activations/{id}', { params: { path: { id: 'softmax' } } });
    check(unknown.response.status === 404 && unknown.error?.status === 404, 'unknown activation');
    const tooMany = await lab.POST('/v1/activations/{id}/evaluate', { params: { path: { id: 'relu' } }, body: README_BODIES.tooManyElements });
    check(tooMany.response.status === 413, 'too many elements');
    const overflow = await lab.POST('/v1/activations/{id}/evaluate', { params: { path: { id: 'leaky_relu' } }, body: README_BODIES.overflow });
    check(overflow.response.status === 422 && overflow.error?.type === 'urn:activation-lab:problem:unprocessable', 'overflow');
    say(`problems: ${invalid.error.status} ${invalid.error.title} at ${invalid.error.errors?.[0]?.path}, ${misspelt.response.status}, ${unknown.response.status}, ${tooMany.response.status}, ${overflow.response.status}`);
  }

  // Raw float64, with the activation's parameter as a declared query key and the layout headers
  {
    const x = new Float64Array([-1, 0, 1]);
    const { data, response } = await lab.POST('/v1/activations/{id}/evaluate/binary', {
      params: { path: { id: 'elu' }, query: { alpha: 0.5, outputs: 'value' } },
      body: new Uint8Array(x.buffer),
      bodySerializer: (body) => body as Uint8Array<ArrayBuffer>,
      headers: { 'content-type': 'application/octet-stream' },
      parseAs: 'arrayBuffer',
    });
    check(data !== undefined && response.headers.get('x-count') === '3' && response.headers.get('x-outputs') === 'value', 'binary layout');
    const values = [...new Float64Array(data)];
    check(JSON.stringify(values) === '[-0.31606027941427883,0,1]', 'binary values');
    say(`POST evaluate/binary?alpha=0.5: (${values.join(', ')}), x-count ${response.headers.get('x-count')}`);
  }

  // Pictures: the format (or Accept) picks the media type; parseAs reads it as bytes or text
  {
    const svg = await lab.GET('/v1/activations/{id}/plot', { params: { path: { id: 'relu' } }, parseAs: 'text' });
    check(svg.data?.startsWith('<svg') === true && svg.response.headers.get('content-type')?.startsWith('image/svg+xml') === true, 'relu svg');
    const png = await lab.GET('/v1/activations/{id}/plot', { params: { path: { id: 'elu' }, query: { alpha: 0.5, start: -3, stop: 3, format: 'png' } }, parseAs: 'arrayBuffer' });
    check(png.data !== undefined && PNG_SIGNATURE.every((byte, index) => new Uint8Array(png.data)[index] === byte), 'elu png');
    // @ts-expect-error the plot is a picture: `json` is not a format it offers.
    const refused = await lab.GET('/v1/activations/{id}/plot', { params: { path: { id: 'relu' }, query: { format: 'json' } }, parseAs: 'text' });
    check(refused.response.status === 400 || refused.response.status === 406, 'format=json refused');
    const gelu = await specs.GET('/v1/activations/{id}/plot', { params: { path: { id: 'gelu' }, query: { approximate: 'tanh', format: 'vegalite' } } });
    check(gelu.data?.$schema.includes('vega-lite') === true, 'gelu spec');
    const panels = await lab.POST('/v1/plots/activations', { body: README_BODIES.plots, parseAs: 'text' });
    check(panels.data?.includes('<svg') === true, 'plots');
    say(`GET plot: relu SVG ${svg.data.length} bytes, elu PNG ${png.data.byteLength} bytes, gelu spec ${gelu.data.$schema}; POST /v1/plots/activations ${panels.data.length} bytes`);
  }

  // Simulations: JSON typed as the result, the chart as text
  {
    const { data } = await lab.POST('/v1/simulations/feedforward', { body: README_BODIES.feedforward });
    check(data?.summary.verdict === 'vanishing' && data.layers.length === 30, 'feedforward');
    const chart = await lab.POST('/v1/simulations/feedforward', { body: README_BODIES.feedforwardTrials, params: { query: { format: 'svg' } }, parseAs: 'text' });
    check(chart.data?.includes('<svg') === true, 'feedforward chart');
    const lstm = await specs.POST('/v1/simulations/recurrent', { body: README_BODIES.lstm, params: { query: { format: 'vegalite' } } });
    check(lstm.data?.$schema.includes('vega-lite') === true, 'lstm spec');
    const rnn = await lab.POST('/v1/simulations/recurrent', { body: { cell: 'rnn', inputSize: 8, hiddenSize: 16, steps: 20, activation: 'tanh' } });
    check(rnn.data?.steps.length === 20 && typeof rnn.data.summary.log10GradientRatio === 'number', 'rnn');
    const jacobian = await lab.POST('/v1/simulations/jacobian', { body: { network: { depth: 4, width: 16, activation: 'tanh' } } });
    const singularValues = jacobian.data?.spectrum.singularValues;
    check(singularValues?.length === 16, 'jacobian');
    say(`POST feedforward: verdict ${data.summary.verdict}, log10 ratio ${data.summary.log10GradientRatio?.toFixed(2) ?? 'beyond float64'}; recurrent: ${rnn.data.summary.verdict}; jacobian: ${singularValues.length} singular values`);
  }

  // Theory
  {
    const { data } = await lab.POST('/v1/theory/mean-field', { body: README_BODIES.meanField });
    check(data?.chi1 === 1 && data.phase === 'critical', 'mean field');
    const diagram = await lab.POST('/v1/theory/phase-diagram', { body: { activation: 'tanh', sigmaW2: { start: 0.5, stop: 3, count: 6 }, sigmaB2: { start: 0, stop: 1, count: 3 } } });
    check(diagram.data?.chi1.length === 3 && diagram.data.criticalLine.length >= 1, 'phase diagram');
    say(`POST mean-field: relu chi1 ${data.chi1} (${data.phase}); phase diagram ${diagram.data.chi1.length} x ${diagram.data.chi1[0]?.length ?? 0}`);
  }

  // Training
  {
    const { data } = await lab.POST('/v1/training', { body: README_BODIES.training });
    check(data?.runs.length === 2 && data.runs.every((run) => run.final.testAccuracy !== undefined), 'training');
    const small: JsonBody<'/v1/training'> = { network: { depth: 2, width: 8, activation: 'tanh' }, data: { dataset: 'xor', trainSize: 200, testSize: 100 }, epochs: 1 };
    const stream = await lab.POST('/v1/training', { body: small, params: { query: { format: 'ndjson' } }, parseAs: 'text' });
    const lines = (stream.data ?? '').trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    check(lines.length >= 2 && 'result' in (lines.at(-1) ?? {}), 'training stream');
    say(`POST training: ${data.runs.map((run) => `${run.label} test accuracy ${run.final.testAccuracy?.toFixed(3)}`).join(', ')}; NDJSON ${lines.length} lines`);
  }

  // Jobs: the README's sweep submitted and cancelled, a small simulation followed to its result
  {
    const sweep = await lab.POST('/v1/jobs', { body: README_BODIES.sweepJob });
    check(sweep.data !== undefined && sweep.response.status === 202 && sweep.response.headers.get('location') === `/v1/jobs/${sweep.data.id}`, 'sweep submitted');
    const cancelled = await lab.DELETE('/v1/jobs/{id}', { params: { path: { id: sweep.data.id } } });
    check(cancelled.data !== undefined && ['cancelled', 'succeeded'].includes(cancelled.data.state), 'sweep cancelled');
    const small = await lab.POST('/v1/jobs', { body: { kind: 'feedforward', request: { network: { depth: 5, width: 16, activation: 'relu', init: 'he_normal' }, seed: 3 }, idempotencyKey: `client-ts-${Date.now()}` } });
    check(small.data !== undefined, 'job submitted');
    const events = await lab.GET('/v1/jobs/{id}/events', { params: { path: { id: small.data.id } }, parseAs: 'text' });
    check(events.data?.includes('event: succeeded') === true, 'job events');
    const job = await lab.GET('/v1/jobs/{id}', { params: { path: { id: small.data.id } } });
    check(job.data?.state === 'succeeded', 'job state');
    const result = await lab.GET('/v1/jobs/{id}/result', { params: { path: { id: small.data.id } } });
    check(result.data !== undefined && 'summary' in result.data, 'job result');
    const chart = await lab.GET('/v1/jobs/{id}/result', { params: { path: { id: small.data.id }, query: { format: 'svg' } }, parseAs: 'text' });
    check(chart.data?.includes('<svg') === true, 'job chart');
    const list = await lab.GET('/v1/jobs', { params: { query: { state: 'succeeded', limit: 5 } } });
    check(list.data?.jobs.some((listed) => listed.id === small.data.id) === true, 'job list');
    say(`jobs: sweep ${cancelled.data.state}, simulation ${job.data.state} (events, result, chart), ${list.data.jobs.length} listed`);
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Mismatch ? `unexpected answer: ${error.message}` : error);
    process.exitCode = 1;
  });
}
