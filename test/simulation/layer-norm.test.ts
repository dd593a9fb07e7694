/* eslint-disable @typescript-eslint/no-non-null-assertion -- the reference indexes plain arrays whose shapes the fixtures fix */
/**
 * Layer normalisation and normalised residual blocks in the feed-forward
 * simulator, against a float64 reference written here from the definitions
 * (/work/shared/spec/simulation.md, last section) on plain arrays: forward,
 * then the backward pass by hand, for every reported gradient norm.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveActivation } from '../../src/activations/resolve.js';
import { initLinalg } from '../../src/linalg/matmul.js';
import { simulateFeedforward, type FeedforwardSpec } from '../../src/simulation/feedforward/index.js';
import { NetworkShapeError } from '../../src/simulation/errors.js';
import { layerNorm, layerNormBack, type Matrix } from '../support/layer-norm-reference.js';

beforeAll(async () => {
  await initLinalg();
});

type Block = 'plain' | 'layerNorm' | 'post-norm' | 'pre-norm';
interface ReferenceLayer {
  weights: Matrix;
  biases: number[];
  activation: 'tanh' | 'relu' | 'identity';
  block: Block;
}

const phi = (name: ReferenceLayer['activation'], x: number): [number, number] =>
  name === 'tanh' ? [Math.tanh(x), 1 - Math.tanh(x) ** 2] : name === 'relu' ? [Math.max(0, x), x > 0 ? 1 : 0] : [x, 1];
const matmul = (a: Matrix, b: Matrix): Matrix => a.map((row) => b[0]!.map((_, j) => row.reduce((sum, value, k) => sum + value * b[k]![j]!, 0)));
const transpose = (a: Matrix): Matrix => a[0]!.map((_, j) => a.map((row) => row[j]!));
const norm = (a: Matrix): number => Math.sqrt(a.flat().reduce((sum, value) => sum + value * value, 0));

function reference(layers: ReferenceLayer[], x: Matrix, targets: Matrix) {
  const caches: { input: Matrix; pre?: ReturnType<typeof layerNorm>; zHat: Matrix; ln?: ReturnType<typeof layerNorm>; slopes: Matrix; post?: ReturnType<typeof layerNorm> }[] = [];
  let a = x;
  for (const layer of layers) {
    const pre = layer.block === 'pre-norm' ? layerNorm(a) : undefined;
    const z = matmul(pre?.normalized ?? a, layer.weights).map((row) => row.map((v, j) => v + layer.biases[j]!));
    const ln = layer.block === 'layerNorm' ? layerNorm(z) : undefined;
    const zHat = ln?.normalized ?? z;
    const parts = zHat.map((row) => row.map((v) => phi(layer.activation, v)));
    const skip = layer.block === 'post-norm' || layer.block === 'pre-norm';
    const sum = parts.map((row, b) => row.map(([value], j) => value + (skip ? a[b]![j]! : 0)));
    const post = layer.block === 'post-norm' ? layerNorm(sum) : undefined;
    caches.push({ input: a, ...(pre ? { pre } : {}), zHat, ...(ln ? { ln } : {}), slopes: parts.map((row) => row.map(([, slope]) => slope)), ...(post ? { post } : {}) });
    a = post?.normalized ?? sum;
  }
  const rows = x.length;
  const loss = a.reduce((s, row, b) => s + row.reduce((t, v, j) => t + (v - targets[b]![j]!) ** 2, 0), 0) / (2 * rows);
  let g: Matrix = a.map((row, b) => row.map((v, j) => (v - targets[b]![j]!) / rows));
  const figures: { outputNorm: number; preactivationNorm: number; weightNorm: number }[] = [];
  for (let l = layers.length - 1; l >= 0; l -= 1) {
    const layer = layers[l]!;
    const cache = caches[l]!;
    const outputNorm = norm(g);
    if (cache.post) g = layerNormBack(g, cache.post.normalized, cache.post.inverseStd);
    let delta = g.map((row, b) => row.map((v, j) => v * cache.slopes[b]![j]!));
    if (cache.ln) delta = layerNormBack(delta, cache.ln.normalized, cache.ln.inverseStd);
    const weightGradient = matmul(transpose(cache.pre?.normalized ?? cache.input), delta);
    figures.unshift({ outputNorm, preactivationNorm: norm(delta), weightNorm: norm(weightGradient) });
    let back = matmul(delta, transpose(layer.weights));
    if (cache.pre) back = layerNormBack(back, cache.pre.normalized, cache.pre.inverseStd);
    const skip = layer.block === 'post-norm' || layer.block === 'pre-norm';
    g = skip ? back.map((row, b) => row.map((v, j) => v + g[b]![j]!)) : back;
  }
  return { loss, figures };
}

function fixture(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648 - 0.5;
  };
}

function cases(blocks: Block[], activation: ReferenceLayer['activation']) {
  const next = fixture(11);
  const width = 5;
  const matrix = (rows: number, columns: number, scale: number): Matrix => Array.from({ length: rows }, () => Array.from({ length: columns }, () => scale * next()));
  const layers: ReferenceLayer[] = blocks.map((block) => ({ weights: matrix(width, width, 1.6), biases: matrix(1, width, 0.6)[0]!, activation, block }));
  const x = matrix(4, width, 2);
  const targets = matrix(4, width, 1);
  const spec: FeedforwardSpec = {
    inputSize: width,
    layers: layers.map((layer) => ({
      width,
      activation: resolveActivation(layer.activation),
      init: { scheme: 'xavier_normal' },
      bias: true,
      batchNorm: false,
      layerNorm: layer.block === 'layerNorm',
      residual: layer.block === 'post-norm' || layer.block === 'pre-norm',
      ...(layer.block === 'post-norm' || layer.block === 'pre-norm' ? { residualNorm: layer.block } : {}),
      weights: layer.weights,
      biases: layer.biases,
    })),
    input: { values: x },
    loss: { type: 'mse', targets },
    trials: 1,
    seed: 1,
    precision: 'float64',
  };
  return { spec, expected: reference(layers, x, targets) };
}

const relative = (a: number | null, b: number): number => Math.abs((a as number) - b) / Math.abs(b);

describe('layer norm and normalised residual blocks (float64, explicit weights)', () => {
  it.each([
    ['layer norm before tanh', ['layerNorm', 'layerNorm', 'plain'] as Block[], 'tanh' as const],
    ['post-norm blocks of relu', ['post-norm', 'post-norm', 'post-norm'] as Block[], 'relu' as const],
    ['pre-norm blocks of tanh', ['pre-norm', 'pre-norm', 'pre-norm'] as Block[], 'tanh' as const],
    ['a mixed stack', ['layerNorm', 'post-norm', 'pre-norm', 'plain'] as Block[], 'tanh' as const],
  ])('reports the loss and every gradient norm of %s as the reference does, to 1e-12', (_, blocks, activation) => {
    const { spec, expected } = cases(blocks, activation);
    const result = simulateFeedforward(spec);
    expect(relative(result.loss, expected.loss)).toBeLessThan(1e-12);
    result.layers.forEach((layer, l) => {
      const figures = expected.figures[l]!;
      expect(relative(layer.gradient.weightNorm, figures.weightNorm)).toBeLessThan(1e-12);
      expect(relative(layer.gradient.preactivationNorm, figures.preactivationNorm)).toBeLessThan(1e-12);
      expect(relative(layer.gradient.outputNorm, figures.outputNorm)).toBeLessThan(1e-12);
    });
  });

  it('refuses layer norm together with batch norm on one layer', () => {
    const { spec } = cases(['layerNorm'], 'tanh');
    const layer = spec.layers[0]!;
    expect(() => simulateFeedforward({ ...spec, layers: [{ ...layer, batchNorm: true }] })).toThrow(NetworkShapeError);
  });
});
