import { createRandom, type Random } from '../../random.js';
import { float32Arithmetic, float64Arithmetic, type Arithmetic, type Precision } from '../arithmetic.js';
import { SimulationOverflowError } from '../errors.js';
import { heNegativeSlope, initializeWeightsInto } from '../init.js';
import type { FeedforwardLayerSpec } from '../network.js';
import { binaryExponent, euclideanNorm, type FloatArray, maxAbs, scaleInPlace, shiftedMoments } from '../statistics.js';
import { activate, batchNormBackward, batchNormalize, layerNormalize, layerNormBackward } from './layer.js';
import { type FeedforwardResult, type LayerFigures, type ScaledNorm, summarise, type TrialFigures } from './result.js';
import { type FeedforwardPlan, type FeedforwardSpec, planFeedforward } from './spec.js';
import { checkInterrupt } from '../../linalg/interrupt.js';

/**
 * The feed-forward gradient-propagation simulator: forward pass, loss, exact
 * backward pass, per-layer figures (/work/shared/spec/simulation.md).
 *
 * Gradients underflow. The backward pass is linear in ∂L/∂a^L, so every
 * gradient array is carried with a binary exponent s (true = stored · 2^s) and
 * brought back near norm 1 by an exact power-of-two rescale whenever its norm
 * leaves [2^−20, 2^20]. log10 figures are exact for a 1000-layer sigmoid network
 * (≈ 10^−600); the plain figures are the same numbers as float64 and underflow
 * to 0 there.
 *
 * Precision. float32 (random networks): the 3L − 1 products (z = a·W;
 * ∂L/∂W = aᵀ·δ; ∂L/∂a = δ·Wᵀ) run on the GEMM engine in float32, statistics and
 * norms accumulate in float64. That is enough for what is reported: each layer
 * adds a relative error of ~1e−6 (products of length ≤ 512 and the rounding of
 * stored values), which over 1000 layers stays far below what a log10 figure
 * shows (in the chaotic phase individual numbers drift from a float64 run as
 * from any other random network, the statistics do not), and the rescaling
 * keeps every array in the normal float32 range. It is not enough for finite-difference checks, for
 * explicit small networks whose answer someone will compare digit by digit, for
 * nearly cancelling quantities (batch norm over nearly constant units, the mse
 * of outputs that almost equal their targets), or for forward activations
 * beyond 3.4e38 (a SimulationOverflowError): those want float64, which runs the
 * same algorithm in plain JS loops (~1 GFLOP/s).
 *
 * Batch norm: the preactivation statistics and ‖∂L/∂z‖ are those of z = aW + b
 * before normalisation; saturation is judged at φ′(ẑ), the value φ sees.
 */

/** A gradient array is rescaled to norm ~1 when its norm leaves [2^−20, 2^20]. */
const RESCALE_EXPONENT_LIMIT = 20;

/** The seed of trial t (0-based): the request's seed for trial 0, then golden-ratio steps modulo 2^53. */
export function trialSeed(seed: number, trial: number): number {
  if (trial === 0) return seed;
  return Number((BigInt(seed) + BigInt(trial) * 0x9e3779b97f4a7c15n) % 2n ** 53n);
}

/**
 * Runs the simulation: `trials` independent networks (random input, targets and
 * weights redrawn per trial from trialSeed(seed, t), in that order; explicit
 * ones shared). Same spec, same result, bit for bit. Synchronous; float32 needs
 * `await initLinalg()` once in the thread first. Throws NetworkShapeError
 * (bad shapes), SimulationOverflowError, RangeError (trials, seed).
 */
export function simulateFeedforward(spec: FeedforwardSpec): FeedforwardResult {
  const plan = planFeedforward(spec);
  const runner =
    plan.precision === 'float32'
      ? new FeedforwardRunner(spec, plan, float32Arithmetic)
      : new FeedforwardRunner(spec, plan, float64Arithmetic);
  const trials: TrialFigures[] = [];
  for (let trial = 0; trial < spec.trials; trial += 1) trials.push(runner.run(createRandom(trialSeed(spec.seed, trial))));
  return summarise(spec.layers, spec.seed, plan.precision, trials);
}

// ---------------------------------------------------------------- one trial

/** Buffers for one simulation, allocated once and reused by every trial. */
class FeedforwardRunner<T extends FloatArray> {
  private readonly batchSize: number;
  private readonly widths: readonly number[];
  private readonly precision: Precision;
  /** activations[0] = X, activations[l] = a^l. */
  private readonly activations: T[];
  /** φ′ at the values φ saw, per layer (index l − 1). */
  private readonly derivatives: T[];
  /** ẑ of batch-norm layers (null elsewhere). */
  private readonly normalized: (T | null)[];
  private readonly inverseStd: (Float64Array | null)[];
  /** ẑ of layer-norm layers, and 1/σ per example. */
  private readonly layerNormalized: (T | null)[];
  private readonly layerInverseStd: (Float64Array | null)[];
  /** LN(a^{l−1}) of pre-norm blocks, and 1/σ per example. */
  private readonly preNormalized: (T | null)[];
  private readonly preInverseStd: (Float64Array | null)[];
  /** 1/σ per example of post-norm blocks (their x̂ is a^l itself). */
  private readonly postInverseStd: (Float64Array | null)[];
  private readonly weights: T[];
  private readonly biases: (Float64Array | null)[];
  private readonly hasNonzeroBias: boolean[];
  private readonly targets: Float64Array | null;
  private readonly preactivation: T;
  private readonly delta: T;
  private gradient: T;
  private nextGradient: T;
  private readonly weightGradient: T;
  private readonly unitSums: Float64Array;
  private readonly unitProducts: Float64Array;

  constructor(
    private readonly spec: FeedforwardSpec,
    plan: FeedforwardPlan,
    private readonly arithmetic: Arithmetic<T>,
  ) {
    const { batchSize, widths } = plan;
    this.batchSize = batchSize;
    this.widths = widths;
    this.precision = plan.precision;
    const largestWidth = Math.max(...widths);
    const allocate = (length: number): T => arithmetic.allocate(length);

    this.activations = widths.map((width) => allocate(batchSize * width));
    const input = spec.input;
    if ('values' in input) fillRows(this.activations[0] as T, input.values);

    this.derivatives = spec.layers.map((layer) => allocate(batchSize * layer.width));
    this.normalized = spec.layers.map((layer) => (layer.batchNorm ? allocate(batchSize * layer.width) : null));
    this.inverseStd = spec.layers.map((layer) => (layer.batchNorm ? new Float64Array(layer.width) : null));
    this.layerNormalized = spec.layers.map((layer) => (layer.layerNorm === true ? allocate(batchSize * layer.width) : null));
    this.layerInverseStd = spec.layers.map((layer) => (layer.layerNorm === true ? new Float64Array(batchSize) : null));
    this.preNormalized = spec.layers.map((layer, position) => (layer.residualNorm === 'pre-norm' ? allocate(batchSize * (widths[position] as number)) : null));
    this.preInverseStd = spec.layers.map((layer) => (layer.residualNorm === 'pre-norm' ? new Float64Array(batchSize) : null));
    this.postInverseStd = spec.layers.map((layer) => (layer.residualNorm === 'post-norm' ? new Float64Array(batchSize) : null));
    this.weights = spec.layers.map((layer, position) => {
      const weights = allocate((widths[position] as number) * layer.width);
      if (layer.weights !== undefined) fillRows(weights, layer.weights);
      return weights;
    });
    this.biases = spec.layers.map((layer) => (layer.bias ? Float64Array.from(layer.biases ?? new Array<number>(layer.width).fill(0)) : null));
    this.hasNonzeroBias = this.biases.map((bias) => bias !== null && bias.some((value) => value !== 0));

    const outputWidth = widths[widths.length - 1] as number;
    const targets = spec.loss.targets;
    this.targets = spec.loss.type === 'mse' ? new Float64Array(batchSize * outputWidth) : null;
    if (this.targets !== null && targets !== undefined) fillRows(this.targets, targets);

    this.preactivation = allocate(batchSize * largestWidth);
    this.delta = allocate(batchSize * largestWidth);
    this.gradient = allocate(batchSize * largestWidth);
    this.nextGradient = allocate(batchSize * largestWidth);
    this.weightGradient = allocate(Math.max(...spec.layers.map((layer, position) => (widths[position] as number) * layer.width)));
    this.unitSums = new Float64Array(largestWidth);
    this.unitProducts = new Float64Array(largestWidth);
  }

  run(random: Random): TrialFigures {
    this.draw(random);
    const layers: LayerFigures[] = [];
    for (let l = 1; l < this.widths.length; l += 1) {
      checkInterrupt();
      layers.push(this.forward(l, random));
    }
    const loss = this.lossAndGradient();
    let gradientNorm = this.normalizeGradient(this.gradient, this.outputCount(this.widths.length - 1), 0);
    for (let l = this.widths.length - 1; l >= 1; l -= 1) {
      checkInterrupt();
      gradientNorm = this.backward(l, layers[l - 1] as LayerFigures, gradientNorm);
    }
    return { layers, loss };
  }

  private outputCount(l: number): number {
    return this.batchSize * (this.widths[l] as number);
  }

  /** Random input, then random targets, then random weights layer by layer. */
  private draw(random: Random): void {
    const input = this.spec.input;
    if (!('values' in input)) {
      const x = this.activations[0] as T;
      const count = this.outputCount(0);
      const { scale } = input;
      if (input.distribution === 'normal') random.fillNormal(x, count, scale);
      else random.fillSymmetricUniform(x, count, scale);
    }
    if (this.targets !== null && this.spec.loss.targets === undefined) {
      random.fillNormal(this.targets, this.targets.length, 1);
    }
    this.spec.layers.forEach((layer, position) => {
      if (layer.weights !== undefined) return;
      const slope = heNegativeSlope(layer.activation.record.id, layer.activation.params);
      initializeWeightsInto(layer.init, this.widths[position] as number, layer.width, random, slope, this.weights[position] as T);
    });
  }

  /** z^l, batch norm, a^l = φ(z^l) (+ a^{l−1}); φ′ saved for the backward pass; statistics. */
  private forward(l: number, random: Random): LayerFigures {
    const layer = this.spec.layers[l - 1] as FeedforwardLayerSpec;
    const batchSize = this.batchSize;
    const fanIn = this.widths[l - 1] as number;
    const width = layer.width;
    const count = batchSize * width;
    const previous = this.activations[l - 1] as T;
    const z = this.preactivation;
    const preNormalized = this.preNormalized[l - 1] as T | null;
    if (preNormalized !== null) layerNormalize(previous, preNormalized, this.preInverseStd[l - 1] as Float64Array, batchSize, fanIn);
    this.arithmetic.product(preNormalized ?? previous, batchSize, fanIn, this.weights[l - 1] as T, width, z);
    const bias = this.biases[l - 1] as Float64Array | null;
    if (bias !== null && this.hasNonzeroBias[l - 1] === true) {
      for (let b = 0; b < batchSize; b += 1) {
        const row = b * width;
        for (let j = 0; j < width; j += 1) z[row + j] = (z[row + j] as number) + (bias[j] as number);
      }
    }

    const normalized = this.normalized[l - 1] as T | null;
    let preactivationStats: { mean: number; std: number } | null = null;
    if (normalized !== null) {
      const inverseStd = this.inverseStd[l - 1] as Float64Array;
      preactivationStats = batchNormalize(z, normalized, inverseStd, batchSize, width, this.unitSums, this.unitProducts);
    }
    const layerNormalized = this.layerNormalized[l - 1] as T | null;
    if (layerNormalized !== null) preactivationStats = layerNormalize(z, layerNormalized, this.layerInverseStd[l - 1] as Float64Array, batchSize, width);

    const kernel = layer.activation.record.kernel(layer.activation.params, { mode: 'eval', count, uniform: random.uniform });
    const out = this.activations[l] as T;
    const pass = activate(normalized ?? layerNormalized ?? z, layer.residual ? previous : null, out, this.derivatives[l - 1] as T, count, kernel, preactivationStats === null);
    preactivationStats ??= shiftedMoments(pass.zShift, pass.zSum, pass.zSumOfSquares, count);
    let output = shiftedMoments(pass.aShift, pass.aSum, pass.aSumOfSquares, count);
    const postInverseStd = this.postInverseStd[l - 1] as Float64Array | null;
    if (postInverseStd !== null) {
      // Post-norm: a^l = LN(a^{l−1} + φ(z^l)); the figures are those of a^l.
      layerNormalize(out, out, postInverseStd, batchSize, width);
      output = momentsOf(out, count);
      pass.zeros = 0;
      for (let i = 0; i < count; i += 1) if (out[i] === 0) pass.zeros += 1;
    }
    if (![preactivationStats.mean, preactivationStats.std, output.mean, output.std].every(Number.isFinite)) {
      throw new SimulationOverflowError(l, 'forward', this.precision);
    }
    const unset: ScaledNorm = { stored: 0, exponent: 0 };
    return {
      preactivationMean: preactivationStats.mean,
      preactivationStd: preactivationStats.std,
      outputMean: output.mean,
      outputStd: output.std,
      fractionZero: pass.zeros / count,
      fractionSaturated: pass.saturated / count,
      preactivationNorm: unset,
      outputNorm: unset,
      weightNorm: unset,
      biasNorm: null,
    };
  }

  /** L and ∂L/∂a^L (into this.gradient, exponent 0). */
  private lossAndGradient(): number {
    const last = this.widths.length - 1;
    const output = this.activations[last] as T;
    const count = this.outputCount(last);
    const batchSize = this.batchSize;
    const gradient = this.gradient;
    let loss = 0;
    if (this.targets !== null) {
      const targets = this.targets;
      for (let i = 0; i < count; i += 1) {
        const residual = (output[i] as number) - (targets[i] as number);
        loss += residual * residual;
        gradient[i] = residual / batchSize;
      }
      loss /= 2 * batchSize;
    } else {
      for (let i = 0; i < count; i += 1) loss += output[i] as number;
      loss /= batchSize;
      gradient.fill(1 / batchSize, 0, count);
    }
    if (!Number.isFinite(loss)) throw new SimulationOverflowError(last, 'loss', this.precision);
    return loss;
  }

  /**
   * Given ∂L/∂a^l (this.gradient, ·2^exponent, norm stored·2^exponent), fills
   * the layer's gradient figures and leaves ∂L/∂a^{l−1} in this.gradient;
   * returns its norm and exponent.
   */
  private backward(l: number, figures: LayerFigures, gradientNorm: ScaledNorm): ScaledNorm {
    const exponent = gradientNorm.exponent;
    const layer = this.spec.layers[l - 1] as FeedforwardLayerSpec;
    const batchSize = this.batchSize;
    const fanIn = this.widths[l - 1] as number;
    const width = layer.width;
    const count = batchSize * width;
    const gradient = this.gradient;
    const delta = this.delta;
    const derivative = this.derivatives[l - 1] as T;
    figures.outputNorm = gradientNorm;
    const postInverseStd = this.postInverseStd[l - 1] as Float64Array | null;
    // Post-norm: ∂L/∂(a^{l−1} + φ(z^l)) through the normalisation (linear: the exponent stays).
    if (postInverseStd !== null) layerNormBackward(gradient, this.activations[l] as T, postInverseStd, batchSize, width, gradient);

    // δ = ∂L/∂z^l: ∂L/∂a ⊙ φ′, then back through the batch statistics.
    const normalized = this.normalized[l - 1] as T | null;
    const sums = this.unitSums;
    sums.fill(0, 0, width);
    let deltaSquares = 0;
    if (normalized === null) {
      for (let b = 0; b < batchSize; b += 1) {
        const row = b * width;
        for (let j = 0; j < width; j += 1) {
          const value = (gradient[row + j] as number) * (derivative[row + j] as number);
          delta[row + j] = value;
          const stored = delta[row + j] as number;
          sums[j] = (sums[j] as number) + stored;
          deltaSquares += stored * stored;
        }
      }
    } else {
      deltaSquares = batchNormBackward(
        gradient,
        derivative,
        normalized,
        this.inverseStd[l - 1] as Float64Array,
        batchSize,
        width,
        delta,
        sums,
        this.unitProducts,
      );
    }
    const layerNormalized = this.layerNormalized[l - 1] as T | null;
    if (layerNormalized !== null) {
      // Layer norm: δ through the per-example statistics, then the bias sums and ‖δ‖ again.
      layerNormBackward(delta, layerNormalized, this.layerInverseStd[l - 1] as Float64Array, batchSize, width, delta);
      sums.fill(0, 0, width);
      deltaSquares = 0;
      for (let b = 0; b < batchSize; b += 1) {
        const row = b * width;
        for (let j = 0; j < width; j += 1) {
          const stored = delta[row + j] as number;
          sums[j] = (sums[j] as number) + stored;
          deltaSquares += stored * stored;
        }
      }
    }
    let deltaNorm = Math.sqrt(deltaSquares);
    if (!Number.isFinite(deltaNorm)) deltaNorm = euclideanNorm(delta, count);
    if (!Number.isFinite(deltaNorm)) throw new SimulationOverflowError(l, 'backward', this.precision);
    figures.preactivationNorm = { stored: deltaNorm, exponent };
    figures.biasNorm = layer.bias && normalized === null ? { stored: euclideanNorm(sums, width), exponent } : null;
    const deltaExponent = this.normalizeGradient(delta, count, exponent, deltaNorm).exponent;

    // ∂L/∂W^l = a^{l−1}ᵀ·δ; if that overflows, again with a^{l−1} scaled down by a power of
    // two, in the preactivation buffer (free during the backward pass; X must stay intact).
    // The layer's product saw LN(a^{l−1}) in a pre-norm block.
    const preNormalized = this.preNormalized[l - 1] as T | null;
    const previous = preNormalized ?? (this.activations[l - 1] as T);
    const weightGradientSize = fanIn * width;
    this.arithmetic.productTransA(previous, batchSize, fanIn, delta, width, this.weightGradient);
    let weightNorm = euclideanNorm(this.weightGradient, weightGradientSize);
    let weightExponent = deltaExponent;
    if (!Number.isFinite(weightNorm)) {
      const shift = binaryExponent(maxAbs(previous, batchSize * fanIn));
      const scaled = this.preactivation;
      scaled.set(previous.subarray(0, batchSize * fanIn));
      scaleInPlace(scaled, batchSize * fanIn, -shift);
      this.arithmetic.productTransA(scaled, batchSize, fanIn, delta, width, this.weightGradient);
      weightNorm = euclideanNorm(this.weightGradient, weightGradientSize);
      weightExponent += shift;
      if (!Number.isFinite(weightNorm)) throw new SimulationOverflowError(l, 'backward', this.precision);
    }
    figures.weightNorm = { stored: weightNorm, exponent: weightExponent };

    if (l === 1) return gradientNorm;
    // ∂L/∂a^{l−1} = δ·Wᵀ (+ ∂L/∂a^l through the skip connection), at the larger of the two exponents.
    const next = this.nextGradient;
    const inputCount = batchSize * fanIn;
    this.arithmetic.productTransB(delta, batchSize, width, this.weights[l - 1] as T, fanIn, next);
    if (preNormalized !== null) layerNormBackward(next, preNormalized, this.preInverseStd[l - 1] as Float64Array, batchSize, fanIn, next);
    let nextExponent = deltaExponent;
    if (layer.residual) {
      nextExponent = Math.max(exponent, deltaExponent);
      const productFactor = 2 ** (deltaExponent - nextExponent);
      const skipFactor = 2 ** (exponent - nextExponent);
      for (let i = 0; i < inputCount; i += 1) {
        next[i] = (next[i] as number) * productFactor + (gradient[i] as number) * skipFactor;
      }
    }
    this.nextGradient = gradient;
    this.gradient = next;
    const normalizedNext = this.normalizeGradient(next, inputCount, nextExponent);
    if (!Number.isFinite(normalizedNext.stored)) throw new SimulationOverflowError(l - 1, 'backward', this.precision);
    return normalizedNext;
  }

  /** Rescales values by a power of two when their norm leaves [2^−20, 2^20]; returns the norm and the new exponent. */
  private normalizeGradient(values: T, count: number, exponent: number, knownNorm?: number): ScaledNorm {
    const norm = knownNorm ?? euclideanNorm(values, count);
    if (norm === 0 || !Number.isFinite(norm)) return { stored: norm, exponent };
    const shift = binaryExponent(norm);
    if (Math.abs(shift) < RESCALE_EXPONENT_LIMIT) return { stored: norm, exponent };
    scaleInPlace(values, count, -shift);
    return { stored: norm * 2 ** -shift, exponent: exponent + shift };
  }
}

/** Mean and standard deviation of the first `count` values (shifted by the first, as the activation pass does). */
function momentsOf(values: FloatArray, count: number): { mean: number; std: number } {
  const shift = values[0] as number;
  let sum = 0;
  let squares = 0;
  for (let i = 0; i < count; i += 1) {
    const centred = (values[i] as number) - shift;
    sum += centred;
    squares += centred * centred;
  }
  return shiftedMoments(shift, sum, squares, count);
}

function fillRows(target: FloatArray, rows: readonly (readonly number[])[]): void {
  let offset = 0;
  for (const row of rows) {
    target.set(row, offset);
    offset += row.length;
  }
}
