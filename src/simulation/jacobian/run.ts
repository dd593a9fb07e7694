import { createRandom, type Random } from '../../random.js';
import { float32Arithmetic, float64Arithmetic, type Arithmetic } from '../arithmetic.js';
import { matmul64 } from '../dense64.js';
import { SimulationOverflowError } from '../errors.js';
import { heNegativeSlope, initializeWeightsInto } from '../init.js';
import { binaryExponent, euclideanNorm, finiteOrNull, type FloatArray, log10Scaled, scaleInPlace } from '../statistics.js';
import { type DepthFigures, jacobianResult, type JacobianResult } from './result.js';
import { singularValues } from './singular-values.js';
import type { ScaledSpectrum } from './spectrum.js';
import { type JacobianLayerSpec, type JacobianPlan, type JacobianSpec, planJacobian } from './spec.js';

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
 *   depth 64–100); σ below the float32 rank tolerance (spectrum.ts)
 *   count as 0.
 * Either way J is rescaled by a power of two (exact) whenever ‖J‖_F leaves
 * [2^−20, 2^20], the scale carried as an exponent, so no depth underflows it.
 *
 * Singular values: Householder bidiagonalisation and QL on the Golub–Kahan
 * tridiagonal form (singular-values.ts), absolute accuracy ~ε·σ_max;
 * not the eigenvalues of JᵀJ, which would lose every σ below ~1.5e−8·σ_max.
 */

/** ‖J‖_F is brought back near 1 by a power of two when it leaves [2^−20, 2^20]. */
const RESCALE_EXPONENT_LIMIT = 20;

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
  return jacobianResult(spec, plan, spectra, depthProfile);
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
  random.fillNormal(activation, spec.inputSize, std);
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
  random.fillNormal(bias, width, std);
}
