/**
 * The feed-forward simulator. Exact checks first: small explicit float64 networks whose every
 * reported gradient norm is compared with central finite differences of an independent float64
 * forward pass written here from the spec (perturbing weights, biases, pre-activations and layer
 * outputs). Then statistical checks on random float32 networks with wide margins, the log-scale
 * bookkeeping at depths where plain numbers underflow, reproducibility and errors.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveActivation } from '../../src/activations/resolve.js';
import { initLinalg } from '../../src/linalg/matmul.js';
import { NetworkShapeError, SimulationOverflowError } from '../../src/simulation/errors.js';
import {
  estimateFeedforwardCost,
  type FeedforwardResult,
  type FeedforwardSpec,
  simulateFeedforward,
  trialSeed,
} from '../../src/simulation/feedforward/index.js';
import type { FeedforwardLayerSpec } from '../../src/simulation/network.js';
import { createRandom } from '../../src/random.js';
import type { InitScheme } from '../../src/simulation/init.js';

beforeAll(async () => {
  await initLinalg();
});

/** Deterministic numbers in [−1, 1) from the service's seeded generator, for explicit weights and inputs. */
function numbers(seed: number): () => number {
  const { uniform } = createRandom(seed);
  return () => 2 * uniform() - 1;
}

function matrix(rows: number, columns: number, next: () => number, scale = 1): number[][] {
  return Array.from({ length: rows }, () => Array.from({ length: columns }, () => scale * next()));
}

interface ExplicitLayer {
  width: number;
  activation: string;
  params?: Record<string, number>;
  bias?: boolean;
  batchNorm?: boolean;
  residual?: boolean;
}

/** An explicit network: weights ~ U(−1, 1)/√fanIn·gain, biases U(−0.5, 0.5) where present. */
function explicitSpec(
  inputSize: number,
  layers: ExplicitLayer[],
  options: { batch: number; loss: 'mse' | 'sum'; seed: number; gain?: number; inputScale?: number },
): FeedforwardSpec {
  const next = numbers(options.seed);
  let fanIn = inputSize;
  const specLayers = layers.map((layer): FeedforwardLayerSpec => {
    const weights = matrix(fanIn, layer.width, next, (options.gain ?? 1.5) / Math.sqrt(fanIn));
    fanIn = layer.width;
    const bias = layer.bias ?? false;
    return {
      width: layer.width,
      activation: resolveActivation(layer.activation, layer.params ?? {}),
      init: { scheme: 'xavier_normal' },
      bias,
      batchNorm: layer.batchNorm ?? false,
      residual: layer.residual ?? false,
      weights,
      ...(bias ? { biases: Array.from({ length: layer.width }, () => 0.5 * next()) } : {}),
    };
  });
  return {
    inputSize,
    layers: specLayers,
    input: { values: matrix(options.batch, inputSize, next, options.inputScale ?? 1.5) },
    loss: options.loss === 'mse' ? { type: 'mse', targets: matrix(options.batch, fanIn, next) } : { type: 'sum' },
    trials: 1,
    seed: 7,
    precision: 'float64',
  };
}

// ------------------------------------------------------------ independent reference (float64)

interface Network {
  x: number[][];
  weights: number[][][];
  biases: (number[] | null)[];
  layers: readonly FeedforwardLayerSpec[];
  loss: FeedforwardSpec['loss'];
}

type Hook = (layer: number, values: number[][]) => void;

interface Trace {
  loss: number;
  /** z^l before batch norm, per layer (0-based). */
  preactivations: number[][][];
  /** What φ saw (ẑ under batch norm). */
  activationInputs: number[][][];
}

function networkOf(spec: FeedforwardSpec): Network {
  if (!('values' in spec.input)) throw new Error('explicit input expected');
  return {
    x: spec.input.values.map((row) => [...row]),
    weights: spec.layers.map((layer) => (layer.weights ?? []).map((row) => [...row])),
    biases: spec.layers.map((layer) => (layer.bias ? [...(layer.biases ?? new Array<number>(layer.width).fill(0))] : null)),
    layers: spec.layers,
    loss: spec.loss,
  };
}

/** The spec's forward pass and loss, literally; hooks may perturb z^l (before batch norm) and a^l. */
function referenceForward(network: Network, hooks: { z?: Hook; a?: Hook } = {}): Trace {
  let a = network.x.map((row) => [...row]);
  const batch = a.length;
  const preactivations: number[][][] = [];
  const activationInputs: number[][][] = [];
  network.layers.forEach((layer, l) => {
    const w = network.weights[l] as number[][];
    const b = network.biases[l];
    const z = a.map((row) =>
      Array.from({ length: layer.width }, (_, j) => row.reduce((sum, value, i) => sum + value * (w[i]?.[j] as number), 0) + (b?.[j] ?? 0)),
    );
    hooks.z?.(l, z);
    preactivations.push(z.map((row) => [...row]));
    let input = z;
    if (layer.batchNorm) {
      input = z.map((row) => [...row]);
      for (let j = 0; j < layer.width; j += 1) {
        const column = z.map((row) => row[j] as number);
        const mean = column.reduce((s, v) => s + v, 0) / batch;
        const variance = column.reduce((s, v) => s + (v - mean) ** 2, 0) / batch;
        input.forEach((row, r) => (row[j] = ((column[r] as number) - mean) / Math.sqrt(variance + 1e-5)));
      }
    }
    activationInputs.push(input);
    const kernel = layer.activation.record.kernel(layer.activation.params, { mode: 'eval', count: batch * layer.width, uniform: Math.random });
    const next = input.map((row, r) => row.map((value, j) => kernel.value(value, r * layer.width + j) + (layer.residual ? (a[r]?.[j] as number) : 0)));
    hooks.a?.(l, next);
    a = next;
  });
  let loss = 0;
  if (network.loss.type === 'mse') {
    const targets = network.loss.targets as number[][];
    a.forEach((row, r) => row.forEach((value, j) => (loss += (value - (targets[r]?.[j] as number)) ** 2)));
    loss /= 2 * batch;
  } else {
    a.forEach((row) => row.forEach((value) => (loss += value)));
    loss /= batch;
  }
  return { loss, preactivations, activationInputs };
}

/** dL/dθ by Richardson-extrapolated central differences, θ set through `perturb(h)` (h = 0 restores). */
function finiteDifference(perturb: (h: number) => number): number {
  const step = 1e-3;
  const central = (h: number): number => (perturb(h) - perturb(-h)) / (2 * h);
  return (4 * central(step / 2) - central(step)) / 3;
}

const norm = (values: number[]): number => Math.sqrt(values.reduce((sum, value) => sum + value * value, 0));

/** ‖∂L/∂·‖ per layer from finite differences, for the four reported gradients. */
function finiteDifferenceNorms(network: Network) {
  return network.layers.map((layer, l) => {
    const weightGradient: number[] = [];
    const w = network.weights[l] as number[][];
    w.forEach((row, i) =>
      row.forEach((_, j) => {
        const original = row[j] as number;
        weightGradient.push(
          finiteDifference((h) => {
            row[j] = original + h;
            const loss = referenceForward(network).loss;
            row[j] = original;
            return loss;
          }),
        );
        void i;
      }),
    );
    const biasGradient: number[] = [];
    const b = network.biases[l];
    b?.forEach((original, j) => {
      biasGradient.push(
        finiteDifference((h) => {
          b[j] = original + h;
          const loss = referenceForward(network).loss;
          b[j] = original;
          return loss;
        }),
      );
    });
    const elementGradient = (where: 'z' | 'a'): number[] => {
      const batch = network.x.length;
      const gradient: number[] = [];
      for (let r = 0; r < batch; r += 1) {
        for (let j = 0; j < layer.width; j += 1) {
          gradient.push(
            finiteDifference(
              (h) =>
                referenceForward(network, {
                  [where]: (at: number, values: number[][]) => {
                    if (at === l) (values[r] as number[])[j] = ((values[r] as number[])[j] as number) + h;
                  },
                }).loss,
            ),
          );
        }
      }
      return gradient;
    };
    return {
      weightNorm: norm(weightGradient),
      biasNorm: b === null ? null : norm(biasGradient),
      preactivationNorm: norm(elementGradient('z')),
      outputNorm: norm(elementGradient('a')),
    };
  });
}

const relativeError = (actual: number, expected: number): number => Math.abs(actual - expected) / Math.max(Math.abs(expected), 1e-300);

let largestRelativeError = 0;

/** Runs the simulator and the finite differences and compares every gradient norm of every layer. */
function expectGradientsMatchFiniteDifferences(spec: FeedforwardSpec, kinks: number[] = []): FeedforwardResult {
  const result = simulateFeedforward(spec);
  const network = networkOf(spec);
  const trace = referenceForward(network);
  expect(relativeError(result.loss, trace.loss)).toBeLessThan(1e-12);
  // A kink inside the finite-difference stencil would spoil the reference, not the simulator.
  const inputs = trace.activationInputs.flat(2);
  for (const kink of kinks) {
    for (const value of inputs) expect(Math.abs(value - kink)).toBeGreaterThan(0.02);
    // …and the kink is crossed: both branches are exercised.
    expect(inputs.some((value) => value < kink) && inputs.some((value) => value > kink)).toBe(true);
  }
  const expected = finiteDifferenceNorms(network);
  result.layers.forEach((layer, l) => {
    const reference = expected[l] as (typeof expected)[number];
    const pairs: [number | null, number | null][] = [
      [layer.gradient.weightNorm, reference.weightNorm],
      [layer.gradient.preactivationNorm, reference.preactivationNorm],
      [layer.gradient.outputNorm, reference.outputNorm],
    ];
    if (spec.layers[l]?.batchNorm === true || reference.biasNorm === null) expect(layer.gradient.biasNorm).toBeNull();
    else pairs.push([layer.gradient.biasNorm, reference.biasNorm]);
    for (const [actual, wanted] of pairs) {
      expect(actual).not.toBeNull();
      const error = relativeError(actual as number, wanted as number);
      largestRelativeError = Math.max(largestRelativeError, error);
      expect(error, `layer ${l + 1}: ${actual} vs ${wanted}`).toBeLessThan(1e-6);
    }
    expect(layer.gradient.log10WeightNorm).toBeCloseTo(Math.log10(reference.weightNorm), 10);
  });
  return result;
}

describe('simulateFeedforward on explicit float64 networks', () => {
  it('matches finite differences for a plain tanh network with the mse loss', () => {
    expectGradientsMatchFiniteDifferences(
      explicitSpec(4, [{ width: 5, activation: 'tanh' }, { width: 3, activation: 'tanh' }, { width: 2, activation: 'tanh' }], {
        batch: 3,
        loss: 'mse',
        seed: 1,
      }),
    );
  });

  it('matches finite differences with biases (sigmoid, softplus, gelu)', () => {
    expectGradientsMatchFiniteDifferences(
      explicitSpec(
        3,
        [
          { width: 4, activation: 'sigmoid', bias: true },
          { width: 4, activation: 'softplus', bias: true },
          { width: 2, activation: 'gelu', bias: true },
        ],
        { batch: 4, loss: 'mse', seed: 2 },
      ),
    );
  });

  it('matches finite differences through batch normalisation, gradient through the batch statistics', () => {
    const result = expectGradientsMatchFiniteDifferences(
      explicitSpec(
        3,
        [
          { width: 4, activation: 'tanh', batchNorm: true, bias: true },
          { width: 3, activation: 'elu', batchNorm: true },
          { width: 2, activation: 'sigmoid' },
        ],
        { batch: 5, loss: 'mse', seed: 3 },
      ),
    );
    expect(result.layers[0]?.gradient.biasNorm).toBeNull();
    expect(result.layers[0]?.gradient.log10BiasNorm).toBeNull();
  });

  it('matches finite differences with residual connections', () => {
    expectGradientsMatchFiniteDifferences(
      explicitSpec(
        3,
        [
          { width: 3, activation: 'tanh', residual: true, bias: true },
          { width: 3, activation: 'silu', residual: true, batchNorm: true },
          { width: 3, activation: 'softsign', residual: true },
          { width: 2, activation: 'tanh' },
        ],
        { batch: 4, loss: 'mse', seed: 4 },
      ),
    );
  });

  it('matches finite differences with the sum loss', () => {
    expectGradientsMatchFiniteDifferences(
      explicitSpec(
        4,
        [
          { width: 3, activation: 'mish', bias: true },
          { width: 3, activation: 'selu', batchNorm: true },
          { width: 2, activation: 'sigmoid', bias: true },
        ],
        { batch: 3, loss: 'sum', seed: 1 },
      ),
    );
  });

  it('matches finite differences for activations with kinks away from the sample points', () => {
    // Inputs are checked to stay 0.02 away from every kink (0 for relu/leaky_relu, ±1 for hardtanh).
    expectGradientsMatchFiniteDifferences(
      explicitSpec(
        3,
        [
          { width: 4, activation: 'leaky_relu', params: { negativeSlope: 0.1 }, bias: true },
          { width: 4, activation: 'hardtanh' },
          { width: 3, activation: 'relu', bias: true },
        ],
        { batch: 3, loss: 'mse', seed: 17, gain: 2 },
      ),
      [0, -1, 1],
    );
  });

  it('stays within 1e−9 of the finite differences across all the networks above (measured: ~6e−11)', () => {
    expect(largestRelativeError).toBeGreaterThan(0);
    expect(largestRelativeError).toBeLessThan(1e-9);
  });

  it('agrees with its float32 engine path to float32 accuracy', () => {
    const spec = explicitSpec(
      8,
      [
        { width: 8, activation: 'tanh', bias: true },
        { width: 8, activation: 'sigmoid', batchNorm: true },
        { width: 8, activation: 'elu', residual: true },
      ],
      { batch: 6, loss: 'mse', seed: 8 },
    );
    const exact = simulateFeedforward(spec);
    const single = simulateFeedforward({ ...spec, precision: 'float32' });
    expect(single.precision).toBe('float32');
    exact.layers.forEach((layer, l) => {
      const other = single.layers[l];
      for (const key of ['weightNorm', 'preactivationNorm', 'outputNorm'] as const) {
        expect(relativeError(other?.gradient[key] as number, layer.gradient[key] as number)).toBeLessThan(1e-4);
      }
      expect(Math.abs((other?.output.mean as number) - layer.output.mean)).toBeLessThan(1e-5);
    });
  });

  it('computes a weight gradient beyond the float32 range by rescaling the layer input', () => {
    // ∂L/∂W = Σ_b x_b / B = 2e38 for the sum loss, but the float32 product Σ_b x_b·δ_b overflows.
    const spec: FeedforwardSpec = {
      inputSize: 1,
      layers: [{ width: 1, activation: resolveActivation('identity'), init: { scheme: 'zeros' }, bias: false, batchNorm: false, residual: false, weights: [[1]] }],
      input: { values: [[2e38], [2e38], [3e38], [1e38]] },
      loss: { type: 'sum' },
      trials: 2,
      seed: 1,
      precision: 'float32',
    };
    const result = simulateFeedforward(spec);
    expect(relativeError(result.layers[0]?.gradient.weightNorm as number, 2e38)).toBeLessThan(1e-6);
    // Both trials saw the same, intact input.
    expect(result.layers[0]?.spread?.log10WeightNorm.std).toBe(0);
  });

  it('reports the statistics of z and a, dead units and saturated units', () => {
    const spec = explicitSpec(2, [{ width: 3, activation: 'relu' }], { batch: 2, loss: 'sum', seed: 9 });
    const result = simulateFeedforward(spec);
    const trace = referenceForward(networkOf(spec));
    const z = (trace.preactivations[0] as number[][]).flat();
    const a = z.map((value) => Math.max(0, value));
    const mean = (values: number[]): number => values.reduce((s, v) => s + v, 0) / values.length;
    const std = (values: number[]): number => Math.sqrt(mean(values.map((v) => (v - mean(values)) ** 2)));
    const layer = result.layers[0];
    expect(layer?.preactivation.mean).toBeCloseTo(mean(z), 14);
    expect(layer?.preactivation.std).toBeCloseTo(std(z), 14);
    expect(layer?.output.mean).toBeCloseTo(mean(a), 14);
    expect(layer?.output.std).toBeCloseTo(std(a), 14);
    expect(layer?.output.fractionZero).toBe(a.filter((v) => v === 0).length / a.length);
    // relu′ = 0 below 0: every dead unit is also saturated.
    expect(layer?.output.fractionSaturated).toBe(z.filter((v) => v <= 0).length / z.length);
  });
});

// ------------------------------------------------------------ random networks

function randomSpec(
  activation: string,
  scheme: InitScheme,
  depth: number,
  width: number,
  options: Partial<Pick<FeedforwardSpec, 'trials' | 'seed' | 'precision'>> & { batch?: number; loss?: 'mse' | 'sum' } = {},
): FeedforwardSpec {
  return {
    inputSize: width,
    layers: Array.from({ length: depth }, () => ({
      width,
      activation: resolveActivation(activation),
      init: { scheme },
      bias: false,
      batchNorm: false,
      residual: false,
    })),
    input: { batchSize: options.batch ?? 16, distribution: 'normal', scale: 1 },
    loss: { type: options.loss ?? 'mse' },
    trials: options.trials ?? 1,
    seed: options.seed ?? 1,
    ...(options.precision === undefined ? {} : { precision: options.precision }),
  };
}

describe('simulateFeedforward on random networks', () => {
  it('keeps the weight-gradient norm of a ReLU network with He initialisation within a factor 2 over 50 layers', () => {
    const result = simulateFeedforward(randomSpec('relu', 'he_normal', 50, 256, { batch: 32, trials: 3 }));
    expect(Math.abs(result.summary.log10GradientRatio as number)).toBeLessThan(Math.log10(2));
    expect(result.summary.verdict).toBe('stable');
    expect(result.layers[0]?.spread?.log10WeightNorm.std).toBeGreaterThan(0);
  });

  it('finds vanishing gradients in a sigmoid network with Xavier initialisation at depth 30', () => {
    const result = simulateFeedforward(randomSpec('sigmoid', 'xavier_normal', 30, 64));
    expect(result.summary.log10GradientRatio as number).toBeLessThan(-3);
    expect(result.summary.meanLog10GainPerLayer as number).toBeLessThan(-0.1);
    expect(result.summary.verdict).toBe('vanishing');
  });

  it('finds exploding gradients in a tanh network with a large gain', () => {
    const spec = randomSpec('tanh', 'orthogonal', 30, 64);
    const result = simulateFeedforward({ ...spec, layers: spec.layers.map((layer) => ({ ...layer, init: { scheme: 'orthogonal', gain: 4 } })) });
    expect(result.summary.verdict).toBe('exploding');
  });

  it.each([
    [1000, 'float32' as const],
    [600, 'float64' as const],
  ])('reports finite log10 figures far below 0 for a %i-layer sigmoid network (%s)', (depth, precision) => {
    const result = simulateFeedforward(randomSpec('sigmoid', 'xavier_normal', depth, 16, { batch: 8, precision }));
    const first = result.layers[0]?.gradient;
    expect(first?.log10WeightNorm as number).toBeLessThan(-0.5 * depth * 0.4);
    expect(first?.log10WeightNorm as number).toBeGreaterThan(-depth);
    for (const layer of result.layers) {
      for (const [key, value] of Object.entries(layer.gradient)) {
        if (key === 'biasNorm' || key === 'log10BiasNorm') {
          expect(value).toBeNull();
        } else if (key.startsWith('log10')) {
          expect(Number.isFinite(value), `layer ${layer.index} ${key}`).toBe(true);
        } else {
          expect(value as number).toBeGreaterThanOrEqual(0);
        }
      }
    }
    expect(first?.weightNorm).toBe(0);
    expect(result.summary.log10GradientRatio as number).toBeLessThan(-100);
    // Survives JSON unchanged: no NaN or ±Infinity anywhere.
    expect(JSON.parse(JSON.stringify(result))).toEqual(result);
  });

  it('reports exactly zero gradients as 0 with null log10 figures', () => {
    const result = simulateFeedforward(randomSpec('relu', 'zeros', 3, 8));
    for (const layer of result.layers) {
      expect(layer.output.fractionZero).toBe(1);
      expect(layer.gradient.weightNorm).toBe(0);
      expect(layer.gradient.log10WeightNorm).toBeNull();
    }
    expect(result.summary.log10GradientRatio).toBeNull();
    expect(result.summary.verdict).toBe('vanishing');
  });

  it('gives bit-identical results for the same seed and different ones for another seed', () => {
    const spec = randomSpec('tanh', 'xavier_uniform', 6, 32, { trials: 2 });
    const once = JSON.stringify(simulateFeedforward(spec));
    expect(JSON.stringify(simulateFeedforward(spec))).toBe(once);
    expect(JSON.stringify(simulateFeedforward({ ...spec, seed: 2 }))).not.toBe(once);
  });

  it('averages independent trials drawn from the derived trial seeds', () => {
    const spec = randomSpec('tanh', 'he_uniform', 4, 16, { trials: 3, seed: 11 });
    const combined = simulateFeedforward(spec);
    const single = [0, 1, 2].map((t) => simulateFeedforward({ ...spec, trials: 1, seed: trialSeed(11, t) }));
    const logs = single.map((result) => result.layers[1]?.gradient.log10WeightNorm as number);
    const mean = logs.reduce((s, v) => s + v, 0) / 3;
    expect(combined.layers[1]?.gradient.log10WeightNorm).toBeCloseTo(mean, 12);
    expect(combined.layers[1]?.spread?.log10WeightNorm.min).toBe(Math.min(...logs));
    expect(combined.layers[1]?.spread?.log10WeightNorm.max).toBe(Math.max(...logs));
    expect(combined.loss).toBeCloseTo(single.reduce((s, r) => s + r.loss, 0) / 3, 12);
    expect(combined.summary.spread?.log10GradientRatio.std).toBeGreaterThan(0);
    expect(single[0]?.layers[0]?.spread).toBeUndefined();
  });

  it('throws SimulationOverflowError naming the layer when float32 activations overflow', () => {
    const spec = randomSpec('relu', 'normal', 40, 64);
    const huge = { ...spec, layers: spec.layers.map((layer) => ({ ...layer, init: { scheme: 'normal' as const, std: 100 } })) };
    expect(() => simulateFeedforward(huge)).toThrow(SimulationOverflowError);
    expect(() => simulateFeedforward(huge)).toThrow(/layer \d+: the activations overflow float32/);
  });
});

describe('simulateFeedforward shape errors', () => {
  const base = (): FeedforwardSpec =>
    explicitSpec(3, [{ width: 4, activation: 'tanh', bias: true }, { width: 4, activation: 'tanh' }], { batch: 2, loss: 'mse', seed: 1 });

  const cases: [string, (spec: FeedforwardSpec) => FeedforwardSpec, RegExp][] = [
    ['weights with the wrong number of rows', (s) => withLayer(s, 1, { weights: matrix(3, 4, numbers(1)) }), /^layer 2: weights must have 4 rows/],
    ['a weight row of the wrong length', (s) => withLayer(s, 0, { weights: [[1, 2, 3, 4], [1, 2, 3], [1, 2, 3, 4]] }), /^layer 1: weights row 2 must hold 4/],
    ['biases of the wrong length', (s) => withLayer(s, 0, { biases: [1, 2] }), /^layer 1: biases must hold 4/],
    ['a residual layer whose width differs from its input', (s) => withLayer(s, 0, { residual: true }), /^layer 1: residual needs width 3/],
    ['identity initialisation of a non-square layer', (s) => withLayer(s, 0, { weights: undefined, init: { scheme: 'identity' } }), /^layer 1: init identity/],
    ['targets of the wrong shape', (s) => ({ ...s, loss: { type: 'mse', targets: matrix(2, 3, numbers(2)) } }), /^loss\.targets: row 1 must hold 4/],
    ['input values of the wrong width', (s) => ({ ...s, input: { values: [[1, 2], [3, 4]] } }), /^input\.values: row 1 must hold 3/],
  ];

  it.each(cases)('rejects %s with a NetworkShapeError naming the layer and field', (_, change, message) => {
    const spec = change(base());
    expect(() => simulateFeedforward(spec)).toThrow(NetworkShapeError);
    expect(() => simulateFeedforward(spec)).toThrow(message);
    expect(() => estimateFeedforwardCost(spec)).toThrow(NetworkShapeError);
  });
});

function withLayer(spec: FeedforwardSpec, index: number, change: Partial<FeedforwardLayerSpec>): FeedforwardSpec {
  return { ...spec, layers: spec.layers.map((layer, l) => (l === index ? { ...layer, ...change } : layer)) };
}

describe('estimateFeedforwardCost', () => {
  it('counts the 3L − 1 products of every trial and the QR of orthogonal initialisation', () => {
    const spec = randomSpec('tanh', 'xavier_normal', 20, 512, { batch: 256 });
    const cost = estimateFeedforwardCost(spec);
    const products = 59 * 2 * 256 * 512 * 512;
    expect(cost.flops).toBeGreaterThan(products);
    expect(cost.flops).toBeLessThan(1.1 * products);
    expect(cost.precision).toBe('float32');
    expect(cost.productFlops + cost.initializationFlops).toBe(cost.flops);
    expect(cost.bytes).toBeGreaterThan(20 * 512 * 512 * 4);
    expect(estimateFeedforwardCost({ ...spec, trials: 3 }).flops).toBe(3 * cost.flops);
    const orthogonal = estimateFeedforwardCost(randomSpec('tanh', 'orthogonal', 20, 512, { batch: 256 }));
    expect(orthogonal.flops - cost.flops).toBeGreaterThan(20 * 512 ** 3);
  });
});
