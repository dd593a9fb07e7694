/** The requests the load benches and tests send, in one place. */

export const jsonHeaders = { 'content-type': 'application/json' };

/** ~10 points of tanh, value and derivative: the "small evaluate" of the throughput bench. */
export const smallEvaluateBody = JSON.stringify({ x: [-3, -2, -1.5, -1, -0.5, 0, 0.5, 1, 1.5, 2, 3] });

/** A small feed-forward simulation: a few milliseconds on one worker thread. */
export const smallFeedforwardBody = JSON.stringify({
  network: { depth: 10, width: 64, activation: 'tanh' },
  input: { batchSize: 32 },
  seed: 1,
});

/** A somewhat larger one (tens of milliseconds), so that a flood fills the queue. */
export const mediumFeedforwardBody = JSON.stringify({
  network: { depth: 20, width: 256, activation: 'sigmoid', init: 'xavier_normal' },
  input: { batchSize: 64 },
  seed: 2,
});

/** About 200 ms on one worker thread: long enough to be caught running. */
export const slowFeedforwardBody = JSON.stringify({ network: { depth: 30, width: 256, activation: 'tanh' }, input: { batchSize: 128 }, seed: 5 });

export const smallRecurrentBody = JSON.stringify({ cell: 'lstm', inputSize: 8, hiddenSize: 16, steps: 20, batchSize: 8, seed: 3 });

export const evaluateManyBody = JSON.stringify({
  grid: { start: -4, stop: 4, count: 200 },
  activations: ['sigmoid', 'tanh', 'relu', { id: 'elu', params: { alpha: 0.5 } }, 'gelu'],
});

export interface LoadRequest {
  method: 'GET' | 'POST';
  path: string;
  body?: string;
}

/** The steady mixed load of the soak: cheap reads, evaluations and simulations. */
export const mixedRequests: readonly LoadRequest[] = [
  { method: 'GET', path: '/healthz' },
  { method: 'GET', path: '/v1/activations' },
  { method: 'GET', path: '/v1/activations/gelu' },
  { method: 'POST', path: '/v1/activations/tanh/evaluate', body: smallEvaluateBody },
  { method: 'POST', path: '/v1/activations/mish/evaluate', body: JSON.stringify({ grid: { start: -5, stop: 5, count: 5000 } }) },
  { method: 'POST', path: '/v1/evaluate', body: evaluateManyBody },
  { method: 'POST', path: '/v1/simulations/feedforward', body: smallFeedforwardBody },
  { method: 'POST', path: '/v1/simulations/recurrent', body: smallRecurrentBody },
  { method: 'GET', path: '/v1/activations/relu/plot' },
];

/** An LSTM over 50 steps: a hundred-odd milliseconds on one worker thread. */
export const mediumRecurrentBody = JSON.stringify({ cell: 'lstm', inputSize: 32, hiddenSize: 128, steps: 50, batchSize: 32, seed: 3 });
