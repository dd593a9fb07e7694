/**
 * A spread of requests for the cost model (bench/cost.ts fits its rates on
 * them; test/requests/calibration.test.ts runs a sample): every endpoint that
 * does work, small and large, tall and wide, every init scheme, float32 and
 * float64, JSON and charts. `workOf` prices a case exactly as the route does:
 * the operation's body schema, the route's query schema, then plan and cost.
 */
import type { z } from 'zod';
import { findActivation } from '../../src/activations/registry.js';
import { plus, type Work } from '../../src/requests/cost.js';
import type { OperationId, Representation } from '../../src/requests/operation.js';
import { operationById } from '../../src/requests/operations/index.js';
import { binaryQuerySchema } from '../../src/routes/v1/binary-evaluate.js';
import { activationPlotQuerySchema, feedforwardPictureQuerySchema, pictureFormatQuerySchema, pictureQuerySchema } from '../../src/schemas/plots.js';
import { initSchemes } from '../../src/simulation/init.js';

export interface CostCase {
  name: string;
  operation: OperationId;
  method: 'GET' | 'POST';
  /** Path with its query string. */
  path: string;
  body?: unknown;
  /** Raw float64 body of the binary endpoint. */
  raw?: Float64Array;
  representation: Representation;
}

const querySchemas: Partial<Record<OperationId, z.ZodType>> = {
  evaluateActivationBinary: binaryQuerySchema,
  plotActivation: activationPlotQuerySchema,
  plotActivations: pictureFormatQuerySchema,
  simulateFeedforward: feedforwardPictureQuerySchema,
  simulateRecurrent: pictureQuerySchema,
  jacobianSpectrum: pictureQuerySchema,
  phaseDiagram: pictureQuerySchema,
};

const accepts: Record<Representation, string> = {
  json: 'application/json',
  svg: 'image/svg+xml',
  png: 'image/png',
  binary: 'application/octet-stream',
  ndjson: 'application/x-ndjson',
  vegalite: 'application/vnd.vegalite+json',
};

export const acceptOf = (costCase: CostCase): string => accepts[costCase.representation];

/** The activation id in /v1/activations/{id}/… paths. */
function pathActivation(path: string): string | undefined {
  return /^\/v1\/activations\/([^/?]+)/.exec(path)?.[1];
}

/** The Work the service will price this case at (the same plan and cost as its route). */
export function workOf(costCase: CostCase): Work {
  const operation = operationById(costCase.operation);
  const url = new URL(costCase.path, 'http://localhost');
  const querySchema = querySchemas[costCase.operation];
  const query = querySchema === undefined ? {} : querySchema.parse(Object.fromEntries(url.searchParams));
  const id = pathActivation(url.pathname);
  const params = id === undefined ? {} : { id: findActivation(id)?.id };
  const body =
    costCase.raw !== undefined
      ? Buffer.from(costCase.raw.buffer, costCase.raw.byteOffset, costCase.raw.byteLength)
      : operation.bodySchema === undefined
        ? undefined
        : operation.bodySchema.parse(costCase.body);
  const plan = operation.plan({ body, query, params, representation: costCase.representation, limits: { maxElements: 10_000_000 } });
  return plus(operation.cost(plan));
}

const grid = (count: number) => ({ start: -6, stop: 6, count });
const shorthand = (depth: number, width: number, activation: string, init = 'xavier_normal', extra: Record<string, unknown> = {}) => ({
  depth,
  width,
  activation,
  init,
  ...extra,
});

/** Every case of the bench, cheapest first within each endpoint. */
export const costCases: CostCase[] = [
  // Evaluation.
  ...[1_000, 100_000, 1_000_000].flatMap((count): CostCase[] => [
    { name: `evaluate relu ${count}`, operation: 'evaluateActivation', method: 'POST', path: '/v1/activations/relu/evaluate', body: { grid: grid(count) }, representation: 'json' },
    { name: `evaluate gelu ${count}`, operation: 'evaluateActivation', method: 'POST', path: '/v1/activations/gelu/evaluate', body: { grid: grid(count) }, representation: 'json' },
  ]),
  { name: 'evaluate mish 300000 with param gradients', operation: 'evaluateActivation', method: 'POST', path: '/v1/activations/prelu/evaluate', body: { grid: grid(300_000), outputs: ['value', 'derivative', 'paramGradients'] }, representation: 'json' },
  { name: 'evaluate many 6 × 150000', operation: 'evaluateMany', method: 'POST', path: '/v1/evaluate', body: { grid: grid(150_000), activations: ['relu', 'tanh', 'gelu', 'mish', 'selu', 'softplus'] }, representation: 'json' },
  { name: 'evaluate binary tanh 1000000', operation: 'evaluateActivationBinary', method: 'POST', path: '/v1/activations/tanh/evaluate/binary', raw: new Float64Array(1_000_000).map((_, index) => index / 1e5 - 5), representation: 'binary' },
  // Charts of activations.
  { name: 'plot gelu svg', operation: 'plotActivation', method: 'GET', path: '/v1/activations/gelu/plot', representation: 'svg' },
  { name: 'plot gelu png', operation: 'plotActivation', method: 'GET', path: '/v1/activations/gelu/plot?format=png', representation: 'png' },
  { name: 'plot 12 activations svg 2000 points', operation: 'plotActivations', method: 'POST', path: '/v1/plots/activations', body: { activations: ['relu', 'tanh', 'sigmoid', 'gelu', 'elu', 'selu', 'mish', 'silu', 'softplus', 'leaky_relu', 'hardtanh', 'softsign'], points: 2000 }, representation: 'svg' },
  { name: 'plot 12 activations png scale 2 1000×1000 panels', operation: 'plotActivations', method: 'POST', path: '/v1/plots/activations?format=png&scale=2', body: { activations: ['relu', 'tanh', 'sigmoid', 'gelu', 'elu', 'selu', 'mish', 'silu', 'softplus', 'leaky_relu', 'hardtanh', 'softsign'], points: 2000, width: 1000, height: 1000 }, representation: 'png' },
  // Feed-forward: shapes and precisions.
  { name: 'feedforward 10×256 batch 64', operation: 'simulateFeedforward', method: 'POST', path: '/v1/simulations/feedforward', body: { network: shorthand(10, 256, 'tanh'), input: { batchSize: 64 } }, representation: 'json' },
  { name: 'feedforward 50×512 batch 256', operation: 'simulateFeedforward', method: 'POST', path: '/v1/simulations/feedforward', body: { network: shorthand(50, 512, 'relu', 'he_normal'), input: { batchSize: 256 } }, representation: 'json' },
  { name: 'feedforward wide 2×4096 batch 512', operation: 'simulateFeedforward', method: 'POST', path: '/v1/simulations/feedforward', body: { network: shorthand(2, 4096, 'gelu'), input: { batchSize: 512 } }, representation: 'json' },
  { name: 'feedforward tall 2000×16 batch 32', operation: 'simulateFeedforward', method: 'POST', path: '/v1/simulations/feedforward', body: { network: shorthand(2000, 16, 'tanh'), input: { batchSize: 32 } }, representation: 'json' },
  { name: 'feedforward 10000×1 × 64 trials', operation: 'simulateFeedforward', method: 'POST', path: '/v1/simulations/feedforward', body: { network: shorthand(10_000, 1, 'tanh'), input: { batchSize: 8 }, trials: 64 }, representation: 'json' },
  { name: 'feedforward 20×256 × 16 trials', operation: 'simulateFeedforward', method: 'POST', path: '/v1/simulations/feedforward', body: { network: shorthand(20, 256, 'selu', 'lecun_normal'), input: { batchSize: 64 }, trials: 16 }, representation: 'json' },
  { name: 'feedforward float64 20×256 batch 64', operation: 'simulateFeedforward', method: 'POST', path: '/v1/simulations/feedforward', body: { network: shorthand(20, 256, 'tanh'), input: { batchSize: 64 }, precision: 'float64' }, representation: 'json' },
  { name: 'feedforward float64 4×1024 batch 256', operation: 'simulateFeedforward', method: 'POST', path: '/v1/simulations/feedforward', body: { network: shorthand(4, 1024, 'relu', 'he_normal'), input: { batchSize: 256 }, precision: 'float64' }, representation: 'json' },
  { name: 'feedforward batch norm + residual 30×256', operation: 'simulateFeedforward', method: 'POST', path: '/v1/simulations/feedforward', body: { network: shorthand(30, 256, 'relu', 'he_normal', { batchNorm: true, residual: true }), input: { batchSize: 128 } }, representation: 'json' },
  ...initSchemes
    .filter((scheme) => scheme !== 'identity')
    .map((scheme): CostCase => ({
      name: `feedforward init ${scheme} 20×512 batch 64`,
      operation: 'simulateFeedforward',
      method: 'POST',
      path: '/v1/simulations/feedforward',
      body: { network: shorthand(20, 512, 'tanh', scheme), input: { batchSize: 64 } },
      representation: 'json',
    })),
  { name: 'feedforward init identity 20×512 batch 64', operation: 'simulateFeedforward', method: 'POST', path: '/v1/simulations/feedforward', body: { network: shorthand(20, 512, 'relu', 'identity'), input: { batchSize: 64 } }, representation: 'json' },
  { name: 'feedforward orthogonal 1×2048 batch 1', operation: 'simulateFeedforward', method: 'POST', path: '/v1/simulations/feedforward', body: { network: shorthand(1, 2048, 'tanh', 'orthogonal'), input: { batchSize: 1 } }, representation: 'json' },
  { name: 'feedforward orthogonal 4×512 batch 64', operation: 'simulateFeedforward', method: 'POST', path: '/v1/simulations/feedforward', body: { network: shorthand(4, 512, 'tanh', 'orthogonal'), input: { batchSize: 64 } }, representation: 'json' },
  { name: 'feedforward orthogonal 10×1024 batch 64', operation: 'simulateFeedforward', method: 'POST', path: '/v1/simulations/feedforward', body: { network: shorthand(10, 1024, 'tanh', 'orthogonal'), input: { batchSize: 64 } }, representation: 'json' },
  { name: 'feedforward chart svg 100×128 × 8 trials', operation: 'simulateFeedforward', method: 'POST', path: '/v1/simulations/feedforward', body: { network: shorthand(100, 128, 'tanh'), trials: 8 }, representation: 'svg' },
  { name: 'feedforward chart png 1000×32', operation: 'simulateFeedforward', method: 'POST', path: '/v1/simulations/feedforward?format=png&chart=statistics', body: { network: shorthand(1000, 32, 'relu', 'he_normal') }, representation: 'png' },
  // Recurrent.
  { name: 'rnn T100 H128 B32', operation: 'simulateRecurrent', method: 'POST', path: '/v1/simulations/recurrent', body: { cell: 'rnn', inputSize: 32, hiddenSize: 128, steps: 100 }, representation: 'json' },
  { name: 'lstm T100 H128 B32', operation: 'simulateRecurrent', method: 'POST', path: '/v1/simulations/recurrent', body: { cell: 'lstm', inputSize: 32, hiddenSize: 128, steps: 100 }, representation: 'json' },
  { name: 'gru T100 H128 B32', operation: 'simulateRecurrent', method: 'POST', path: '/v1/simulations/recurrent', body: { cell: 'gru', inputSize: 32, hiddenSize: 128, steps: 100, batchSize: 32 }, representation: 'json' },
  { name: 'gru float64 T200 H128 B16', operation: 'simulateRecurrent', method: 'POST', path: '/v1/simulations/recurrent', body: { cell: 'gru', inputSize: 32, hiddenSize: 128, steps: 200, batchSize: 16, precision: 'float64' }, representation: 'json' },
  { name: 'gru explicit weights T100 H64 B8', operation: 'simulateRecurrent', method: 'POST', path: '/v1/simulations/recurrent', body: { cell: 'gru', inputSize: 16, hiddenSize: 64, steps: 100, batchSize: 8, weights: torchLayoutWeights(3, 16, 64) }, representation: 'json' },
  { name: 'lstm explicit weights T100 H64 B8', operation: 'simulateRecurrent', method: 'POST', path: '/v1/simulations/recurrent', body: { cell: 'lstm', inputSize: 16, hiddenSize: 64, steps: 100, batchSize: 8, weights: torchLayoutWeights(4, 16, 64) }, representation: 'json' },
  { name: 'lstm T500 H512 B64', operation: 'simulateRecurrent', method: 'POST', path: '/v1/simulations/recurrent', body: { cell: 'lstm', inputSize: 64, hiddenSize: 512, steps: 500, batchSize: 64 }, representation: 'json' },
  { name: 'lstm T10000 H1 B1', operation: 'simulateRecurrent', method: 'POST', path: '/v1/simulations/recurrent', body: { cell: 'lstm', inputSize: 1, hiddenSize: 1, steps: 10_000, batchSize: 1 }, representation: 'json' },
  { name: 'rnn T10000 H4 B4', operation: 'simulateRecurrent', method: 'POST', path: '/v1/simulations/recurrent', body: { cell: 'rnn', inputSize: 4, hiddenSize: 4, steps: 10_000, batchSize: 4 }, representation: 'json' },
  { name: 'lstm float64 T200 H128 B16', operation: 'simulateRecurrent', method: 'POST', path: '/v1/simulations/recurrent', body: { cell: 'lstm', inputSize: 32, hiddenSize: 128, steps: 200, batchSize: 16, precision: 'float64' }, representation: 'json' },
  { name: 'rnn orthogonal H2048 T10 B8', operation: 'simulateRecurrent', method: 'POST', path: '/v1/simulations/recurrent', body: { cell: 'rnn', inputSize: 16, hiddenSize: 2048, steps: 10, batchSize: 8 }, representation: 'json' },
  { name: 'rnn xavier H2048 T10 B8', operation: 'simulateRecurrent', method: 'POST', path: '/v1/simulations/recurrent', body: { cell: 'rnn', inputSize: 16, hiddenSize: 2048, steps: 10, batchSize: 8, recurrentInit: 'xavier_normal' }, representation: 'json' },
  { name: 'lstm chart svg T300 H64', operation: 'simulateRecurrent', method: 'POST', path: '/v1/simulations/recurrent', body: { cell: 'lstm', inputSize: 8, hiddenSize: 64, steps: 300 }, representation: 'svg' },
  // Jacobian spectrum.
  { name: 'jacobian 20×256', operation: 'jacobianSpectrum', method: 'POST', path: '/v1/simulations/jacobian', body: { network: shorthand(20, 256, 'tanh', 'orthogonal') }, representation: 'json' },
  { name: 'jacobian 10×1024', operation: 'jacobianSpectrum', method: 'POST', path: '/v1/simulations/jacobian', body: { network: shorthand(10, 1024, 'relu', 'he_normal') }, representation: 'json' },
  { name: 'jacobian every layer 50×128', operation: 'jacobianSpectrum', method: 'POST', path: '/v1/simulations/jacobian', body: { network: shorthand(50, 128, 'tanh'), everyLayer: true }, representation: 'json' },
  { name: 'jacobian every layer 10000×1 1000 bins', operation: 'jacobianSpectrum', method: 'POST', path: '/v1/simulations/jacobian', body: { network: shorthand(10_000, 1, 'tanh'), everyLayer: true, histogram: { bins: 1000 } }, representation: 'json' },
  { name: 'jacobian float32 100×512', operation: 'jacobianSpectrum', method: 'POST', path: '/v1/simulations/jacobian', body: { network: shorthand(100, 512, 'tanh'), precision: 'float32' }, representation: 'json' },
  { name: 'jacobian chart png 30×256', operation: 'jacobianSpectrum', method: 'POST', path: '/v1/simulations/jacobian?format=png', body: { network: shorthand(30, 256, 'tanh', 'orthogonal') }, representation: 'png' },
  // Theory.
  { name: 'mean field tanh depth 100', operation: 'meanField', method: 'POST', path: '/v1/theory/mean-field', body: { activation: 'tanh', sigmaW2: 1.5, sigmaB2: 0.05, depth: 100 }, representation: 'json' },
  { name: 'mean field gelu depth 1000 400 nodes', operation: 'meanField', method: 'POST', path: '/v1/theory/mean-field', body: { activation: 'gelu', sigmaW2: 2, depth: 1000, nodeCount: 400 }, representation: 'json' },
  { name: 'mean field relu depth 1000', operation: 'meanField', method: 'POST', path: '/v1/theory/mean-field', body: { activation: 'relu', sigmaW2: 2, depth: 1000 }, representation: 'json' },
  { name: 'phase diagram tanh 36×26', operation: 'phaseDiagram', method: 'POST', path: '/v1/theory/phase-diagram', body: { activation: 'tanh' }, representation: 'json' },
  { name: 'phase diagram gelu 100×100 400 nodes', operation: 'phaseDiagram', method: 'POST', path: '/v1/theory/phase-diagram', body: { activation: 'gelu', sigmaW2: { start: 0.5, stop: 4, count: 100 }, sigmaB2: { start: 0, stop: 0.5, count: 100 }, nodeCount: 400 }, representation: 'json' },
  { name: 'phase diagram relu 200×200', operation: 'phaseDiagram', method: 'POST', path: '/v1/theory/phase-diagram', body: { activation: 'relu', sigmaW2: { start: 0.5, stop: 4, count: 200 }, sigmaB2: { start: 0, stop: 0.5, count: 200 } }, representation: 'json' },
  { name: 'mean field elu depth 300', operation: 'meanField', method: 'POST', path: '/v1/theory/mean-field', body: { activation: 'elu', sigmaW2: 1.5, depth: 300 }, representation: 'json' },
  { name: 'phase diagram elu 60×60', operation: 'phaseDiagram', method: 'POST', path: '/v1/theory/phase-diagram', body: { activation: 'elu', sigmaW2: { start: 0.5, stop: 4, count: 60 }, sigmaB2: { start: 0, stop: 0.5, count: 60 } }, representation: 'json' },
  { name: 'phase diagram hardtanh 100×100', operation: 'phaseDiagram', method: 'POST', path: '/v1/theory/phase-diagram', body: { activation: 'hardtanh', sigmaW2: { start: 0.5, stop: 4, count: 100 }, sigmaB2: { start: 0, stop: 0.5, count: 100 } }, representation: 'json' },
  { name: 'phase diagram tanh chart svg 50×50', operation: 'phaseDiagram', method: 'POST', path: '/v1/theory/phase-diagram', body: { activation: 'tanh', sigmaW2: { start: 0.5, stop: 4, count: 50 }, sigmaB2: { start: 0, stop: 0.5, count: 50 } }, representation: 'svg' },
  { name: 'training spirals 3×16 adam 500 steps × 3 runs', operation: 'train', method: 'POST', path: '/v1/training', body: { network: { depth: 3, width: 16, activation: 'relu', init: 'he_normal' }, data: { dataset: 'spirals', trainSize: 400, testSize: 200 }, optimizer: { type: 'adam', learningRate: 0.01 }, steps: 500, runs: [{ label: 'relu' }, { label: 'tanh', activation: 'tanh' }, { label: 'prelu', activation: 'prelu' }] }, representation: 'json' },
  { name: 'training fashion-mnist 10×64 sigmoid 2 epochs × 2 runs', operation: 'train', method: 'POST', path: '/v1/training', body: { network: { depth: 10, width: 64, activation: 'sigmoid' }, data: { dataset: 'fashion-mnist', trainSize: 2000, testSize: 500 }, epochs: 2, batchSize: 64, runs: [{ label: 'sigmoid' }, { label: 'relu', activation: 'relu', init: 'he_normal' }] }, representation: 'json' },
  { name: 'training fashion-mnist 2×256 batch norm 1 epoch', operation: 'train', method: 'POST', path: '/v1/training', body: { network: { depth: 2, width: 256, activation: 'relu', batchNorm: true, bias: false }, data: { dataset: 'fashion-mnist', trainSize: 10000, testSize: 2000 }, epochs: 1, batchSize: 128, evaluateEvery: 20 }, representation: 'json' },
  { name: 'training iris float64 momentum 2000 steps', operation: 'train', method: 'POST', path: '/v1/training', body: { network: { depth: 2, width: 16, activation: 'elu' }, data: { dataset: 'iris' }, optimizer: { type: 'momentum', learningRate: 0.05 }, steps: 2000, precision: 'float64' }, representation: 'json' },
  { name: 'training teacher mse 4×64 1000 steps every step', operation: 'train', method: 'POST', path: '/v1/training', body: { network: { depth: 4, width: 64, activation: 'tanh' }, data: { dataset: 'teacher', trainSize: 500, testSize: 100 }, loss: { type: 'mse' }, steps: 1000, evaluateEvery: 1 }, representation: 'json' },
  { name: 'training adding T50 rnn/lstm/gru H32 300 steps', operation: 'train', method: 'POST', path: '/v1/training', body: { network: { cell: 'lstm', hiddenSize: 32 }, data: { dataset: 'adding', length: 50, trainSize: 500, testSize: 100 }, optimizer: { type: 'adam', learningRate: 0.005 }, steps: 300, evaluateEvery: 50, runs: [{ label: 'rnn', cell: 'rnn' }, { label: 'lstm' }, { label: 'gru', cell: 'gru' }] }, representation: 'json' },
  { name: 'training spirals chart png', operation: 'train', method: 'POST', path: '/v1/training?format=png&chart=gradients', body: { network: { depth: 6, width: 16, activation: 'tanh' }, data: { dataset: 'spirals' }, steps: 300, runs: [{ label: 'a' }, { label: 'b', activation: 'relu' }] }, representation: 'png' },
];

/**
 * A small sample spanning every kind of work (test/requests/calibration.test.ts):
 * each costs under about a second on the reference machine.
 */
export const sampleCaseNames = [
  'evaluate gelu 100000',
  'plot gelu png',
  'feedforward 50×512 batch 256',
  'feedforward tall 2000×16 batch 32',
  'feedforward float64 20×256 batch 64',
  'feedforward orthogonal 4×512 batch 64',
  'lstm T100 H128 B32',
  'lstm T10000 H1 B1',
  'jacobian every layer 50×128',
  'mean field gelu depth 1000 400 nodes',
  'phase diagram tanh 36×26',
  'training spirals 3×16 adam 500 steps × 3 runs',
];

/** Explicit recurrent weights in PyTorch's layout (G·H rows), deterministic and of PyTorch's default scale 1/√H. */
function torchLayoutWeights(gates: number, inputSize: number, hiddenSize: number) {
  const matrix = (columns: number, phase: number) =>
    Array.from({ length: gates * hiddenSize }, (_, row) => Array.from({ length: columns }, (_, column) => Math.sin(phase + row * columns + column) / Math.sqrt(hiddenSize)));
  const vector = (phase: number) => Array.from({ length: gates * hiddenSize }, (_, k) => Math.cos(phase + k) / Math.sqrt(hiddenSize));
  return { weightIh: matrix(inputSize, 0), weightHh: matrix(hiddenSize, 1), biasIh: vector(2), biasHh: vector(3) };
}
