/**
 * The Jacobian spectrum. First exactness: singular values against an independent reference (a
 * literal forward pass, the Jacobian by central differences, ml-matrix's SVD), orthogonal linear
 * networks, float32 against float64. Then the known facts of dynamical isometry (Pennington,
 * Schoenholz & Ganguli 2017) on random networks, with margins measured over 12 seeds; the mean of
 * σ² against χ₁^L from mean-field theory; the bookkeeping beyond float64; errors and cost.
 */
import { Matrix, SingularValueDecomposition } from 'ml-matrix';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveActivation } from '../../src/activations/resolve.js';
import { initLinalg } from '../../src/linalg/matmul.js';
import type { Precision } from '../../src/simulation/arithmetic.js';
import { NetworkShapeError } from '../../src/simulation/errors.js';
import type { InitSpec } from '../../src/simulation/init.js';
import {
  estimateJacobianCost,
  FLOAT64_DEFAULT_MAX_FLOPS,
  type JacobianLayerSpec,
  type JacobianSpec,
  type JacobianSpectrum,
  jacobianSpectrum,
} from '../../src/simulation/jacobian/index.js';
import { singularValues } from '../../src/simulation/jacobian/singular-values.js';
import { meanField } from '../../src/theory/mean-field.js';
import { createRandom } from '../../src/random.js';

beforeAll(async () => {
  await initLinalg();
});

interface NetworkOptions {
  activation?: string;
  init?: InitSpec;
  biasStd?: number;
  variance?: number;
  seed?: number;
  precision?: Precision;
  everyLayer?: boolean;
}

/** depth square layers of `width` units. */
function network(width: number, depth: number, options: NetworkOptions = {}): JacobianSpec {
  const activation = resolveActivation(options.activation ?? 'identity');
  const biased = options.biasStd !== undefined;
  const layer: JacobianLayerSpec = {
    width,
    activation,
    init: options.init ?? { scheme: 'orthogonal' },
    bias: biased,
    ...(biased ? { biasStd: options.biasStd } : {}),
    batchNorm: false,
    residual: false,
  };
  return {
    inputSize: width,
    layers: Array.from({ length: depth }, () => layer),
    input: { variance: options.variance ?? 1 },
    seed: options.seed ?? 1,
    ...(options.precision === undefined ? {} : { precision: options.precision }),
    ...(options.everyLayer === undefined ? {} : { everyLayer: options.everyLayer }),
  };
}

const mean = (values: readonly number[]): number => values.reduce((sum, value) => sum + value, 0) / values.length;
const squared = (spectrum: JacobianSpectrum): { mean: number; variance: number; relativeVariance: number } => ({
  mean: spectrum.squaredSingularValues.mean as number,
  variance: spectrum.squaredSingularValues.variance as number,
  relativeVariance: spectrum.squaredSingularValues.relativeVariance as number,
});

/** Deterministic numbers in [−1, 1) from the service's one seeded generator. */
function numbers(seed: number): () => number {
  const { uniform } = createRandom(seed);
  return () => 2 * uniform() - 1;
}

function mlSingularValues(rows: number[][]): number[] {
  return new SingularValueDecomposition(new Matrix(rows), {
    computeLeftSingularVectors: false,
    computeRightSingularVectors: false,
    autoTranspose: true,
  }).diagonal;
}

/** tanh's q* and χ₁ from mean-field theory (src/theory), the fixed point being unique for σ_b² > 0. */
function tanhCriticality(weightVariance: number, biasVariance: number): { fixedPoint: number; chi: number } {
  const theory = meanField(resolveActivation('tanh'), { sigmaW2: weightVariance, sigmaB2: biasVariance, depth: 0 });
  if (theory.fixedPoint !== 'converged' || theory.qStar === null || theory.chi1 === null) throw new Error('tanh: no fixed point');
  return { fixedPoint: theory.qStar, chi: theory.chi1 };
}

describe('jacobianSpectrum: exactness', () => {
  it('matches ml-matrix on the singular values of dense, wide and rank-deficient matrices (to 1e−13·σ_max)', () => {
    const next = numbers(5);
    for (const [rows, columns] of [
      [40, 25],
      [25, 40],
      [1, 7],
      [30, 30],
    ] as const) {
      const matrix = Array.from({ length: rows }, () => Array.from({ length: columns }, next));
      const ours = singularValues(Float64Array.from(matrix.flat()), rows, columns);
      const reference = mlSingularValues(matrix);
      expect(ours).toHaveLength(Math.min(rows, columns));
      ours.forEach((value, i) => expect(Math.abs(value - (reference[i] as number))).toBeLessThan(1e-13 * (reference[0] as number)));
    }
    // Rank 3: a 20 × 3 by 3 × 20 product.
    const left = Array.from({ length: 20 }, () => Array.from({ length: 3 }, next));
    const right = Array.from({ length: 3 }, () => Array.from({ length: 20 }, next));
    const product = new Matrix(left).mmul(new Matrix(right));
    const values = singularValues(Float64Array.from(product.to1DArray()), 20, 20);
    expect(values[2]).toBeGreaterThan(0.1);
    expect(values[3]).toBeLessThan(1e-14 * (values[0] as number));
  });

  it('matches the singular values of a central-difference Jacobian of a literal forward pass (residual, biases, rectangular)', () => {
    const next = numbers(11);
    const shape = [
      { width: 7, activation: 'tanh', residual: false, bias: true },
      { width: 7, activation: 'softplus', residual: true, bias: true },
      { width: 4, activation: 'gelu', residual: false, bias: false },
    ];
    let fanIn = 5;
    const layers = shape.map((layer): JacobianLayerSpec => {
      const weights = Array.from({ length: fanIn }, () => Array.from({ length: layer.width }, () => (1.5 * next()) / Math.sqrt(fanIn)));
      fanIn = layer.width;
      return {
        width: layer.width,
        activation: resolveActivation(layer.activation),
        init: { scheme: 'zeros' },
        bias: layer.bias,
        batchNorm: false,
        residual: layer.residual,
        weights,
        ...(layer.bias ? { biases: Array.from({ length: layer.width }, () => 0.5 * next()) } : {}),
      };
    });
    const input = Array.from({ length: 5 }, () => 1.2 * next());
    const result = jacobianSpectrum({ inputSize: 5, layers, input: { values: input }, seed: 0 });

    // z = a·W + b, a ← φ(z) (+ a): the spec, literally.
    const forward = (x: number[]): number[] =>
      layers.reduce((a, layer) => {
        const kernel = layer.activation.record.kernel(layer.activation.params, { mode: 'eval', count: layer.width, uniform: Math.random });
        return Array.from({ length: layer.width }, (_, j) => {
          const z = a.reduce((sum, value, i) => sum + value * (layer.weights?.[i]?.[j] as number), 0) + (layer.biases?.[j] ?? 0);
          return kernel.value(z, j) + (layer.residual ? (a[j] as number) : 0);
        });
      }, x);
    // J_ij = ∂a^L_j/∂a⁰_i, Richardson-extrapolated central differences.
    const difference = (i: number, h: number): number[] => {
      const up = forward(input.map((value, k) => (k === i ? value + h : value)));
      const down = forward(input.map((value, k) => (k === i ? value - h : value)));
      return up.map((value, j) => (value - (down[j] as number)) / (2 * h));
    };
    const jacobian = input.map((_, i) => {
      const coarse = difference(i, 1e-3);
      const fine = difference(i, 5e-4);
      return fine.map((value, j) => (4 * value - (coarse[j] as number)) / 3);
    });
    const reference = mlSingularValues(jacobian);

    expect(result.spectrum.count).toBe(4);
    expect(result.outputSize).toBe(4);
    const values = result.spectrum.singularValues as number[];
    values.forEach((value, i) => expect(value).toBeCloseTo(reference[i] as number, 9));
    const meanSquare = mean(reference.map((value) => value * value));
    expect(result.spectrum.squaredSingularValues.mean).toBeCloseTo(meanSquare, 9);
  });

  it('gives every singular value 1 for orthogonal linear networks, to 1e−10 at any depth (measured ~1e−14)', () => {
    for (const depth of [1, 10, 100]) {
      const { spectrum } = jacobianSpectrum(network(64, depth));
      const deviation = Math.max(...(spectrum.singularValues as number[]).map((value) => Math.abs(value - 1)));
      expect(deviation).toBeLessThan(1e-10);
      expect(spectrum.conditionNumber).toBeCloseTo(1, 10);
      expect(spectrum.numericalRank).toBe(64);
      expect(spectrum.squaredSingularValues.relativeVariance).toBeLessThan(1e-20);
      // An isometric spectrum fills one bin of the narrowest automatic range.
      expect(Math.max(...spectrum.histogram.counts)).toBe(64);
    }
  });

  it('keeps an orthogonal linear network isometric in float32 to ~depth·2⁻²⁴ (measured 1.03·depth·2⁻²⁴)', () => {
    const { spectrum, precision } = jacobianSpectrum(network(128, 20, { precision: 'float32' }));
    expect(precision).toBe('float32');
    const deviation = Math.max(...(spectrum.singularValues as number[]).map((value) => Math.abs(value - 1)));
    expect(deviation).toBeLessThan(2 * 20 * 2 ** -24);
    expect(spectrum.numericalRank).toBe(128);
  });

  it('agrees in float32 with float64 within 1e−6·σ_max on a tanh network with Gaussian weights', () => {
    const options: NetworkOptions = { activation: 'tanh', init: { scheme: 'lecun_normal', gain: 1.3 }, biasStd: 0.1, seed: 4 };
    const exact = jacobianSpectrum(network(96, 12, { ...options, precision: 'float64' })).spectrum;
    const rounded = jacobianSpectrum(network(96, 12, { ...options, precision: 'float32' })).spectrum;
    const largest = exact.maxSingularValue as number;
    (rounded.singularValues as number[]).forEach((value, i) => {
      // float32 reports what it cannot resolve (below its rank tolerance) as 0.
      if (value > 0) expect(Math.abs(value - ((exact.singularValues as number[])[i] as number))).toBeLessThan(1e-6 * largest);
    });
    expect(rounded.squaredSingularValues.mean).toBeCloseTo(exact.squaredSingularValues.mean as number, 5);
  });

  it('reports min(n₀, n_L) singular values with the rank of the narrowest layer as zeros', () => {
    const identity = resolveActivation('identity');
    const layer = (width: number): JacobianLayerSpec => ({
      width,
      activation: identity,
      init: { scheme: 'orthogonal' },
      bias: false,
      batchNorm: false,
      residual: false,
    });
    // 48 → 16 → 48: J = W¹W² has orthonormal-column factors, sixteen σ = 1 and thirty-two 0.
    const { spectrum } = jacobianSpectrum({ inputSize: 48, layers: [layer(16), layer(48)], input: { variance: 1 }, seed: 2 });
    const values = spectrum.singularValues as number[];
    expect(spectrum.count).toBe(48);
    expect(spectrum.numericalRank).toBe(16);
    values.slice(0, 16).forEach((value) => expect(value).toBeCloseTo(1, 12));
    expect(values.slice(16).every((value) => value === 0)).toBe(true);
    expect(spectrum.minSingularValue).toBe(0);
    expect(spectrum.log10MinSingularValue).toBeNull();
    expect(spectrum.conditionNumber).toBeNull();
    expect(spectrum.histogram.zeros).toBe(32);
  });
});

describe('jacobianSpectrum: dynamical isometry', () => {
  it('spreads the spectrum of Gaussian linear networks with depth while the mean of σ² stays 1 (variance of σ² ≈ L)', () => {
    // lecun_normal, gain 1: σ_w² = 1, so E[σ²] = 1 at every depth; for wide networks the moments of
    // JJᵀ are Fuss–Catalan numbers, E[σ⁴] = L + 1, so the variance of σ² is L.
    const { layers } = jacobianSpectrum(network(128, 16, { init: { scheme: 'lecun_normal' }, seed: 3, everyLayer: true }));
    const at = (depth: number): JacobianSpectrum => (layers as JacobianSpectrum[])[depth - 1] as JacobianSpectrum;
    for (const depth of [1, 4]) {
      expect(squared(at(depth)).mean).toBeGreaterThan(0.9);
      expect(squared(at(depth)).mean).toBeLessThan(1.1);
      expect(squared(at(depth)).variance / depth).toBeGreaterThan(0.75);
      expect(squared(at(depth)).variance / depth).toBeLessThan(1.25);
    }
    expect(squared(at(16)).mean).toBeGreaterThan(0.6);
    expect(squared(at(16)).mean).toBeLessThan(1.5);
    expect(squared(at(16)).variance).toBeGreaterThan(2 * squared(at(4)).variance);
    // σ_min falls like e^{−3L} at width 128: the condition number explodes, beyond float64 by depth 16.
    expect(at(4).conditionNumber as number).toBeGreaterThan(100 * (at(1).conditionNumber as number));
    expect(at(16).conditionNumber).toBeNull();
  });

  it('cannot make a ReLU network isometric: at He criticality half the singular values are 0 and the spread grows with depth', () => {
    for (const init of [{ scheme: 'he_normal' }, { scheme: 'orthogonal', gain: Math.SQRT2 }] as const) {
      const spectra = [1, 2, 3, 4].map(
        (seed) => jacobianSpectrum(network(128, 16, { activation: 'relu', init, seed, everyLayer: true })).layers as JacobianSpectrum[],
      );
      for (const layers of spectra) {
        const shallow = layers[3] as JacobianSpectrum;
        const deep = layers[15] as JacobianSpectrum;
        // Every D^l zeroes about half of the units, and J's rank is at most the fewest active units.
        expect(deep.numericalRank).toBeLessThan(0.55 * 128);
        expect(deep.histogram.zeros).toBe(128 - deep.numericalRank);
        // Measured over 12 seeds at depth 16: var(σ²)/E[σ²]² 21–52 (He normal), 13–21 (orthogonal).
        expect(squared(deep).relativeVariance).toBeGreaterThan(8);
        expect(squared(deep).relativeVariance).toBeGreaterThan(squared(shallow).relativeVariance);
      }
      // Critical all the same: χ₁ = σ_w²/2 = 1, the mean of σ² (over seeds) stays near 1 at depth 16.
      const meanSquare = mean(spectra.map((layers) => squared(layers[15] as JacobianSpectrum).mean));
      expect(meanSquare).toBeGreaterThan(0.5);
      expect(meanSquare).toBeLessThan(2);
    }
  });

  it('makes tanh with orthogonal weights near the critical point nearly isometric, unlike Gaussian weights', () => {
    // σ_w² = 1, σ_b² = 1e−4: q* ≈ 0.007, χ₁ ≈ 0.986. Start at the fixed point: q⁰ = (q* − σ_b²)/σ_w².
    const { fixedPoint } = tanhCriticality(1, 1e-4);
    const options = { activation: 'tanh', biasStd: 0.01, variance: fixedPoint - 1e-4 };
    const orthogonal = jacobianSpectrum(network(128, 16, { ...options, init: { scheme: 'orthogonal' } })).spectrum;
    const gaussian = jacobianSpectrum(network(128, 16, { ...options, init: { scheme: 'lecun_normal' } })).spectrum;
    // Measured over 12 seeds: 0.005–0.009 against 15–20.
    expect(squared(orthogonal).relativeVariance).toBeLessThan(0.05);
    expect(squared(gaussian).relativeVariance).toBeGreaterThan(5);
    expect(squared(gaussian).relativeVariance).toBeGreaterThan(100 * squared(orthogonal).relativeVariance);
    expect(orthogonal.conditionNumber as number).toBeLessThan(2);
    expect(orthogonal.maxSingularValue as number).toBeLessThan(1.05);
  });

  it('has a mean of σ² that follows χ₁^L for wide tanh networks, ordered and chaotic', () => {
    const depth = 8;
    for (const [weightVariance, biasVariance] of [
      [0.8, 0.01],
      [2, 0.05],
    ] as const) {
      const { fixedPoint, chi } = tanhCriticality(weightVariance, biasVariance);
      const logMeans = [1, 2, 3].map((seed) => {
        const spec = network(256, depth, {
          activation: 'tanh',
          init: { scheme: 'lecun_normal', gain: Math.sqrt(weightVariance) },
          biasStd: Math.sqrt(biasVariance),
          variance: (fixedPoint - biasVariance) / weightVariance,
          seed,
        });
        const result = jacobianSpectrum(spec);
        // The measured length map stays near q*, and the Frobenius profile agrees with the spectrum.
        const lengthRatio = mean(result.depthProfile.map((figures) => figures.preactivationMeanSquare / fixedPoint));
        expect(Math.abs(lengthRatio - 1)).toBeLessThan(0.15);
        expect(result.depthProfile[depth - 1]?.log10MeanSquaredSingularValue).toBeCloseTo(
          result.spectrum.squaredSingularValues.log10Mean as number,
          10,
        );
        return Math.log(squared(result.spectrum).mean);
      });
      // Measured over 6 seeds: ln E[σ²] − L·ln χ₁ within ±0.33 per network (per layer ±0.04).
      expect(Math.abs(mean(logMeans) - depth * Math.log(chi))).toBeLessThan(0.25);
    }
  });

  it('keeps exact log10 figures where the singular values underflow float64 (sigmoid, 300 layers)', () => {
    const { spectrum, depthProfile } = jacobianSpectrum(network(16, 300, { activation: 'sigmoid', init: { scheme: 'xavier_normal' } }));
    const log10Mean = spectrum.squaredSingularValues.log10Mean as number;
    // χ₁ ≈ E[σ′(z)²] ≤ 1/16 per layer: hundreds of decades below 1.
    expect(log10Mean).toBeLessThan(-300);
    expect(spectrum.squaredSingularValues.mean).toBe(0);
    expect(depthProfile[299]?.log10MeanSquaredSingularValue).toBeCloseTo(log10Mean, 8);
    expect(spectrum.log10MaxSingularValue as number).toBeLessThan(-150);
    expect(spectrum.squaredSingularValues.relativeVariance).toBeGreaterThan(0);
    const histogram = spectrum.histogram;
    expect(histogram.edges.every(Number.isFinite)).toBe(true);
    expect(histogram.counts.reduce((sum, count) => sum + count, 0) + histogram.zeros).toBe(16);
  });
});

describe('jacobianSpectrum: histogram, reproducibility and errors', () => {
  it('bins log10 σ over the spectrum by default and σ from 0 on the linear scale, out-of-range values counted apart', () => {
    const spec = network(64, 6, { activation: 'tanh', init: { scheme: 'lecun_normal' }, seed: 9 });
    const log = jacobianSpectrum(spec).spectrum;
    expect(log.histogram.scale).toBe('log10');
    expect(log.histogram.edges).toHaveLength(41);
    expect(log.histogram.edges[0]).toBeCloseTo(log.log10MinSingularValue as number, 12);
    expect(log.histogram.edges[40]).toBeCloseTo(log.log10MaxSingularValue as number, 12);
    expect(log.histogram.counts.reduce((sum, count) => sum + count, 0)).toBe(64);

    const linear = jacobianSpectrum({ ...spec, histogram: { scale: 'linear', bins: 8 } }).spectrum.histogram;
    expect(linear.edges[0]).toBe(0);
    expect(linear.edges[8]).toBe(log.maxSingularValue);
    expect(linear.counts).toHaveLength(8);

    const fixed = jacobianSpectrum({ ...spec, histogram: { range: [-1, 0], bins: 10 } }).spectrum.histogram;
    const values = log.singularValues as number[];
    expect(fixed.below).toBe(values.filter((value) => Math.log10(value) < -1).length);
    expect(fixed.above).toBe(values.filter((value) => Math.log10(value) > 0).length);
    expect(fixed.counts.reduce((sum, count) => sum + count, 0) + fixed.below + fixed.above).toBe(64);
  });

  it('gives every layer one shared histogram range with everyLayer, the last layer equal to the spectrum', () => {
    const result = jacobianSpectrum(network(32, 5, { activation: 'tanh', init: { scheme: 'lecun_normal' }, everyLayer: true }));
    const layers = result.layers as JacobianSpectrum[];
    expect(layers.map((layer) => layer.depth)).toEqual([1, 2, 3, 4, 5]);
    layers.forEach((layer) => expect(layer.histogram.edges).toEqual(result.spectrum.histogram.edges));
    expect(layers[4]).toEqual(result.spectrum);
    expect(layers[0]?.singularValues).toBeNull();
    expect(jacobianSpectrum(network(32, 5)).layers).toBeNull();
  });

  it('gives identical results for the same seed, others for another seed, and keeps the weights when σ_b changes', () => {
    const spec = network(48, 4, { activation: 'tanh', init: { scheme: 'he_uniform' }, biasStd: 0.3 });
    expect(jacobianSpectrum(spec)).toEqual(jacobianSpectrum(spec));
    expect(jacobianSpectrum({ ...spec, seed: 2 }).spectrum.singularValues).not.toEqual(jacobianSpectrum(spec).spectrum.singularValues);
    // σ_b = 0 still draws layer 1's biases, so W² is the same; a linear network's J = W¹W² whatever the biases.
    const zeroBias = network(48, 2, { activation: 'identity', init: { scheme: 'he_uniform' }, biasStd: 0 });
    const someBias = network(48, 2, { activation: 'identity', init: { scheme: 'he_uniform' }, biasStd: 0.3 });
    expect(jacobianSpectrum(someBias).spectrum.singularValues).toEqual(jacobianSpectrum(zeroBias).spectrum.singularValues);
  });

  it('names the layer and field of explicit weights of the wrong shape', () => {
    const identity = resolveActivation('identity');
    const base = { width: 3, activation: identity, init: { scheme: 'zeros' as const }, bias: false, batchNorm: false, residual: false };
    const spec: JacobianSpec = {
      inputSize: 2,
      layers: [
        { ...base, weights: [[1, 0, 0], [0, 1, 0]] },
        { ...base, weights: [[1, 0, 0], [0, 1, 0]] },
      ],
      input: { values: [1, 2] },
      seed: 0,
    };
    expect(() => jacobianSpectrum(spec)).toThrow(NetworkShapeError);
    expect(() => jacobianSpectrum(spec)).toThrow('layer 2: weights must have 3 rows (its input width), got 2');
    const shortRow: JacobianSpec = { ...spec, layers: [{ ...base, weights: [[1, 0], [0, 1]] }] };
    expect(() => jacobianSpectrum(shortRow)).toThrow('layer 1: weights row 1 must hold 3 numbers, got 2');
  });

  it('refuses batch norm, a bias std without a bias, a wrong input and a bad histogram, naming each', () => {
    const spec = network(4, 2);
    const layer = spec.layers[0] as JacobianLayerSpec;
    const withLayer = (changes: Partial<JacobianLayerSpec>): JacobianSpec => ({ ...spec, layers: [layer, { ...layer, ...changes }] });
    expect(() => jacobianSpectrum(withLayer({ batchNorm: true }))).toThrow(/^layer 2: batchNorm is not supported by the Jacobian spectrum/);
    expect(() => jacobianSpectrum(withLayer({ biasStd: 0.1 }))).toThrow('layer 2: biasStd is given but the layer has bias: false');
    expect(() => jacobianSpectrum(withLayer({ bias: true, biasStd: -1 }))).toThrow('layer 2: biasStd must be a finite number ≥ 0, got -1');
    expect(() => jacobianSpectrum(withLayer({ bias: true, biasStd: 0.1, biases: [0, 0, 0, 0] }))).toThrow(
      'layer 2: biasStd cannot be given with explicit biases',
    );
    expect(() => jacobianSpectrum({ ...spec, input: { values: [1, 2, 3] } })).toThrow('input.values: must hold 4 numbers (inputSize), got 3');
    expect(() => jacobianSpectrum({ ...spec, input: { variance: -1 } })).toThrow('input.variance: must be a finite number ≥ 0, got -1');
    expect(() => jacobianSpectrum({ ...spec, histogram: { bins: 0 } })).toThrow(RangeError);
    expect(() => jacobianSpectrum({ ...spec, histogram: { range: [1, 1] } })).toThrow(RangeError);
  });
});

describe('estimateJacobianCost', () => {
  it('counts L − 1 products of n₀ × n × n, one bidiagonalisation per spectrum, and picks float32 above the float64 budget', () => {
    const n = 256;
    const plain = estimateJacobianCost(network(n, 10, { init: { scheme: 'lecun_normal' } }));
    expect(plain.accumulationFlops).toBe(9 * 2 * n ** 3 + 10 * 2 * n * n);
    expect(plain.spectrumFlops).toBeCloseTo((8 / 3) * n ** 3 + 60 * n * n, -3);
    expect(plain.precision).toBe('float64');
    expect(plain.scalarFlops).toBe(plain.flops);

    const everyLayer = estimateJacobianCost(network(n, 10, { init: { scheme: 'lecun_normal' }, everyLayer: true }));
    expect(everyLayer.spectrumFlops).toBeCloseTo(10 * plain.spectrumFlops, -3);

    const big = estimateJacobianCost(network(512, 20, { init: { scheme: 'lecun_normal' } }));
    expect(big.accumulationFlops).toBeGreaterThan(FLOAT64_DEFAULT_MAX_FLOPS);
    expect(big.precision).toBe('float32');
    expect(big.scalarFlops).toBe(big.flops - big.accumulationFlops);
    expect(big.bytes).toBeGreaterThan(2 * 4 * 512 * 512);
  });
});
