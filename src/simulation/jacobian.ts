import { createRandom, type Random } from '../random.js';
import { float32Arithmetic, float64Arithmetic, type Arithmetic, type Precision } from './arithmetic.js';
import { matmul64 } from './dense64.js';
import { NetworkShapeError, SimulationOverflowError } from './errors.js';
import { heNegativeSlope, initializationFlops, initializeWeightsInto } from './init.js';
import { singularValueFlops, singularValues } from './jacobian-singular-values.js';
import {
  DEFAULT_HISTOGRAM_BINS,
  type HistogramOptions,
  type HistogramScale,
  histogramRange,
  type JacobianSpectrum,
  MAX_HISTOGRAM_BINS,
  type ScaledSpectrum,
  spectrumFigures,
  zeroBelowTolerance,
} from './jacobian-spectrum.js';
import { checkNetworkSize, checkSeed, type FeedforwardLayerSpec, layerWidths } from './network.js';
import { binaryExponent, euclideanNorm, finiteOrNull, type FloatArray, log10Scaled, scaleInPlace } from './statistics.js';

export type { HistogramScale, JacobianSpectrum, SpectrumHistogram } from './jacobian-spectrum.js';
export { DEFAULT_HISTOGRAM_BINS, MAX_HISTOGRAM_BINS, MIN_LOG10_HISTOGRAM_WIDTH } from './jacobian-spectrum.js';

/**
 * The input–output Jacobian of a random feed-forward network at one input and
 * its singular values: "dynamical isometry" (/work/shared/spec/simulation.md,
 * "The Jacobian and dynamical isometry"; Pennington, Schoenholz & Ganguli 2017).
 *
 * Convention: row vectors, as in the simulator. z^l = a^{l−1}W^l + b^l,
 * a^l = φ(z^l) (+ a^{l−1} when residual), so a small change da⁰ (a row) moves
 * the output by da⁰·J with
 *
 *   J = ∂a^L/∂a⁰ = J¹·J²·…·J^L,   J^l = W^l·D^l  (residual: I + W^l·D^l),
 *
 * D^l = diag(φ′(z^l)), J an n₀ × n_L matrix with J_ij = ∂a^L_j/∂a⁰_i: the
 * transpose of the column-vector Jacobian, with the same singular values.
 * It is accumulated forward, J ← J·W^l, then its columns scaled by φ′(z^l), so
 * that the partial Jacobians ∂a^l/∂a⁰ (`everyLayer`) come on the way.
 *
 * The network is the simulator's layer description, with two differences: batch
 * normalisation is refused (J would depend on the whole batch, not on one
 * input), and a layer with a bias but no explicit `biases` draws b^l ~ N(0, σ_b²)
 * with σ_b = `biasStd` (default 0): σ_b sets the fixed point q* and so the
 * criticality of tanh (Poole et al. 2016). Activations run in eval mode.
 *
 * Draws, from the one seeded stream in this order: the input a⁰ ~ N(0, q⁰·I)
 * (unless given), then per layer W^l (unless given) and b^l (n_l normals times
 * σ_b for a layer with a bias and no explicit biases — drawn even when σ_b = 0,
 * so that changing σ_b keeps every weight).
 *
 * Precision. The forward pass (one vector) and the singular values are always
 * float64. `precision` is that of accumulating J, L products of n₀ × n_{l−1}
 * by n_{l−1} × n_l:
 * - float64 (JS loops, ~1 GFLOP/s): the default while those products cost at
 *   most FLOAT64_DEFAULT_MAX_FLOPS. Orthogonal linear networks give σ = 1 to
 *   ~1e−14 (measured max |σ − 1|: 1.5e−14 from depth 1 to 100 at widths 64–128,
 *   6e−14 at depth 20 × width 512; mostly the orthogonality of the QR's Q).
 * - float32 on the GEMM engine (`await initLinalg()` first), above: singular
 *   values within 7e−8·σ_max of the float64 ones at depth 20 × width 512
 *   (tanh, ReLU, Gaussian or orthogonal), ~l·2⁻²⁴·σ_max at worst (orthogonal
 *   linear networks: max |σ − 1| 1.3e−6 at depth 20 × width 512, 2.2e−6 at
 *   depth 64–100); σ below the float32 rank tolerance (jacobian-spectrum.ts)
 *   count as 0.
 * Either way J is rescaled by a power of two (exact) whenever ‖J‖_F leaves
 * [2^−20, 2^20], the scale carried as an exponent, so no depth underflows it.
 *
 * Singular values: Householder bidiagonalisation and QL on the Golub–Kahan
 * tridiagonal form (jacobian-singular-values.ts), absolute accuracy ~ε·σ_max;
 * not the eigenvalues of JᵀJ, which would lose every σ below ~1.5e−8·σ_max.
 */

/** Singular values are listed only up to this count (min(n₀, n_L)); beyond, `singularValues` is null. */
export const MAX_LISTED_SINGULAR_VALUES = 1024;

/**
 * Default precision: float64 when accumulating J costs at most this many flops
 * (~1 s in JS loops: depth 10 × width 256 is 0.34e9), float32 above
 * (depth 20 × width 512 is 5.4e9).
 */
export const FLOAT64_DEFAULT_MAX_FLOPS = 1e9;

/** ‖J‖_F is brought back near 1 by a power of two when it leaves [2^−20, 2^20]. */
const RESCALE_EXPONENT_LIMIT = 20;

export interface JacobianLayerSpec extends FeedforwardLayerSpec {
  /**
   * σ_b ≥ 0: with `bias: true` and no `biases`, b^l ~ N(0, σ_b²) (default 0:
   * zero biases). Needs `bias: true`; not with explicit `biases`.
   */
  biasStd?: number;
}

/**
 * a⁰ ~ N(0, q⁰·I) with q⁰ = `variance`, or a given vector of inputSize numbers.
 * q⁰ is the mean square of the input, not of a preactivation: z¹ then has mean
 * square σ_w²·q⁰ + σ_b², so a network starts at mean-field theory's fixed point
 * q* with q⁰ = (q* − σ_b²)/σ_w².
 */
export type JacobianInputSpec = { variance: number } | { values: readonly number[] };

export interface JacobianHistogramSpec {
  /** Default DEFAULT_HISTOGRAM_BINS, at most MAX_HISTOGRAM_BINS. */
  bins?: number;
  /**
   * `log10` (default): bins of log10 σ — a deep network's spectrum spans decades
   * (Gaussian weights, ReLU), isometry shows as one narrow peak at 0, and the
   * scale is exact beyond float64. `linear`: bins of σ from 0.
   */
  scale?: HistogramScale;
  /** Fixed [low, high] in the scale's units (for comparing requests); default: the spectra's own range. */
  range?: readonly [number, number];
}

export interface JacobianSpec {
  inputSize: number;
  layers: readonly JacobianLayerSpec[];
  input: JacobianInputSpec;
  seed: number;
  /** Of the accumulation of J; see above. Default: float64 up to FLOAT64_DEFAULT_MAX_FLOPS, else float32. */
  precision?: Precision;
  histogram?: JacobianHistogramSpec;
  /** Also the spectrum of every partial Jacobian ∂a^l/∂a⁰, l = 1 … L: one more SVD per layer. */
  everyLayer?: boolean;
}

export interface JacobianResult {
  inputSize: number;
  outputSize: number;
  /** The spectrum of J = ∂a^L/∂a⁰. */
  spectrum: JacobianSpectrum;
  /**
   * everyLayer: the spectra of ∂a^l/∂a⁰ for l = 1 … L (the last is `spectrum`),
   * without singular value lists; all histograms of the result then share one
   * range, so they stack into a depth × σ chart. null otherwise.
   */
  layers: JacobianSpectrum[] | null;
  /** Per layer l = 1 … L, at no extra cost (no SVD). */
  depthProfile: DepthFigures[];
  seed: number;
  precision: Precision;
}

export interface DepthFigures {
  depth: number;
  /** q^l = ‖z^l‖² / n_l: the measured length map, to set beside mean-field theory's q^l and q*. */
  preactivationMeanSquare: number;
  /** log10 of the mean σ² of ∂a^l/∂a⁰, ‖·‖_F² / min(n₀, n_l): mean-field theory's l·log10 χ₁. null for J = 0. */
  log10MeanSquaredSingularValue: number | null;
}

export interface JacobianPlan {
  /** n₀ … n_L. */
  widths: readonly number[];
  precision: Precision;
  histogram: HistogramOptions;
}

/** Validates a Jacobian request; throws NetworkShapeError (shapes, batch norm, biasStd, input) or RangeError (seed, histogram). */
export function planJacobian(spec: JacobianSpec): JacobianPlan {
  spec.layers.forEach((layer, position) => {
    const index = position + 1;
    if (layer.batchNorm) {
      throw new NetworkShapeError(
        index,
        'batchNorm',
        'is not supported by the Jacobian spectrum: with batch normalisation a⁰ ↦ a^L depends on the whole batch, not on one input',
      );
    }
    if (layer.biasStd !== undefined) {
      if (!(Number.isFinite(layer.biasStd) && layer.biasStd >= 0)) {
        throw new NetworkShapeError(index, 'biasStd', `must be a finite number ≥ 0, got ${layer.biasStd}`);
      }
      if (!layer.bias) throw new NetworkShapeError(index, 'biasStd', 'is given but the layer has bias: false');
      if (layer.biases !== undefined) throw new NetworkShapeError(index, 'biasStd', 'cannot be given with explicit biases');
    }
  });
  const input = spec.input;
  if ('values' in input) {
    if (input.values.length !== spec.inputSize) {
      throw new NetworkShapeError(null, 'input.values', `must hold ${spec.inputSize} numbers (inputSize), got ${input.values.length}`);
    }
    if (!input.values.every((value) => Number.isFinite(value))) throw new NetworkShapeError(null, 'input.values', 'must hold finite numbers only');
  } else if (!(Number.isFinite(input.variance) && input.variance >= 0)) {
    throw new NetworkShapeError(null, 'input.variance', `must be a finite number ≥ 0, got ${input.variance}`);
  }
  // The simulator's checks of widths, residual shapes, explicit weights and biases, and the seed.
  checkNetworkSize(spec.inputSize, spec.layers);
  checkSeed(spec.seed);
  const widths = layerWidths(spec.inputSize, spec.layers);

  const bins = spec.histogram?.bins ?? DEFAULT_HISTOGRAM_BINS;
  if (!Number.isSafeInteger(bins) || bins < 1 || bins > MAX_HISTOGRAM_BINS) {
    throw new RangeError(`histogram.bins must be an integer in [1, ${MAX_HISTOGRAM_BINS}], got ${bins}`);
  }
  const range = spec.histogram?.range;
  if (range !== undefined && !(Number.isFinite(range[0]) && Number.isFinite(range[1]) && range[0] < range[1])) {
    throw new RangeError(`histogram.range must be two finite numbers, low < high, got [${range.join(', ')}]`);
  }
  const histogram: HistogramOptions = { bins, scale: spec.histogram?.scale ?? 'log10', ...(range === undefined ? {} : { range }) };
  const precision = spec.precision ?? (accumulationFlops(widths) <= FLOAT64_DEFAULT_MAX_FLOPS ? 'float64' : 'float32');
  return { widths, precision, histogram };
}

/** The products J ← J·W^l (none for layer 1: J¹ = W¹D¹) and the column scalings. */
function accumulationFlops(widths: readonly number[]): number {
  const inputSize = widths[0] as number;
  let flops = 0;
  for (let l = 1; l < widths.length; l += 1) {
    const width = widths[l] as number;
    flops += (l === 1 ? 0 : 2 * inputSize * (widths[l - 1] as number) * width) + 2 * inputSize * width;
  }
  return flops;
}

export interface JacobianCost {
  /** accumulationFlops + spectrumFlops + forwardFlops + initializationFlops. */
  flops: number;
  /** Forming J: on the GEMM engine in float32, in JS loops in float64. */
  accumulationFlops: number;
  /** Bidiagonalisations (4mk² − 4k³/3 for m × k, m ≥ k), one per spectrum: always float64 JS loops. */
  spectrumFlops: number;
  /** The forward pass of the one input (2·n_{l−1}·n_l per layer, JS). */
  forwardFlops: number;
  /** Draws, orthogonal's QR (as for the simulator). */
  initializationFlops: number;
  /**
   * The part run in plain JS loops (~0.5–1 GFLOP/s on the 2-core host), i.e.
   * everything but a float32 accumulation (~25–100 GFLOP/s): weigh it by the
   * engine's speed ratio when comparing with a flop budget.
   */
  scalarFlops: number;
  /** Peak working memory. */
  bytes: number;
  precision: Precision;
}

/** Cost of `jacobianSpectrum(spec)`; validates first (throws like it). */
export function estimateJacobianCost(spec: JacobianSpec): JacobianCost {
  const { widths, precision } = planJacobian(spec);
  const inputSize = widths[0] as number;
  const depth = widths.length - 1;
  const accumulation = accumulationFlops(widths);
  let spectrum = 0;
  let forward = 0;
  let initialization = 'values' in spec.input ? 0 : inputSize;
  let largestMatrix = 0;
  let orthogonalScratch = 0;
  spec.layers.forEach((layer, position) => {
    const fanIn = widths[position] as number;
    const l = position + 1;
    if (spec.everyLayer === true || l === depth) spectrum += singularValueFlops(inputSize, layer.width);
    forward += 2 * fanIn * layer.width + 40 * layer.width;
    if (layer.weights === undefined) {
      initialization += initializationFlops(layer.init.scheme, fanIn, layer.width);
      if (layer.init.scheme === 'orthogonal') orthogonalScratch = Math.max(orthogonalScratch, 3 * 8 * fanIn * layer.width);
    }
    if (layer.bias) initialization += layer.width;
    largestMatrix = Math.max(largestMatrix, fanIn * layer.width);
  });
  const largestWidth = Math.max(...widths);
  const elementBytes = precision === 'float32' ? 4 : 8;
  const jacobianElements = inputSize * largestWidth;
  const spectrumValues = Math.min(inputSize, largestWidth) * (spec.everyLayer === true ? depth : 1);
  const bytes =
    elementBytes * (2 * jacobianElements + (precision === 'float32' ? largestMatrix : 0)) +
    8 * (largestMatrix + jacobianElements + spectrumValues + 8 * largestWidth) +
    orthogonalScratch;
  const flops = accumulation + spectrum + forward + initialization;
  return {
    flops,
    accumulationFlops: accumulation,
    spectrumFlops: spectrum,
    forwardFlops: forward,
    initializationFlops: initialization,
    scalarFlops: precision === 'float32' ? flops - accumulation : flops,
    bytes,
    precision,
  };
}

/**
 * The Jacobian spectrum of one random network at one input. Synchronous; float32
 * needs `await initLinalg()` once in the thread first. Same spec, same result,
 * bit for bit (on one GEMM engine). Throws NetworkShapeError, RangeError,
 * SimulationOverflowError (the forward pass or J beyond float64 / float32).
 */
export function jacobianSpectrum(spec: JacobianSpec): JacobianResult {
  const plan = planJacobian(spec);
  const { spectra, depthProfile } =
    plan.precision === 'float32' ? accumulate(spec, plan, float32Arithmetic) : accumulate(spec, plan, float64Arithmetic);
  const ranks = spectra.map((spectrum) => zeroBelowTolerance(spectrum, plan.precision));
  const range = histogramRange(spectra, plan.histogram);
  const depth = spec.layers.length;
  const figures = spectra.map((spectrum, index) =>
    spectrumFigures(
      spectrum,
      ranks[index] as number,
      plan.histogram,
      range,
      spectrum.depth === depth && spectrum.values.length <= MAX_LISTED_SINGULAR_VALUES,
    ),
  );
  return {
    inputSize: spec.inputSize,
    outputSize: plan.widths[depth] as number,
    spectrum: figures[figures.length - 1] as JacobianSpectrum,
    layers: spec.everyLayer === true ? figures : null,
    depthProfile,
    seed: spec.seed,
    precision: plan.precision,
  };
}

/** The forward pass and J layer by layer; the singular values of every wanted (partial) Jacobian. */
function accumulate<T extends FloatArray>(
  spec: JacobianSpec,
  plan: JacobianPlan,
  arithmetic: Arithmetic<T>,
): { spectra: ScaledSpectrum[]; depthProfile: DepthFigures[] } {
  const { widths } = plan;
  const inputSize = widths[0] as number;
  const depth = spec.layers.length;
  const largestWidth = Math.max(...widths);
  const largestMatrix = Math.max(...spec.layers.map((layer, position) => (widths[position] as number) * layer.width));
  const random = createRandom(spec.seed);

  let activation = new Float64Array(largestWidth);
  let nextActivation = new Float64Array(largestWidth);
  const preactivation = new Float64Array(largestWidth);
  const derivative = new Float64Array(largestWidth);
  const weights = new Float64Array(largestMatrix);
  const roundedWeights = arithmetic.allocate(plan.precision === 'float32' ? largestMatrix : 0);
  const bias = new Float64Array(largestWidth);
  let jacobian = arithmetic.allocate(inputSize * largestWidth);
  let product = arithmetic.allocate(inputSize * largestWidth);
  let exponent = 0;

  drawInput(spec, random, activation);
  const spectra: ScaledSpectrum[] = [];
  const depthProfile: DepthFigures[] = [];
  spec.layers.forEach((layer, position) => {
    const l = position + 1;
    const fanIn = widths[position] as number;
    const width = layer.width;
    drawLayer(layer, fanIn, random, weights, bias);

    // z = a·W + b, a ← φ(z) (+ a), D = φ′(z).
    matmul64(activation, 1, fanIn, weights, width, preactivation);
    const kernel = layer.activation.record.kernel(layer.activation.params, { mode: 'eval', count: width, uniform: random.uniform });
    let squares = 0;
    for (let j = 0; j < width; j += 1) {
      const z = (preactivation[j] as number) + (bias[j] as number);
      squares += z * z;
      derivative[j] = kernel.derivative(z, j);
      nextActivation[j] = kernel.value(z, j) + (layer.residual ? (activation[j] as number) : 0);
      if (!Number.isFinite(nextActivation[j] as number)) throw new SimulationOverflowError(l, 'forward', 'float64');
    }
    const preactivationMeanSquare = squares / width;
    [activation, nextActivation] = [nextActivation, activation];

    // J ← J·W·D (+ J): J¹ = W¹D¹ needs no product (the identity times W).
    const count = inputSize * width;
    const operand = arithmetic.operand(weights, fanIn * width, roundedWeights);
    if (l === 1) product.set(operand.subarray(0, count));
    else arithmetic.product(jacobian, inputSize, fanIn, operand, width, product);
    for (let i = 0; i < inputSize; i += 1) {
      const row = i * width;
      for (let j = 0; j < width; j += 1) product[row + j] = (product[row + j] as number) * (derivative[j] as number);
    }
    if (layer.residual) {
      // Square layer: the previous J (identity before layer 1) has the same n₀ × n_l shape.
      if (l === 1) {
        for (let i = 0; i < inputSize; i += 1) product[i * width + i] = (product[i * width + i] as number) + 1;
      } else {
        for (let i = 0; i < count; i += 1) product[i] = (product[i] as number) + (jacobian[i] as number);
      }
    }
    [jacobian, product] = [product, jacobian];

    const norm = euclideanNorm(jacobian, count);
    if (!Number.isFinite(norm)) throw new SimulationOverflowError(l, 'backward', plan.precision);
    depthProfile.push({
      depth: l,
      preactivationMeanSquare,
      log10MeanSquaredSingularValue: finiteOrNull(2 * log10Scaled(norm, exponent) - Math.log10(Math.min(inputSize, width))),
    });
    if (norm > 0) {
      const shift = binaryExponent(norm);
      if (Math.abs(shift) >= RESCALE_EXPONENT_LIMIT) {
        scaleInPlace(jacobian, count, -shift);
        exponent += shift;
      }
    }
    if (spec.everyLayer === true || l === depth) {
      spectra.push({ depth: l, rows: inputSize, columns: width, values: singularValues(jacobian.subarray(0, count), inputSize, width), exponent });
    }
  });
  return { spectra, depthProfile };
}

function drawInput(spec: JacobianSpec, random: Random, activation: Float64Array): void {
  const input = spec.input;
  if ('values' in input) {
    activation.set(input.values);
    return;
  }
  const std = Math.sqrt(input.variance);
  for (let i = 0; i < spec.inputSize; i += 1) activation[i] = std * random.normal();
}

/** W^l (given or drawn) into `weights`, b^l (given, drawn with σ_b, or zeros) into `bias`. */
function drawLayer(layer: JacobianLayerSpec, fanIn: number, random: Random, weights: Float64Array, bias: Float64Array): void {
  const width = layer.width;
  if (layer.weights !== undefined) {
    layer.weights.forEach((row, i) => weights.set(row, i * width));
  } else {
    const slope = heNegativeSlope(layer.activation.record.id, layer.activation.params);
    initializeWeightsInto(layer.init, fanIn, width, random, slope, weights);
  }
  bias.fill(0, 0, width);
  if (!layer.bias) return;
  if (layer.biases !== undefined) {
    bias.set(layer.biases);
    return;
  }
  const std = layer.biasStd ?? 0;
  for (let j = 0; j < width; j += 1) bias[j] = std * random.normal();
}
