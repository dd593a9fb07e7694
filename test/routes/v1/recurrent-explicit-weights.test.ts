import { describe, expect, it } from 'vitest';
import { useTestServer } from '../../support/server.js';

const server = useTestServer({ SIMULATION_THREADS: '1' });
const simulate = (body: unknown) => server.http().post('/v1/simulations/recurrent').send(body as object);

/** A one-unit GRU in PyTorch's layout: rows r, z, n of W_ih (1 input) and W_hh. */
const gruWeights = { weightIh: [[0.5], [-0.3], [0.8]], weightHh: [[0.2], [0.4], [-0.6]], biasIh: [0.05, 0.1, -0.1], biasHh: [-0.2, 0.15, 0.3] };
const inputs = [1.2, -0.7];
const target = 0.5;
const oneUnitGru = { cell: 'gru', inputSize: 1, hiddenSize: 1, steps: 2, weights: gruWeights, input: { values: inputs.map((x) => [[x]]) }, loss: { targets: [[target]] } };

const sigma = (x: number): number => 1 / (1 + Math.exp(-x));

/** The one-unit GRU by hand (torch.nn.GRU's equations): h_1, h_2, the loss and ∂L/∂h_1, ∂L/∂h_2. */
function oneUnitGruByHand() {
  const [[wir], [wiz], [win]] = gruWeights.weightIh as [[number], [number], [number]];
  const [[whr], [whz], [whn]] = gruWeights.weightHh as [[number], [number], [number]];
  const [bir, biz, bin] = gruWeights.biasIh as [number, number, number];
  const [bhr, bhz, bhn] = gruWeights.biasHh as [number, number, number];
  const step = (x: number, h: number) => {
    const r = sigma(wir * x + bir + whr * h + bhr);
    const z = sigma(wiz * x + biz + whz * h + bhz);
    const n = Math.tanh(win * x + bin + r * (whn * h + bhn));
    return { r, z, n, h: (1 - z) * n + z * h };
  };
  const first = step(inputs[0] as number, 0);
  const second = step(inputs[1] as number, first.h);
  const { r, z, n } = second;
  const lastGradient = second.h - target;
  // ∂h_2/∂h_1 through the direct path z, the update gate, and the candidate (its reset gate included).
  const dh2dh1 = z + (first.h - n) * z * (1 - z) * whz + (1 - z) * (1 - n * n) * (r * whn + (whn * first.h + bhn) * r * (1 - r) * whr);
  return { loss: lastGradient ** 2 / 2, gradients: [Math.abs(lastGradient * dh2dh1), Math.abs(lastGradient)], gates: [first, second] };
}

describe('POST /v1/simulations/recurrent with explicit weights, inputs and targets', () => {
  it('answers a one-unit GRU in float64 as torch.nn.GRU\'s equations give it by hand', async () => {
    const { body } = await simulate(oneUnitGru).expect(200);
    const expected = oneUnitGruByHand();
    expect(body.precision).toBe('float64');
    expect(body.summary.loss).toBeCloseTo(expected.loss, 14);
    body.steps.forEach((step: { gradientNorm: number; gates: { reset: number; update: number; candidate: number } }, index: number) => {
      expect(step.gradientNorm).toBeCloseTo(expected.gradients[index] as number, 14);
      const gates = expected.gates[index] as { r: number; z: number; n: number };
      expect(step.gates.reset).toBeCloseTo(gates.r, 14);
      expect(step.gates.update).toBeCloseTo(gates.z, 14);
      expect(step.gates.candidate).toBeCloseTo(gates.n, 14);
    });
  });

  it('takes an RNN\'s and an LSTM\'s weights in PyTorch\'s layout (G·H rows; i, f, g, o for the LSTM)', async () => {
    const rnn = await simulate({ cell: 'rnn', inputSize: 1, hiddenSize: 2, steps: 3, weights: { weightIh: [[1], [-1]], weightHh: [[0.5, 0], [0, 0.5]], biasIh: [0, 0.1], biasHh: [0.2, 0] } }).expect(200);
    expect(rnn.body).toMatchObject({ cell: 'rnn', precision: 'float64' });
    const lstmWeights = { weightIh: [[0.3], [0.6], [-0.4], [0.2]], weightHh: [[0.1], [0.5], [0.7], [-0.3]] };
    const lstm = await simulate({ cell: 'lstm', inputSize: 1, hiddenSize: 1, steps: 4, batchSize: 2, weights: lstmWeights }).expect(200);
    expect(lstm.body.steps[0]).toMatchObject({ gates: { input: expect.any(Number), forget: expect.any(Number) }, cellGradientNorm: expect.any(Number) });
  });

  it('runs explicit weights in float32 when precision says so', async () => {
    const { body } = await simulate({ ...oneUnitGru, precision: 'float32' }).expect(200);
    expect(body.precision).toBe('float32');
    expect(body.summary.loss).toBeCloseTo(oneUnitGruByHand().loss, 6);
  });

  it('draws its through-time chart', async () => {
    const chart = await simulate(oneUnitGru).set('accept', 'image/svg+xml').expect(200);
    expect(chart.headers['content-type']).toMatch(/^image\/svg\+xml/);
  });

  describe('rejects a shape that does not fit with a 400 naming the field', () => {
    it.each([
      ['W_hh rows of the wrong length', { weights: { ...gruWeights, weightHh: [[0.2, 1], [0.4], [-0.6]] } }, 'weights.weightHh'],
      ['W_ih with the RNN\'s one block for a GRU', { weights: { ...gruWeights, weightIh: [[0.5]] } }, 'weights.weightIh'],
      ['a b_ih of the wrong length', { weights: { ...gruWeights, biasIh: [0, 0] } }, 'weights.biasIh'],
      ['a b_hh of the wrong length', { weights: { ...gruWeights, biasHh: [0, 0, 0, 0] } }, 'weights.biasHh'],
      ['weights without W_hh', { weights: { weightIh: gruWeights.weightIh } }, 'weights.weightHh'],
      ['a weight that is not a number', { weights: { ...gruWeights, weightIh: [['a'], [1], [1]] } }, 'weights.weightIh.0.0'],
      ['input.values with fewer blocks than steps', { input: { values: [[[1]]] } }, 'input.values'],
      ['an input block of the wrong batch', { input: { values: [[[1]], [[1], [2]]] } }, 'input.values.1'],
      ['an input row of the wrong width', { input: { values: [[[1]], [[1, 2]]] } }, 'input.values.1'],
      ['a batchSize that differs from the inputs\'', { batchSize: 2 }, 'batchSize'],
      ['targets of the wrong width', { loss: { targets: [[0.5, 0.5]] } }, 'loss.targets'],
      ['an init beside explicit weights', { inputInit: 'orthogonal' }, 'inputInit'],
    ])('for %s', async (_name, change, path) => {
      const { body } = await simulate({ ...oneUnitGru, ...change }).expect(400);
      expect(body).toMatchObject({ type: 'urn:activation-lab:problem:validation', errors: [{ path }] });
    });

    it('for an LSTM forgetBias beside explicit weights (their biases are used as given)', async () => {
      const weights = { weightIh: [[0.3], [0.6], [-0.4], [0.2]], weightHh: [[0.1], [0.5], [0.7], [-0.3]] };
      const { body } = await simulate({ cell: 'lstm', inputSize: 1, hiddenSize: 1, steps: 2, weights, forgetBias: 1 }).expect(400);
      expect(body.errors[0].path).toBe('forgetBias');
    });

    it('for targets of another batch than the random inputs\'', async () => {
      const { body } = await simulate({ cell: 'rnn', inputSize: 2, hiddenSize: 1, steps: 3, batchSize: 4, loss: { targets: [[1], [2]] } }).expect(400);
      expect(body.errors[0].path).toBe('loss.targets');
    });
  });
});
