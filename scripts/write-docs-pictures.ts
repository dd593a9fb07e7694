/**
 * npm run docs:pictures — asks a running instance of the service (started here
 * on a free loopback port) for the README's pictures and writes them to docs/,
 * so the pictures in the README are what the service really draws.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';

interface Picture {
  file: string;
  path: string;
  body?: unknown;
}

const pictures: Picture[] = [
  { file: 'activations.svg', path: '/v1/plots/activations', body: { activations: ['sigmoid', 'tanh', 'relu', 'elu', 'gelu'], start: -4, stop: 4 } },
  { file: 'relu.svg', path: '/v1/activations/relu/plot?start=-3&stop=3' },
  {
    file: 'sigmoid-depth-30.svg',
    path: '/v1/simulations/feedforward',
    body: { network: { depth: 30, width: 256, activation: 'sigmoid', init: 'xavier_normal' }, input: { batchSize: 128 }, trials: 4, seed: 1 },
  },
  {
    file: 'relu-he-depth-30.svg',
    path: '/v1/simulations/feedforward',
    body: { network: { depth: 30, width: 256, activation: 'relu', init: 'he_normal' }, input: { batchSize: 128 }, trials: 4, seed: 1 },
  },
  {
    file: 'relu-xavier-statistics.svg',
    path: '/v1/simulations/feedforward?chart=statistics',
    body: { network: { depth: 30, width: 256, activation: 'relu', init: 'xavier_normal' }, input: { batchSize: 128 }, seed: 1 },
  },
  { file: 'tanh-phase-diagram.svg', path: '/v1/theory/phase-diagram', body: { activation: 'tanh', sigmaW2: { start: 0.5, stop: 4, count: 36 }, sigmaB2: { start: 0, stop: 0.5, count: 26 } } },
  {
    file: 'jacobian-tanh-orthogonal.svg',
    path: '/v1/simulations/jacobian',
    body: { network: { depth: 20, width: 256, activation: 'tanh', init: 'orthogonal' }, biasStd: 0.01, input: { variance: 0.01 } },
  },
  {
    file: 'jacobian-relu-gaussian.svg',
    path: '/v1/simulations/jacobian',
    body: { network: { depth: 20, width: 256, activation: 'relu', init: 'he_normal' } },
  },
  { file: 'rnn-100-steps.svg', path: '/v1/simulations/recurrent', body: { cell: 'rnn', inputSize: 32, hiddenSize: 128, steps: 100, seed: 1 } },
  { file: 'lstm-100-steps.svg', path: '/v1/simulations/recurrent', body: { cell: 'lstm', inputSize: 32, hiddenSize: 128, steps: 100, seed: 1 } },
];

const app = await buildApp(loadConfig({ LOG_LEVEL: 'warn' }));
const base = await app.listen({ host: '127.0.0.1', port: 0 });
const folder = new URL('../docs/', import.meta.url);
await mkdir(folder, { recursive: true });
try {
  for (const picture of pictures) {
    const response = await fetch(base + picture.path, {
      method: picture.body === undefined ? 'GET' : 'POST',
      headers: { accept: 'image/svg+xml', ...(picture.body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(picture.body === undefined ? {} : { body: JSON.stringify(picture.body) }),
    });
    if (!response.ok) throw new Error(`${picture.path}: ${response.status} ${await response.text()}`);
    await writeFile(new URL(picture.file, folder), await response.text());
    console.log(`wrote docs/${picture.file}`);
  }
} finally {
  await app.close();
}
