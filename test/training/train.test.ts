/* eslint-disable @typescript-eslint/no-non-null-assertion -- the reference indexes plain arrays whose shapes the fixtures fix */
import { describe, expect, it } from 'vitest';
import { resolveActivation } from '../../src/activations/resolve.js';
import type { TrainingData } from '../../src/training/data/types.js';
import { train, type TrainingSpec } from '../../src/training/train.js';
import type { OptimizerSpec } from '../../src/training/optimizers.js';
import { layerNorm, layerNormBack } from '../support/layer-norm-reference.js';

/**
 * The trainer against a float64 reference written here from the definitions
 * (PyTorch's autograd and torch.optim, /work/shared/spec/training.md), on
 * plain number arrays: no code of the service is used for the reference.
 */

type Matrix = number[][];
type ActivationName = 'prelu' | 'tanh' | 'swish';

interface ReferenceLayer {
  weights: Matrix;
  biases: number[] | null;
  activation: ActivationName | 'identity';
  /** PReLU α or swish β. */
  param: number | null;
  batchNorm: boolean;
  layerNorm: boolean;
  residual: false | true | 'post-norm' | 'pre-norm';
  runningMean: number[];
  runningVariance: number[];
}

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));
function phi(name: ReferenceLayer['activation'], p: number | null, x: number): { value: number; slope: number; dParam: number } {
  switch (name) {
    case 'prelu':
      return x >= 0 ? { value: x, slope: x > 0 ? 1 : (p as number), dParam: 0 } : { value: (p as number) * x, slope: p as number, dParam: x };
    case 'tanh':
      return { value: Math.tanh(x), slope: 1 - Math.tanh(x) ** 2, dParam: 0 };
    case 'swish': {
      const s = sigmoid((p as number) * x);
      return { value: x * s, slope: s + (p as number) * x * s * (1 - s), dParam: x * x * s * (1 - s) };
    }
    default:
      return { value: x, slope: 1, dParam: 0 };
  }
}

const matmul = (a: Matrix, b: Matrix): Matrix => a.map((row) => (b[0] as number[]).map((_, j) => row.reduce((sum, value, k) => sum + value * (b[k] as number[])[j]!, 0)));
const transpose = (a: Matrix): Matrix => (a[0] as number[]).map((_, j) => a.map((row) => row[j]!));

interface Cache {
  inputs: Matrix[];
  phiInputs: Matrix[];
  outputs: Matrix[];
  inverseStd: number[][];
  layerNormStd: number[][];
  preNorm: (ReturnType<typeof layerNorm> | null)[];
  postNorm: (ReturnType<typeof layerNorm> | null)[];
}

function referenceForward(layers: ReferenceLayer[], x: Matrix, training: boolean): { output: Matrix; cache: Cache } {
  const cache: Cache = { inputs: [], phiInputs: [], outputs: [], inverseStd: [], layerNormStd: [], preNorm: [], postNorm: [] };
  let a = x;
  for (const layer of layers) {
    const pre = layer.residual === 'pre-norm' ? layerNorm(a) : null;
    cache.preNorm.push(pre);
    cache.inputs.push(pre?.normalized ?? a);
    let z = matmul(pre?.normalized ?? a, layer.weights).map((row) => row.map((value, j) => value + (layer.biases?.[j] ?? 0)));
    let inverseStd: number[] = [];
    if (layer.batchNorm) {
      const rows = z.length;
      const width = z[0]!.length;
      const mean = Array.from({ length: width }, (_, j) => (training ? z.reduce((s, row) => s + row[j]!, 0) / rows : layer.runningMean[j]!));
      const variance = Array.from({ length: width }, (_, j) => (training ? z.reduce((s, row) => s + (row[j]! - mean[j]!) ** 2, 0) / rows : layer.runningVariance[j]!));
      inverseStd = variance.map((v) => 1 / Math.sqrt(v + 1e-5));
      if (training) {
        layer.runningMean = layer.runningMean.map((m, j) => 0.9 * m + 0.1 * mean[j]!);
        layer.runningVariance = layer.runningVariance.map((v, j) => 0.9 * v + 0.1 * ((variance[j]! * rows) / (rows - 1)));
      }
      z = z.map((row) => row.map((value, j) => (value - mean[j]!) * inverseStd[j]!));
    }
    let layerNormStd: number[] = [];
    if (layer.layerNorm) {
      const normalised = layerNorm(z);
      z = normalised.normalized;
      layerNormStd = normalised.inverseStd;
    }
    cache.phiInputs.push(z);
    cache.inverseStd.push(inverseStd);
    cache.layerNormStd.push(layerNormStd);
    const previous = a;
    a = z.map((row, b) => row.map((value, j) => phi(layer.activation, layer.param, value).value + (layer.residual !== false ? previous[b]![j]! : 0)));
    const post = layer.residual === 'post-norm' ? layerNorm(a) : null;
    cache.postNorm.push(post);
    if (post !== null) a = post.normalized;
    cache.outputs.push(a);
  }
  return { output: a, cache };
}

function referenceLoss(type: 'cross_entropy' | 'mse', output: Matrix, labels: number[], targets: Matrix): { loss: number; gradient: Matrix } {
  const rows = output.length;
  if (type === 'mse') {
    const gradient = output.map((row, b) => row.map((value, j) => (value - targets[b]![j]!) / rows));
    const loss = output.reduce((s, row, b) => s + row.reduce((t, value, j) => t + (value - targets[b]![j]!) ** 2, 0), 0) / (2 * rows);
    return { loss, gradient };
  }
  let loss = 0;
  const gradient = output.map((row, b) => {
    const largest = Math.max(...row);
    const total = row.reduce((s, value) => s + Math.exp(value - largest), 0);
    loss -= row[labels[b]!]! - largest - Math.log(total);
    return row.map((value, j) => (Math.exp(value - largest) / total - (j === labels[b] ? 1 : 0)) / rows);
  });
  return { loss: loss / rows, gradient };
}

interface Gradients {
  weights: Matrix[];
  biases: (number[] | null)[];
  params: (number | null)[];
}

function referenceBackward(layers: ReferenceLayer[], cache: Cache, outputGradient: Matrix): Gradients {
  const grads: Gradients = { weights: [], biases: [], params: [] };
  let g = outputGradient;
  for (let l = layers.length - 1; l >= 0; l -= 1) {
    const layer = layers[l]!;
    const zHat = cache.phiInputs[l]!;
    const rows = zHat.length;
    const post = cache.postNorm[l]!;
    if (post !== null) g = layerNormBack(g, post.normalized, post.inverseStd);
    const parts = zHat.map((row) => row.map((value) => phi(layer.activation, layer.param, value)));
    grads.params[l] = layer.param === null ? null : g.reduce((s, row, b) => s + row.reduce((t, value, j) => t + value * parts[b]![j]!.dParam, 0), 0);
    let delta = g.map((row, b) => row.map((value, j) => value * parts[b]![j]!.slope));
    if (layer.batchNorm) {
      const width = delta[0]!.length;
      const meanG = Array.from({ length: width }, (_, j) => delta.reduce((s, row) => s + row[j]!, 0) / rows);
      const meanGz = Array.from({ length: width }, (_, j) => delta.reduce((s, row, b) => s + row[j]! * zHat[b]![j]!, 0) / rows);
      delta = delta.map((row, b) => row.map((value, j) => cache.inverseStd[l]![j]! * (value - meanG[j]! - zHat[b]![j]! * meanGz[j]!)));
    }
    if (layer.layerNorm) delta = layerNormBack(delta, zHat, cache.layerNormStd[l]!);
    grads.weights[l] = matmul(transpose(cache.inputs[l]!), delta);
    grads.biases[l] = layer.biases === null ? null : delta[0]!.map((_, j) => delta.reduce((s, row) => s + row[j]!, 0));
    let back = matmul(delta, transpose(layer.weights));
    const pre = cache.preNorm[l]!;
    if (pre !== null) back = layerNormBack(back, pre.normalized, pre.inverseStd);
    g = layer.residual !== false ? back.map((row, b) => row.map((value, j) => value + g[b]![j]!)) : back;
  }
  return grads;
}

/** Every trained tensor as a flat list of (get, set, gradient) cells, layer by layer: W, b, activation parameter. */
function cellsOf(layers: ReferenceLayer[], grads: Gradients): { value: () => number; set: (v: number) => void; grad: number; key: string }[] {
  const cells: { value: () => number; set: (v: number) => void; grad: number; key: string }[] = [];
  layers.forEach((layer, l) => {
    layer.weights.forEach((row, i) => row.forEach((_, j) => cells.push({ key: `W${l}.${i}.${j}`, value: () => row[j]!, set: (v) => (row[j] = v), grad: grads.weights[l]![i]![j]! })));
    layer.biases?.forEach((_, j) => cells.push({ key: `b${l}.${j}`, value: () => layer.biases![j]!, set: (v) => (layer.biases![j] = v), grad: grads.biases[l]![j]! }));
    if (layer.param !== null) cells.push({ key: `p${l}`, value: () => layer.param!, set: (v) => (layer.param = v), grad: grads.params[l]! });
  });
  return cells;
}

interface ReferenceRun {
  losses: number[];
  gradientNorms: number[][];
  layers: ReferenceLayer[];
}

function referenceTraining(
  initial: ReferenceLayer[],
  x: Matrix,
  labels: number[],
  targets: Matrix,
  options: { loss: 'cross_entropy' | 'mse'; optimizer: OptimizerSpec; maxNorm: number | null; steps: number; batchSize: number },
): ReferenceRun {
  const layers: ReferenceLayer[] = structuredClone(initial);
  const state = new Map<string, { buffer?: number; m: number; v: number }>();
  const losses = [referenceLoss(options.loss, referenceForward(layers, x, false).output, labels, targets).loss];
  const gradientNorms: number[][] = [];
  const { type, learningRate: lr, momentum: mu, beta1, beta2, epsilon, weightDecay: decay } = options.optimizer;
  for (let step = 0; step < options.steps; step += 1) {
    const rows = Array.from({ length: options.batchSize }, (_, j) => (step * options.batchSize + j) % x.length);
    const { output, cache } = referenceForward(layers, rows.map((r) => x[r]!), true);
    const { gradient } = referenceLoss(options.loss, output, rows.map((r) => labels[r]!), rows.map((r) => targets[r]!));
    const grads = referenceBackward(layers, cache, gradient);
    gradientNorms.push(grads.weights.map((w) => Math.sqrt(w.flat().reduce((s, v) => s + v * v, 0))));
    const cells = cellsOf(layers, grads);
    if (options.maxNorm !== null) {
      const norm = Math.sqrt(cells.reduce((s, cell) => s + cell.grad ** 2, 0));
      const coefficient = Math.min(1, options.maxNorm / (norm + 1e-6));
      for (const cell of cells) cell.grad *= coefficient;
    }
    const t = step + 1;
    for (const cell of cells) {
      const g = cell.grad + decay * cell.value();
      const s = state.get(cell.key) ?? { m: 0, v: 0 };
      state.set(cell.key, s);
      if (type === 'sgd') cell.set(cell.value() - lr * g);
      else if (type === 'momentum' || type === 'nesterov') {
        s.buffer = s.buffer === undefined ? g : mu * s.buffer + g;
        cell.set(cell.value() - lr * (type === 'nesterov' ? g + mu * s.buffer : s.buffer));
      } else {
        s.m = beta1 * s.m + (1 - beta1) * g;
        s.v = beta2 * s.v + (1 - beta2) * g * g;
        cell.set(cell.value() - ((lr / (1 - beta1 ** t)) * s.m) / (Math.sqrt(s.v) / Math.sqrt(1 - beta2 ** t) + epsilon));
      }
    }
    losses.push(referenceLoss(options.loss, referenceForward(layers, x, false).output, labels, targets).loss);
  }
  return { losses, gradientNorms, layers };
}

// ------------------------------------------------------------------ fixtures

/** Deterministic pseudo-random numbers for the fixtures (a small LCG; nothing to do with the service's generator). */
function fixtureNumbers(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648 - 0.5;
  };
}
const next = fixtureNumbers(7);
const matrix = (rows: number, columns: number, scale: number): Matrix => Array.from({ length: rows }, () => Array.from({ length: columns }, () => scale * next()));

const X = matrix(10, 3, 2);
const LABELS = [0, 1, 2, 1, 0, 2, 2, 1, 0, 1];
const TARGETS = matrix(10, 2, 1);

type Architecture = 'batch norm' | 'layer norm' | 'post-norm' | 'pre-norm';

function referenceLayers(head: number, hiddenActivation: ActivationName, param: number | null, architecture: Architecture = 'batch norm'): ReferenceLayer[] {
  const layer = (weights: Matrix, biases: number[] | null, activation: ReferenceLayer['activation'], p: number | null, batchNorm = false, residual: ReferenceLayer['residual'] = false, layerNormed = false): ReferenceLayer => ({
    weights,
    biases,
    activation,
    param: p,
    batchNorm,
    layerNorm: layerNormed,
    residual,
    runningMean: new Array<number>(weights[0]!.length).fill(0),
    runningVariance: new Array<number>(weights[0]!.length).fill(1),
  });
  return [
    layer(matrix(3, 4, 1.2), matrix(1, 4, 0.4)[0]!, 'prelu', 0.25),
    architecture === 'batch norm'
      ? layer(matrix(4, 4, 1.2), null, hiddenActivation, param, true, true)
      : architecture === 'layer norm'
        ? layer(matrix(4, 4, 1.2), matrix(1, 4, 0.4)[0]!, hiddenActivation, param, false, true, true)
        : layer(matrix(4, 4, 1.2), matrix(1, 4, 0.4)[0]!, hiddenActivation, param, false, architecture),
    layer(matrix(4, head, 1.2), matrix(1, head, 0.4)[0]!, 'identity', null),
  ];
}

function specOf(layers: ReferenceLayer[], loss: 'cross_entropy' | 'mse', optimizer: OptimizerSpec, maxNorm: number | null, steps: number, batchSize: number): TrainingSpec {
  const data: TrainingData = {
    name: 'explicit',
    inputWidth: 3,
    classes: loss === 'cross_entropy' ? 3 : null,
    targetWidth: loss === 'mse' ? 2 : null,
    train: { count: 10, inputs: Float64Array.from(X.flat()), labels: loss === 'cross_entropy' ? Int32Array.from(LABELS) : null, targets: loss === 'mse' ? Float64Array.from(TARGETS.flat()) : null },
    test: null,
  };
  return {
    data,
    runs: [
      {
        label: 'exact',
        layers: layers.map((layer) => ({
          width: layer.weights[0]!.length,
          activation: resolveActivation(layer.activation, layer.activation === 'prelu' ? { alpha: layer.param } : layer.activation === 'swish' ? { beta: layer.param } : {}),
          init: { scheme: 'xavier_normal' },
          bias: layer.biases !== null,
          batchNorm: layer.batchNorm,
          layerNorm: layer.layerNorm,
          residual: layer.residual !== false,
          ...(typeof layer.residual === 'string' ? { residualNorm: layer.residual } : {}),
          weights: layer.weights,
          ...(layer.biases === null ? {} : { biases: layer.biases }),
        })),
        optimizer,
      },
    ],
    loss,
    maxGradientNorm: maxNorm,
    steps,
    batchSize,
    shuffle: false,
    evaluateEvery: 1,
    seed: 1,
    precision: 'float64',
    returnWeights: true,
  };
}

const relativeError = (a: number, b: number): number => Math.abs(a - b) / Math.max(Math.abs(b), 1e-12);
const optimizerOf = (type: OptimizerSpec['type'], learningRate: number): OptimizerSpec => ({ type, learningRate, momentum: 0.9, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0.01 });

const cases: { name: string; loss: 'cross_entropy' | 'mse'; optimizer: OptimizerSpec; hidden: ActivationName; param: number | null; maxNorm: number | null; architecture?: Architecture }[] = [
  { name: 'adam, cross-entropy, swish, layer norm and a skip', loss: 'cross_entropy', optimizer: optimizerOf('adam', 0.02), hidden: 'swish', param: 1.1, maxNorm: null, architecture: 'layer norm' },
  { name: 'momentum, mse, tanh, a post-norm block', loss: 'mse', optimizer: optimizerOf('momentum', 0.05), hidden: 'tanh', param: null, maxNorm: null, architecture: 'post-norm' },
  { name: 'nesterov, cross-entropy, swish, a pre-norm block, clipping', loss: 'cross_entropy', optimizer: optimizerOf('nesterov', 0.1), hidden: 'swish', param: 0.9, maxNorm: 0.5, architecture: 'pre-norm' },
  { name: 'adam, cross-entropy, PReLU and swish, batch norm, a skip, clipping', loss: 'cross_entropy', optimizer: optimizerOf('adam', 0.02), hidden: 'swish', param: 1.3, maxNorm: 0.8 },
  { name: 'sgd, cross-entropy, tanh', loss: 'cross_entropy', optimizer: optimizerOf('sgd', 0.2), hidden: 'tanh', param: null, maxNorm: null },
  { name: 'momentum, mse, swish', loss: 'mse', optimizer: optimizerOf('momentum', 0.05), hidden: 'swish', param: 0.7, maxNorm: null },
  { name: 'nesterov, mse, tanh, clipping', loss: 'mse', optimizer: optimizerOf('nesterov', 0.05), hidden: 'tanh', param: null, maxNorm: 0.3 },
];

describe('train (float64, explicit weights and data, no shuffling)', () => {
  for (const testCase of cases) {
    it(`follows an independent float64 reference step by step to 1e-12: ${testCase.name}`, () => {
      const initial = referenceLayers(testCase.loss === 'mse' ? 2 : 3, testCase.hidden, testCase.param, testCase.architecture);
      const steps = 6;
      const reference = referenceTraining(initial, X, LABELS, TARGETS, { loss: testCase.loss, optimizer: testCase.optimizer, maxNorm: testCase.maxNorm, steps, batchSize: 4 });
      const result = train(specOf(initial, testCase.loss, testCase.optimizer, testCase.maxNorm, steps, 4));
      const run = result.runs[0]!;
      expect(run.divergedAtStep).toBeNull();
      expect(run.history.map((entry) => entry.step)).toEqual([0, 1, 2, 3, 4, 5, 6]);
      let largest = 0;
      run.history.forEach((entry, index) => {
        largest = Math.max(largest, relativeError(entry.trainLoss, reference.losses[index]!));
        // The entry at step s > 0 holds the gradient of update s; at 0 that of the first batch.
        const norms = reference.gradientNorms[Math.max(0, index - 1)]!;
        entry.layers.forEach((layer, l) => (largest = Math.max(largest, relativeError(layer.gradientNorm, norms[l]!))));
      });
      run.weights!.forEach((layer, l) => {
        const expected = reference.layers[l]!;
        layer.weights.flat().forEach((value, i) => (largest = Math.max(largest, relativeError(value, expected.weights.flat()[i]!))));
        layer.biases?.forEach((value, j) => (largest = Math.max(largest, relativeError(value, expected.biases![j]!))));
        const learned = Object.values(layer.params)[0];
        if (expected.param !== null) largest = Math.max(largest, relativeError(learned!, expected.param));
      });
      expect(largest).toBeLessThan(1e-12);
    });
  }

  it('learns PReLU\'s α: it moves from 0.25 and is reported in every entry', () => {
    const initial = referenceLayers(3, 'tanh', null);
    const result = train(specOf(initial, 'cross_entropy', optimizerOf('sgd', 0.5), null, 6, 4));
    const alphas = result.runs[0]!.history.map((entry) => entry.layers[0]!.params['alpha']);
    expect(alphas[0]).toBe(0.25);
    expect(new Set(alphas).size).toBeGreaterThan(1);
  });
});
