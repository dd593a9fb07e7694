import { describe, expect, it } from 'vitest';
import { useContractServer } from '../support/contract-client.js';
import { findOperation } from '../support/contract.js';

const { client } = useContractServer({ SIMULATION_THREADS: '1', SIMULATION_MAX_GFLOP: '0.5', BODY_LIMIT_BYTES: '65536' });
const small = { depth: 3, width: 4, activation: 'tanh' };
const feedforward = (body: unknown, query = '', headers?: Record<string, string>) => client.post(`/v1/simulations/feedforward${query}`, body, headers);
const recurrent = (body: unknown, query = '', headers?: Record<string, string>) => client.post(`/v1/simulations/recurrent${query}`, body, headers);

describe('POST /v1/simulations/feedforward', () => {
  describe('answers 200 with a documented FeedforwardResult', () => {
    it.each([
      ['the shorthand network', { network: small, input: { batchSize: 4 } }],
      ['several trials (with spreads)', { network: small, input: { batchSize: 4 }, trials: 3 }],
      ['batch norm and residual connections', { network: { ...small, batchNorm: true, residual: true }, input: { batchSize: 4 } }],
      ['an init object and a uniform input', { network: { ...small, init: { scheme: 'orthogonal', gain: 1.5 } }, input: { batchSize: 3, distribution: 'uniform', scale: 2 } }],
      ['a sum loss in float64', { network: { ...small, activation: { id: 'prelu', params: { alpha: 0.1 } } }, input: { batchSize: 2 }, loss: { type: 'sum' }, precision: 'float64' }],
      ['zero weights (exactly-zero gradients, null log10 norms)', { network: { depth: 2, width: 2, activation: 'relu', init: 'zeros' }, input: { batchSize: 2 } }],
      ['no bias', { network: { ...small, bias: false }, input: { batchSize: 2 } }],
      [
        'explicit layers, weights, biases, inputs and targets',
        {
          network: {
            inputSize: 2,
            layers: [
              { width: 2, activation: 'tanh', weights: [[1, 0], [0, 1]], biases: [0.1, -0.1] },
              { width: 1, activation: 'identity', weights: [[1], [-1]], bias: false },
            ],
          },
          input: { values: [[1, 2], [-1, 0.5]] },
          loss: { type: 'mse', targets: [[0], [1]] },
        },
      ],
    ])('for %s', async (_name, body) => {
      expect((await feedforward(body)).status).toBe(200);
    });
  });

  describe('answers a documented chart', () => {
    it('as SVG for Accept: image/svg+xml', async () => {
      const response = await feedforward({ network: small, input: { batchSize: 4 }, trials: 2 }, '', { accept: 'image/svg+xml' });
      expect(response.status).toBe(200);
      expect(response.contentType).toMatch(/^image\/svg\+xml/);
    });

    it('as PNG for ?format=png', async () => {
      const response = await feedforward({ network: small, input: { batchSize: 4 } }, '?format=png&scale=1');
      expect(response.status).toBe(200);
      expect(response.payload.subarray(1, 4).toString()).toBe('PNG');
    });

    it('of the statistics for ?chart=statistics', async () => {
      expect((await feedforward({ network: small, input: { batchSize: 4 } }, '?format=svg&chart=statistics&norms=weight,bias')).status).toBe(200);
    });
  });

  describe('answers 400 with a documented problem', () => {
    it.each([
      ['an unknown field', { network: small, colour: 'red' }],
      ['no network', { input: { batchSize: 4 } }],
      ['a depth of 0', { network: { ...small, depth: 0 } }],
      ['a width over the ceiling', { network: { ...small, width: 8193 } }],
      ['too many trials', { network: small, trials: 65 }],
      ['an unknown activation', { network: { ...small, activation: 'softmax' } }],
      ['an unknown activation parameter', { network: { ...small, activation: { id: 'elu', params: { alpah: 1 } } } }],
      ['an unknown init scheme', { network: { ...small, init: 'glorot' } }],
      ['a negative gain', { network: { ...small, init: { scheme: 'he_normal', gain: -1 } } }],
      ['both a batch size and values', { network: small, input: { batchSize: 2, values: [[1, 2, 3, 4]] } }],
      ['input rows of the wrong width', { network: small, input: { values: [[1, 2, 3]] } }],
      ['targets of the wrong height', { network: small, input: { batchSize: 2 }, loss: { targets: [[1, 2, 3, 4]] } }],
      ['identity init of a non-square layer', { network: { ...small, inputSize: 3, init: 'identity' } }],
      ['explicit weights of the wrong shape', { network: { inputSize: 2, layers: [{ width: 2, activation: 'tanh', weights: [[1, 2]] }] } }],
      ['a residual layer that changes width', { network: { inputSize: 2, layers: [{ width: 3, activation: 'tanh', residual: true }] } }],
      ['a string where a number belongs', { network: { ...small, depth: '3' } }],
    ])('for %s', async (_name, body) => {
      expect((await feedforward(body)).status).toBe(400);
    });

    it('for an unknown chart', async () => {
      expect((await feedforward({ network: small }, '?chart=pie')).status).toBe(400);
    });
  });

  it('answers Accept: text/html with a 406 problem', async () => {
    expect((await feedforward({ network: small }, '', { accept: 'text/html' })).status).toBe(406);
  });

  it('answers a body over BODY_LIMIT_BYTES with a 413 problem', async () => {
    const values = Array.from({ length: 200 }, () => Array.from({ length: 32 }, () => 0.123456789));
    expect((await feedforward({ network: { depth: 1, width: 32, activation: 'tanh' }, input: { values } })).status).toBe(413);
  });

  it('answers a text/plain body with a 415 problem', async () => {
    const response = await client.request({ method: 'POST', path: '/v1/simulations/feedforward', raw: '{}', headers: { 'content-type': 'text/plain' } });
    expect(response.status).toBe(415);
  });

  it('answers a simulation over SIMULATION_MAX_GFLOP with a 422 problem naming the estimate and the limit', async () => {
    const { status, body } = await feedforward({ network: { depth: 100, width: 512, activation: 'tanh' }, input: { batchSize: 256 } });
    expect(status).toBe(422);
    expect(body).toMatchObject({ estimate: { flops: expect.any(Number) }, limit: { flops: 0.5e9 } });
  });

  it('answers activations that overflow with a 422 problem', async () => {
    const response = await feedforward({ network: { inputSize: 1, layers: [{ width: 1, activation: 'identity', weights: [[1e300]] }] }, input: { values: [[1e300]] } });
    expect(response.status).toBe(422);
  });

  // The mean over trials of a preactivation near −1.8e308 overflows to −Infinity; once a 500 from the response serialiser.
  it('answers statistics that overflow over several trials with a 422 problem', async () => {
    const { status, body } = await feedforward({
      network: { inputSize: 1, layers: [{ width: 1, activation: 'elu', weights: [[1]], biases: [-1.7976931348623157e308] }] },
      input: { values: [[0]] },
      trials: 2,
    });
    expect(status).toBe(422);
    expect(body).toMatchObject({ type: 'urn:activation-lab:problem:unprocessable' });
  });

  // A union error once picked the explicit-network branch, reporting `width: "3"` as missing inputSize/layers and unknown depth/width/activation.
  it('names the offending field of a shorthand network', async () => {
    const { status, body } = await feedforward({ network: { depth: 2, width: '3', activation: 'tanh' } });
    expect(status).toBe(400);
    expect(body).toMatchObject({ errors: [{ path: 'network.width' }] });
    expect((body as { errors: unknown[] }).errors).toHaveLength(1);
  });
});

describe('POST /v1/simulations/recurrent', () => {
  const rnn = { cell: 'rnn', inputSize: 2, hiddenSize: 3, steps: 4, batchSize: 2 };

  describe('answers 200 with a documented RecurrentResult', () => {
    it.each([
      ['a tanh RNN', rnn],
      ['an LSTM with a forget bias', { ...rnn, cell: 'lstm', forgetBias: 2 }],
      ['an RNN with a parametrised activation and inits', { ...rnn, activation: { id: 'leaky_relu', params: { negativeSlope: 0.2 } }, recurrentInit: 'identity', inputInit: { scheme: 'normal', std: 0.1 } }],
      ['one step in float64', { ...rnn, steps: 1, precision: 'float64' }],
      ['zero weights (exactly-zero gradients)', { ...rnn, recurrentInit: 'zeros', inputInit: 'zeros' }],
    ])('for %s', async (_name, body) => {
      expect((await recurrent(body)).status).toBe(200);
    });
  });

  it('answers a documented SVG chart for ?format=svg', async () => {
    expect((await recurrent({ ...rnn, cell: 'lstm' }, '?format=svg')).status).toBe(200);
  });

  it('answers a documented PNG chart for Accept: image/png', async () => {
    expect((await recurrent(rnn, '?scale=1', { accept: 'image/png' })).status).toBe(200);
  });

  describe('answers 400 with a documented problem', () => {
    it.each([
      ['an unknown cell', { ...rnn, cell: 'transformer' }],
      ['zero steps', { ...rnn, steps: 0 }],
      ['a missing hidden size', { cell: 'rnn', inputSize: 2, steps: 3 }],
      ['an unknown activation', { ...rnn, activation: 'softmax' }],
      ['an unknown field', { ...rnn, layers: 3 }],
      ['a fractional batch size', { ...rnn, batchSize: 1.5 }],
    ])('for %s', async (_name, body) => {
      expect((await recurrent(body)).status).toBe(400);
    });

    // The worker's validation outcome once came back without `errors`; it now lists the worker's message (at the body, path '').
    it('for identity input init of a non-square W_x, with an errors list', async () => {
      const { status, body } = await recurrent({ ...rnn, inputInit: 'identity' });
      expect(status).toBe(400);
      expect(body).toMatchObject({ type: 'urn:activation-lab:problem:validation', errors: [{ path: '', message: expect.stringMatching(/identity/) }] });
    });
  });

  it('answers Accept: application/xml with a 406 problem', async () => {
    expect((await recurrent(rnn, '', { accept: 'application/xml' })).status).toBe(406);
  });

  it('answers a simulation over the cost limit with a 422 problem', async () => {
    expect((await recurrent({ ...rnn, inputSize: 1024, hiddenSize: 1024, steps: 1000, batchSize: 256 })).status).toBe(422);
  });

  it('answers a hidden state that overflows with a 422 problem', async () => {
    expect((await recurrent({ ...rnn, activation: 'identity', recurrentInit: { scheme: 'normal', std: 1e300 } })).status).toBe(422);
  });
});

describe.runIf(findOperation('POST', '/v1/simulations/jacobian'))('POST /v1/simulations/jacobian', () => {
  const network = { depth: 3, width: 4, activation: 'tanh' };

  it.each([
    ['a random network', { network }],
    ['every layer, a linear histogram and an explicit input', { network, everyLayer: true, histogram: { bins: 5, scale: 'linear' }, input: { values: [1, -1, 0.5, 0] } }],
  ])('answers 200 with a documented JacobianResult for %s', async (_name, body) => {
    expect((await client.post('/v1/simulations/jacobian', body)).status).toBe(200);
  });

  it('answers a documented SVG histogram for ?format=svg', async () => {
    expect((await client.post('/v1/simulations/jacobian?format=svg', { network })).status).toBe(200);
  });

  it.each([
    ['an unknown field', { network, colour: 1 }],
    ['a negative bias std', { network, biasStd: -1 }],
    ['an input of the wrong size', { network, input: { values: [1] } }],
  ])('answers 400 with a documented problem for %s', async (_name, body) => {
    expect((await client.post('/v1/simulations/jacobian', body)).status).toBe(400);
  });

  it('answers a network over the cost limit with a 422 problem', async () => {
    expect((await client.post('/v1/simulations/jacobian', { network: { depth: 1000, width: 2048, activation: 'tanh' } })).status).toBe(422);
  });

  // depthProfile[].preactivationMeanSquare = (1e200)² = Infinity once reached the response serialiser: a 500.
  it('answers an input whose mean square overflows with a 422 problem', async () => {
    const { status, body } = await client.post('/v1/simulations/jacobian', { network: { inputSize: 1, layers: [{ width: 1, activation: 'identity', weights: [[1]] }] }, input: { values: [1e200] } });
    expect(status).toBe(422);
    expect(body).toMatchObject({ type: 'urn:activation-lab:problem:unprocessable' });
  });

  // "the singular values exceed the float64 range" once came back from the worker as a validation problem without `errors`
  // (it is arguably a 422: the request is well-formed; the service answers 400, which the document lists).
  it('answers singular values beyond float64 on a linear histogram with a 400 problem and an errors list', async () => {
    const { status, body } = await client.post('/v1/simulations/jacobian', {
      network: { inputSize: 1, layers: [{ width: 1, activation: 'identity', weights: [[1e300]] }, { width: 1, activation: 'identity', weights: [[1e10]] }] },
      input: { values: [0] },
      histogram: { scale: 'linear' },
    });
    expect(status).toBe(400);
    expect(body).toMatchObject({ type: 'urn:activation-lab:problem:validation', errors: [{ path: 'histogram.scale', message: expect.stringMatching(/float64/) }] });
  });
});

describe('the simulation pool, saturated (1 thread, no queue, 100 ms limit)', () => {
  const { client: limited } = useContractServer({ SIMULATION_THREADS: '1', SIMULATION_QUEUE: '0', SIMULATION_TIMEOUT_MS: '100' });
  // About 0.25 GFLOP in plain-JavaScript float64: well over 100 ms.
  const slow = { network: { depth: 40, width: 128, activation: 'tanh' }, input: { batchSize: 64 }, precision: 'float64' };

  it('answers a simulation that runs past SIMULATION_TIMEOUT_MS with a 422 problem', async () => {
    const { status, body } = await limited.post('/v1/simulations/feedforward', slow);
    expect(status).toBe(422);
    expect(body).toMatchObject({ timeoutMs: 100 });
  });

  it('answers a second simulation while the only thread is busy with a 503 problem and Retry-After', async () => {
    const answers = await Promise.all([limited.post('/v1/simulations/feedforward', slow), limited.post('/v1/simulations/recurrent', { cell: 'rnn', inputSize: 2, hiddenSize: 2, steps: 2 })]);
    expect(answers.map(({ status }) => status)).toContain(503);
  });
});
