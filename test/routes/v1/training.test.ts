import { describe, expect, it } from 'vitest';
import { useTestServer } from '../../support/server.js';

const server = useTestServer({ SIMULATION_THREADS: '1', SIMULATION_MAX_SECONDS: '20' });
const trainRequest = (body: unknown, accept = 'application/json', query = '') =>
  server.http().post(`/v1/training${query}`).set('accept', accept).send(body as object);

const spirals = {
  network: { depth: 2, width: 16, activation: 'relu', init: 'he_normal' },
  data: { dataset: 'spirals', trainSize: 200, testSize: 100 },
  optimizer: { type: 'adam', learningRate: 0.01 },
  steps: 120,
  evaluateEvery: 40,
};

interface Entry {
  step: number;
  trainLoss: number;
  testAccuracy: number | null;
  layers: { index: number; gradientNorm: number; updateRatio: number | null; params: Record<string, number> }[];
}
interface Run {
  label: string;
  history: Entry[];
  final: Entry;
  divergedAtStep: number | null;
}

describe('POST /v1/training', () => {
  it('trains and reports the history at step 0, every evaluateEvery steps and the last, with every layer and the head', async () => {
    const { body } = await trainRequest(spirals).expect(200);
    const run = body.runs[0] as Run;
    expect(body).toMatchObject({ seed: 42, precision: 'float32' });
    expect(run.label).toBe('run');
    expect(run.history.map((entry) => entry.step)).toEqual([0, 40, 80, 120]);
    expect(run.final).toEqual(run.history[3]);
    expect(run.final.layers.map((layer) => layer.index)).toEqual([1, 2, 3]);
    expect(run.history[0]?.layers[0]?.updateRatio).toBeNull();
    expect(run.final.layers[0]?.updateRatio).toBeGreaterThan(0);
    expect(run.final.trainLoss).toBeLessThan(run.history[0]?.trainLoss as number);
    expect(run.final.testAccuracy).toBeGreaterThan(0.5);
    expect(run.divergedAtStep).toBeNull();
  });

  it('races variants on the same data and batches: a variant that changes nothing retraces the first run', async () => {
    const { body } = await trainRequest({ ...spirals, runs: [{ label: 'relu' }, { label: 'again' }, { label: 'prelu', activation: 'prelu' }] }).expect(200);
    const [relu, again, prelu] = body.runs as Run[];
    expect(again?.history).toEqual(relu?.history);
    expect(prelu?.final.layers[0]?.params['alpha']).not.toBe(0.25);
    expect(relu?.final.layers[0]?.params).toEqual({});
  });

  it('is reproducible from the seed, and another seed trains differently', async () => {
    const request = { ...spirals, precision: 'float64', steps: 20, evaluateEvery: 10 };
    const first = (await trainRequest(request).expect(200)).body;
    expect((await trainRequest(request).expect(200)).body).toEqual(first);
    const other = (await trainRequest({ ...request, seed: 7 }).expect(200)).body;
    expect(other.runs[0].final.trainLoss).not.toBe(first.runs[0].final.trainLoss);
  });

  it('streams one NDJSON line per entry as it is computed, then the result', async () => {
    const response = await trainRequest({ ...spirals, runs: [{ label: 'a' }, { label: 'b', activation: 'tanh' }] }, 'application/x-ndjson').expect(200);
    expect(response.headers['content-type']).toMatch(/^application\/x-ndjson/);
    const lines = (response.text as string).trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    // Runs advance in turn: both step-0 entries come first.
    expect(lines.slice(0, 2).map((line) => [line['run'], (line['entry'] as Entry).step])).toEqual([['a', 0], ['b', 0]]);
    expect(lines).toHaveLength(2 * 4 + 1);
    const result = lines.at(-1)?.['result'] as { runs: Run[] };
    expect(result.runs.map((run) => run.label)).toEqual(['a', 'b']);
    expect(lines.filter((line) => line['run'] === 'b').map((line) => line['entry'])).toEqual(result.runs[1]?.history);
  });

  it('stops the training of a streaming client that disconnects', async () => {
    const address = server.app.server.address() as { port: number };
    const base = `http://127.0.0.1:${address.port}`;
    const controller = new AbortController();
    const response = await fetch(`${base}/v1/training`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/x-ndjson' },
      body: JSON.stringify({ ...spirals, steps: 20_000, evaluateEvery: 100 }),
      signal: controller.signal,
    });
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toContain('"step":0');
    controller.abort();
    const inFlight = async (): Promise<number> => Number(/^simulation_pool_in_flight (\d+)/m.exec(await (await fetch(`${base}/metrics`)).text())?.[1]);
    const deadline = Date.now() + 5000;
    while ((await inFlight()) > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await inFlight()).toBe(0);
  });

  it('trains on the shipped Fashion-MNIST subset and on iris', async () => {
    const fashion = await trainRequest({ network: { depth: 1, width: 32, activation: 'relu' }, data: { dataset: 'fashion-mnist', trainSize: 500, testSize: 200 }, optimizer: { type: 'adam', learningRate: 0.003 }, epochs: 2 }).expect(200);
    expect(fashion.body.runs[0].final.step).toBe(Math.ceil((2 * 500) / 32));
    expect(fashion.body.runs[0].final.testAccuracy).toBeGreaterThan(0.5);
    const iris = await trainRequest({ network: { depth: 1, width: 8, activation: 'tanh' }, data: { dataset: 'iris' }, optimizer: { type: 'adam', learningRate: 0.05 }, steps: 200 }).expect(200);
    expect(iris.body.runs[0].final.testAccuracy).toBeGreaterThan(0.8);
  });

  it('fits explicit regression data with mse, and returns the trained weights', async () => {
    const inputs = Array.from({ length: 16 }, (_, i) => [i / 8 - 1]);
    const targets = inputs.map(([x]) => [2 * (x as number) + 0.5]);
    const { body } = await trainRequest({
      network: { inputSize: 1, layers: [{ width: 1, activation: 'identity', weights: [[1]] }], output: { width: 1, weights: [[1]], biases: [0] } },
      data: { train: { inputs, targets } },
      loss: { type: 'mse' },
      optimizer: { type: 'sgd', learningRate: 0.1 },
      steps: 400,
      batchSize: 16,
      shuffle: false,
      precision: 'float64',
      returnWeights: true,
    }).expect(200);
    const run = body.runs[0];
    expect(run.final.trainAccuracy).toBeNull();
    expect(run.final.testLoss).toBeNull();
    expect(run.final.trainLoss).toBeLessThan(1e-6);
    const [hidden, head] = run.weights as { weights: number[][]; biases: number[] | null }[];
    expect((hidden?.weights[0]?.[0] as number) * (head?.weights[0]?.[0] as number)).toBeCloseTo(2, 3);
  });

  it('stops a run whose loss overflows and says at which update, keeping its last finite entry', async () => {
    const { body } = await trainRequest({ ...spirals, optimizer: { type: 'sgd', learningRate: 100 }, network: { depth: 4, width: 32, activation: 'relu', init: { scheme: 'normal', std: 3 } }, precision: 'float32', steps: 200, evaluateEvery: 1 }).expect(200);
    const run = body.runs[0] as Run;
    expect(run.divergedAtStep).not.toBeNull();
    expect(run.final.step).toBeLessThanOrEqual(run.divergedAtStep as number);
    expect(Number.isFinite(run.final.trainLoss)).toBe(true);
  });

  it('trains layer-normalised networks and residual blocks in both orders', async () => {
    const { body } = await trainRequest({
      ...spirals,
      network: { depth: 4, width: 16, activation: 'tanh', inputSize: 2 },
      runs: [{ label: 'layer norm', layerNorm: true }, { label: 'post-norm', residual: 'post-norm' }, { label: 'pre-norm', residual: 'pre-norm' }],
    }).expect(200);
    for (const run of body.runs as Run[]) {
      expect(run.divergedAtStep, run.label).toBeNull();
      expect(run.final.trainLoss, run.label).toBeLessThan(run.history[0]?.trainLoss as number);
    }
    expect((body.runs as Run[])[1]?.history).not.toEqual((body.runs as Run[])[2]?.history);
  });

  it('trains RNN, LSTM and GRU cells on the adding problem, with the gradient through time in every entry', async () => {
    const { body } = await trainRequest({
      network: { cell: 'lstm', hiddenSize: 8 },
      data: { dataset: 'adding', length: 10, trainSize: 200, testSize: 50 },
      optimizer: { type: 'adam', learningRate: 0.01 },
      steps: 60,
      evaluateEvery: 20,
      runs: [{ label: 'rnn', cell: 'rnn' }, { label: 'lstm' }, { label: 'gru', cell: 'gru' }],
    }).expect(200);
    for (const run of body.runs as (Run & { history: (Entry & { throughTime: { steps: number[]; log10Norms: number[]; log10Ratio: number } })[] })[]) {
      expect(run.final.trainLoss, run.label).toBeLessThan(run.history[0]?.trainLoss as number);
      expect(run.final.layers.map((layer) => layer.index)).toEqual([1, 2]);
      const throughTime = run.history[1]?.throughTime;
      expect(throughTime?.steps).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      expect(throughTime?.log10Norms).toHaveLength(10);
      expect(throughTime?.log10Ratio).toBeCloseTo((throughTime?.log10Norms[0] as number) - (throughTime?.log10Norms[9] as number), 12);
    }
    expect(body.runs[0].final.trainAccuracy).toBeNull();
  });

  it('draws the loss, accuracy, gradient and dead-unit charts', async () => {
    for (const chart of ['loss', 'accuracy', 'gradients', 'dead']) {
      const response = await trainRequest({ ...spirals, steps: 40, runs: [{ label: 'relu' }, { label: 'elu', activation: 'elu' }] }, 'image/svg+xml', `?chart=${chart}`).expect(200);
      expect(response.headers['content-type']).toMatch(/^image\/svg\+xml/);
    }
  });

  it.each([
    ['mse on labelled data', { ...spirals, loss: { type: 'mse' } }, 'loss.type'],
    ['an input width that is not the data\'s', { ...spirals, network: { ...spirals.network, inputSize: 3 } }, 'network.inputSize'],
    ['a head narrower than the classes', { ...spirals, network: { ...spirals.network, output: { width: 3 } } }, 'network.output.width'],
    ['steps and epochs together', { ...spirals, epochs: 2 }, 'epochs'],
    ['more training examples than iris has', { ...spirals, data: { dataset: 'iris', trainSize: 140, testSize: 20 } }, 'data.testSize'],
    ['classes for xor', { ...spirals, data: { dataset: 'xor', classes: 3 } }, 'data.classes'],
    ['batch norm with one example per batch', { ...spirals, network: { ...spirals.network, batchNorm: true }, batchSize: 1 }, 'batchSize'],
    ['ragged explicit inputs', { ...spirals, data: { train: { inputs: [[1, 2], [3]], labels: [0, 1] } } }, 'data.train.inputs.1'],
    ['a history of more than 5000 entries', { ...spirals, steps: 6000, evaluateEvery: 1 }, 'evaluateEvery'],
    ['duplicate run labels', { ...spirals, runs: [{ label: 'a' }, { label: 'a' }] }, 'runs'],
    ['a recurrent network on data that are not sequences', { ...spirals, network: { cell: 'gru', hiddenSize: 4 } }, 'data'],
    ['sequence data for a feed-forward network', { ...spirals, data: { dataset: 'adding', length: 10 } }, 'network'],
    ['a cell for a feed-forward run', { ...spirals, runs: [{ label: 'a', cell: 'lstm' }] }, 'runs.0.cell'],
    ['batch norm for a recurrent run', { network: { cell: 'rnn', hiddenSize: 4 }, data: { dataset: 'adding', length: 5 }, runs: [{ label: 'a', batchNorm: true }] }, 'runs.0.batchNorm'],
  ])('answers %s with a 400 naming the field', async (_, body, path) => {
    const response = await trainRequest(body).expect(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body.errors.map((error: { path: string }) => error.path)).toContain(path);
  });

  it('prices a training before it runs: too much work is a 422 naming the estimate and the limit', async () => {
    const response = await trainRequest({ network: { depth: 20, width: 1024, activation: 'relu' }, data: { dataset: 'fashion-mnist', trainSize: 10000, testSize: 2000 }, epochs: 50, batchSize: 256 }).expect(422);
    expect(response.body).toMatchObject({ estimate: expect.any(Object), limit: expect.any(Object) });
  });
});
