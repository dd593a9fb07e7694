import { describe, expect, it } from 'vitest';
import { useTestServer } from '../../support/server.js';

const server = useTestServer({ SIMULATION_THREADS: '1', SIMULATION_QUEUE: '0', SIMULATION_MAX_GFLOP: '50' });
const simulate = (kind: 'feedforward' | 'recurrent', body: unknown) =>
  server.http().post(`/v1/simulations/${kind}`).send(body as object);

/** A network that keeps the single worker busy for a while (~0.5–2 s here). */
const slowNetwork = { network: { depth: 120, width: 512, activation: 'tanh' }, input: { batchSize: 256 } };

describe('POST /v1/simulations/feedforward', () => {
  it('reports every layer of a uniform network with a summary', async () => {
    const { body } = await simulate('feedforward', {
      network: { depth: 12, width: 64, activation: 'sigmoid', init: 'xavier_normal' },
      seed: 3,
    }).expect(200);
    expect(body.layers).toHaveLength(12);
    expect(body.layers[0]).toMatchObject({ index: 1, width: 64, activation: 'sigmoid' });
    expect(body.layers[0].gradient.log10WeightNorm).toBeLessThan(body.layers[11].gradient.log10WeightNorm);
    expect(body.summary.verdict).toBe('vanishing');
    expect(body).toMatchObject({ seed: 3, trials: 1, precision: 'float32' });
  });

  it('is reproducible bit for bit from the seed', async () => {
    const request = { network: { depth: 5, width: 32, activation: 'relu', init: 'he_normal' }, seed: 11 };
    const first = (await simulate('feedforward', request).expect(200)).body;
    const second = (await simulate('feedforward', request).expect(200)).body;
    const other = (await simulate('feedforward', { ...request, seed: 12 }).expect(200)).body;
    expect(second).toEqual(first);
    expect(other.loss).not.toBe(first.loss);
  });

  it('runs an explicit network exactly in float64', async () => {
    const { body } = await simulate('feedforward', {
      network: {
        inputSize: 2,
        layers: [
          { width: 2, activation: 'identity', weights: [[1, 0], [0, 1]], bias: false },
          { width: 1, activation: 'identity', weights: [[2], [3]], bias: false },
        ],
      },
      input: { values: [[1, 1]] },
      loss: { type: 'sum' },
    }).expect(200);
    expect(body.precision).toBe('float64');
    expect(body.loss).toBe(5);
    // ∂L/∂W² = a¹ᵀ · 1 = [1, 1]ᵀ, ∂L/∂a¹ = [2, 3], ∂L/∂W¹ = xᵀ·[2, 3] = [[2, 3], [2, 3]].
    expect(body.layers[1].gradient.weightNorm).toBeCloseTo(Math.SQRT2, 14);
    expect(body.layers[0].gradient.weightNorm).toBeCloseTo(Math.sqrt(26), 14);
  });

  it('names the layer whose explicit weights have the wrong shape', async () => {
    const { body } = await simulate('feedforward', {
      network: {
        inputSize: 3,
        layers: [
          { width: 2, activation: 'tanh' },
          { width: 2, activation: 'tanh', weights: [[1, 2, 3], [4, 5, 6]] },
        ],
      },
    }).expect(400);
    expect(body.errors[0].path).toMatch(/^network\.layers\.1\.weights/);
    expect(body.detail).toContain('layer 2');
  });

  it('refuses a residual layer that changes the width with 400', async () => {
    const { body } = await simulate('feedforward', {
      network: { inputSize: 4, layers: [{ width: 8, activation: 'relu', residual: true }] },
    }).expect(400);
    expect(body.errors[0].path).toMatch(/^network\.layers\.0\./);
  });

  it('rejects an unknown activation parameter with its full path', async () => {
    const { body } = await simulate('feedforward', {
      network: { inputSize: 4, layers: [{ width: 4, activation: { id: 'elu', params: { beta: 1 } } }] },
    }).expect(400);
    expect(body.errors).toEqual([{ path: 'network.layers.0.activation.params.beta', message: 'Unknown field "beta"' }]);
  });

  it('refuses a simulation over the cost limit with 422 naming the estimate and the limit', async () => {
    const { body } = await simulate('feedforward', {
      network: { depth: 2000, width: 2048, activation: 'tanh' },
      input: { batchSize: 1024 },
    }).expect(422);
    expect(body.detail).toMatch(/GFLOP; the limit is 50\.0 GFLOP/);
    expect(body.limit.flops).toBe(50e9);
    expect(body.estimate.flops).toBeGreaterThan(50e9);
  });

  it('answers 503 with Retry-After when the only thread is busy and the queue is full, while /healthz stays fast', async () => {
    const busy = simulate('feedforward', slowNetwork).then((response) => response); // supertest sends on then()
    await new Promise((resolve) => setTimeout(resolve, 200));
    const refused = await simulate('feedforward', slowNetwork);
    const started = performance.now();
    await server.http().get('/healthz').expect(200);
    const healthMs = performance.now() - started;
    expect(refused.status).toBe(503);
    expect(refused.headers['retry-after']).toBe('2');
    expect(refused.body.type).toBe('urn:activation-lab:problem:unavailable');
    expect(healthMs).toBeLessThan(1000); // the event loop is free; generous for a loaded CI machine
    expect((await busy).status).toBe(200);
  });
});

describe('POST /v1/simulations/recurrent', () => {
  it('reports every step of an LSTM with gate means and cell gradients', async () => {
    const { body } = await simulate('recurrent', { cell: 'lstm', inputSize: 8, hiddenSize: 16, steps: 20, batchSize: 4 }).expect(200);
    expect(body.cell).toBe('lstm');
    expect(body.steps).toHaveLength(20);
    expect(body.steps[0]).toMatchObject({ t: 1, gates: { forget: expect.any(Number) }, log10CellGradientNorm: expect.any(Number) });
    expect(['vanishing', 'stable', 'exploding']).toContain(body.summary.verdict);
  });

  it('shows a tanh RNN losing its gradient over 100 steps', async () => {
    const { body } = await simulate('recurrent', {
      cell: 'rnn',
      inputSize: 8,
      hiddenSize: 32,
      steps: 100,
      recurrentInit: { scheme: 'orthogonal', gain: 0.8 },
    }).expect(200);
    expect(body.summary.verdict).toBe('vanishing');
    expect(body.steps[0].fractionSaturated).toBeGreaterThanOrEqual(0);
  });

  it('rejects an unknown cell with 400', async () => {
    const { body } = await simulate('recurrent', { cell: 'transformer', inputSize: 2, hiddenSize: 2, steps: 2 }).expect(400);
    expect(body.errors[0].path).toBe('cell');
  });
});

describe('simulation time limit', () => {
  const limited = useTestServer({ SIMULATION_THREADS: '1', SIMULATION_TIMEOUT_MS: '150' });

  it('cancels a simulation that runs too long with a clear 422', async () => {
    const { body } = await limited.http().post('/v1/simulations/feedforward').send(slowNetwork).expect(422);
    expect(body).toMatchObject({ status: 422, timeoutMs: 150 });
    expect(body.detail).toContain('cancelled after 150 ms');
  });
});
