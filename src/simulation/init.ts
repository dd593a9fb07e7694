import { findActivation, type ActivationId } from '../activations/registry.js';
import type { Random } from '../random.js';
import { thinQr } from '../linalg/householder-qr.js';

/**
 * Weight initialisation schemes (docs: /work/shared/spec/simulation.md, "Weight
 * initialisation schemes"). Weights are row-major fanIn × fanOut (row vectors:
 * z = a·W), i.e. the transpose of PyTorch's `weight`; fanIn = n_{l−1},
 * fanOut = n_l. The gain g (default 1) multiplies every scheme:
 *
 *   xavier_normal   N(0, s²),  s = g·√(2 / (fanIn + fanOut))
 *   xavier_uniform  U(−b, b),  b = g·√(6 / (fanIn + fanOut))
 *   he_normal       N(0, s²),  s = g·√(2 / ((1 + a²)·fanIn))
 *   he_uniform      U(−b, b),  b = g·√(6 / ((1 + a²)·fanIn))
 *   lecun_normal    N(0, s²),  s = g·√(1 / fanIn)
 *   lecun_uniform   U(−b, b),  b = g·√(3 / fanIn)
 *   orthogonal      g·Q, Q from the QR decomposition of a Gaussian matrix
 *   normal          N(0, s²),  s = g·std    (std default 0.05, Keras' RandomNormal)
 *   uniform         U(−b, b),  b = g·bound  (bound default 0.05, Keras' RandomUniform)
 *   zeros           0
 *   identity        g·I (square layers only)
 *
 * a is the negative slope the layer's activation record states (leaky_relu's,
 * prelu's: PReLU-aware He, He et al. 2015), 0 otherwise. Draws come from the one seeded stream in
 * row-major order, so the same Random state gives the same matrix bit for bit.
 */

export const initSchemes = [
  'xavier_normal',
  'xavier_uniform',
  'he_normal',
  'he_uniform',
  'lecun_normal',
  'lecun_uniform',
  'orthogonal',
  'normal',
  'uniform',
  'zeros',
  'identity',
] as const;
export type InitScheme = (typeof initSchemes)[number];

/**
 * Other names a user types for the same schemes: PyTorch's (torch.nn.init's
 * kaiming_*, eye_, and every function's in-place spelling with its trailing
 * underscore) and Keras's glorot_* (Keras's he_* and lecun_* are ours already).
 */
export const initSchemeAliases = {
  kaiming_normal: 'he_normal',
  kaiming_uniform: 'he_uniform',
  glorot_normal: 'xavier_normal',
  glorot_uniform: 'xavier_uniform',
  eye: 'identity',
  kaiming_normal_: 'he_normal',
  kaiming_uniform_: 'he_uniform',
  xavier_normal_: 'xavier_normal',
  xavier_uniform_: 'xavier_uniform',
  orthogonal_: 'orthogonal',
  normal_: 'normal',
  uniform_: 'uniform',
  zeros_: 'zeros',
  eye_: 'identity',
} as const satisfies Record<string, InitScheme>;

/** The scheme a name (ours or an alias) stands for. */
export function canonicalInitScheme(name: InitScheme | keyof typeof initSchemeAliases): InitScheme {
  return name in initSchemeAliases ? initSchemeAliases[name as keyof typeof initSchemeAliases] : (name as InitScheme);
}

export interface InitSpec {
  scheme: InitScheme;
  /** Multiplies every scheme's scale (default 1). */
  gain?: number;
  /** Standard deviation of `normal` (default DEFAULT_NORMAL_STD). Ignored by other schemes. */
  std?: number;
  /** Half-width of `uniform` (default DEFAULT_UNIFORM_BOUND). Ignored by other schemes. */
  bound?: number;
}

/** `normal`'s std when none is given: Keras' RandomNormal default, small enough to show vanishing signals. */
export const DEFAULT_NORMAL_STD = 0.05;
/** `uniform`'s bound when none is given: Keras' RandomUniform default, [−0.05, 0.05]. */
export const DEFAULT_UNIFORM_BOUND = 0.05;

/** Thrown for an initialisation a layer's shape or parameters cannot have (identity on a non-square layer). */
export class InitializationError extends Error {
  override name = 'InitializationError';
}

/**
 * Row-major fanIn × fanOut float64 weights. `negativeSlope` is the layer's
 * leaky_relu/prelu slope a for the PReLU-aware He variant (default 0).
 *
 * Cost: fanIn·fanOut draws, plus for `orthogonal` a Householder QR of the
 * max × min Gaussian matrix (src/linalg/householder-qr.ts, ≈ 4·max·min² flops
 * with forming Q, about 1 GFLOP/s in plain JavaScript: 0.36 s for 512 × 512,
 * 2.6 s for 1024 × 1024 on the 2-core host under load).
 */
export function initializeWeights(
  spec: InitSpec,
  fanIn: number,
  fanOut: number,
  random: Random,
  negativeSlope = 0,
): Float64Array {
  return initializeWeightsInto(spec, fanIn, fanOut, random, negativeSlope, new Float64Array(fanIn * fanOut));
}

/**
 * `initializeWeights` writing into `out` (length ≥ fanIn·fanOut; a Float32Array
 * gets the float64 draws rounded), so a simulator can refill one buffer per layer
 * trial after trial. Same draws, in the same order, as `initializeWeights`.
 */
export function initializeWeightsInto<Out extends Float32Array | Float64Array>(
  spec: InitSpec,
  fanIn: number,
  fanOut: number,
  random: Random,
  negativeSlope: number,
  out: Out,
): Out {
  if (!Number.isSafeInteger(fanIn) || fanIn < 1 || !Number.isSafeInteger(fanOut) || fanOut < 1) {
    throw new InitializationError(`${spec.scheme}: fanIn and fanOut must be positive integers, got ${fanIn} × ${fanOut}`);
  }
  const gain = spec.gain ?? 1;
  checkFinite(spec.scheme, 'gain', gain);
  const heCorrection = 1 / (1 + negativeSlope * negativeSlope);
  const count = fanIn * fanOut;
  if (out.length < count) throw new RangeError(`initializeWeightsInto: out has ${out.length} elements, needs ${count}`);
  switch (spec.scheme) {
    case 'xavier_normal':
      return normalMatrix(out, count, gain * Math.sqrt(2 / (fanIn + fanOut)), random);
    case 'xavier_uniform':
      return uniformMatrix(out, count, gain * Math.sqrt(6 / (fanIn + fanOut)), random);
    case 'he_normal':
      return normalMatrix(out, count, gain * Math.sqrt((2 * heCorrection) / fanIn), random);
    case 'he_uniform':
      return uniformMatrix(out, count, gain * Math.sqrt((6 * heCorrection) / fanIn), random);
    case 'lecun_normal':
      return normalMatrix(out, count, gain * Math.sqrt(1 / fanIn), random);
    case 'lecun_uniform':
      return uniformMatrix(out, count, gain * Math.sqrt(3 / fanIn), random);
    case 'normal': {
      const std = spec.std ?? DEFAULT_NORMAL_STD;
      checkFinite('normal', 'std', std);
      if (std < 0) throw new InitializationError(`normal: std must be ≥ 0, got ${std}`);
      return normalMatrix(out, count, gain * std, random);
    }
    case 'uniform': {
      const bound = spec.bound ?? DEFAULT_UNIFORM_BOUND;
      checkFinite('uniform', 'bound', bound);
      if (bound < 0) throw new InitializationError(`uniform: bound must be ≥ 0, got ${bound}`);
      return uniformMatrix(out, count, gain * bound, random);
    }
    case 'zeros':
      out.fill(0, 0, count);
      return out;
    case 'identity': {
      if (fanIn !== fanOut) {
        throw new InitializationError(`identity initialisation needs a square layer, got ${fanIn} × ${fanOut}`);
      }
      out.fill(0, 0, count);
      for (let i = 0; i < fanIn; i += 1) out[i * fanOut + i] = gain;
      return out;
    }
    case 'orthogonal':
      return orthogonalMatrix(out, fanIn, fanOut, gain, random);
  }
}

/**
 * Per-weight cost of drawing a scheme's weights, in the cost model's element
 * operations of ~10 ns (src/random.ts fills whole arrays: a Gaussian draw
 * takes about 9 ns, a uniform one 5 ns, on the 2-core host; zeros and
 * identity only fill memory).
 */
export function drawOps(scheme: InitScheme): number {
  if (scheme === 'zeros' || scheme === 'identity') return 0.1;
  return scheme.endsWith('uniform') ? 0.5 : 0.9;
}

/** Floating-point work of `initializeWeights` for cost estimates: one unit per weight drawn, or the QR for `orthogonal`. */
export function initializationFlops(scheme: InitScheme, fanIn: number, fanOut: number): number {
  if (scheme !== 'orthogonal') return fanIn * fanOut;
  const rows = Math.max(fanIn, fanOut);
  const columns = Math.min(fanIn, fanOut);
  // Householder QR (2mn² − 2n³/3) plus forming the thin Q (about as much again).
  return 4 * rows * columns * columns;
}

/**
 * The negative slope a that PReLU-aware He initialisation corrects for, as the
 * activation's record states it (`negativeSlope`: leaky_relu's negativeSlope,
 * prelu's alpha), else 0.
 */
export function heNegativeSlope(activationId: ActivationId, params: Record<string, number | string>): number {
  return findActivation(activationId)?.negativeSlope?.(params) ?? 0;
}

function checkFinite(scheme: InitScheme, field: string, value: number): void {
  if (!Number.isFinite(value)) throw new InitializationError(`${scheme}: ${field} must be finite, got ${value}`);
}

function normalMatrix<Out extends Float32Array | Float64Array>(out: Out, count: number, std: number, random: Random): Out {
  random.fillNormal(out, count, std);
  return out;
}

/** U(−b, b) as b·(2u − 1); a zero bound still consumes its draws, so later layers see the same stream. */
function uniformMatrix<Out extends Float32Array | Float64Array>(out: Out, count: number, bound: number, random: Random): Out {
  random.fillSymmetricUniform(out, count, bound);
  return out;
}

/**
 * g·Q as PyTorch's `orthogonal_`: a Gaussian matrix G, tall (rows ≥ columns,
 * drawn row-major as max(fanIn, fanOut) × min(fanIn, fanOut)), its thin QR
 * G = QR, and Q·diag(sign Rᵢᵢ) so that Q is Haar-distributed. A tall result
 * (fanIn ≥ fanOut) has orthonormal columns, WᵀW = g²I; a wide one is the
 * transpose, orthonormal rows, WWᵀ = g²I.
 */
function orthogonalMatrix<Out extends Float32Array | Float64Array>(
  out: Out,
  fanIn: number,
  fanOut: number,
  gain: number,
  random: Random,
): Out {
  const rows = Math.max(fanIn, fanOut);
  const columns = Math.min(fanIn, fanOut);
  // Drawn row by row (the stream's order), stored by columns for the factorisation.
  const gaussian = new Float64Array(rows * columns);
  for (let i = 0; i < rows; i += 1) {
    for (let j = 0; j < columns; j += 1) gaussian[j * rows + i] = random.normal();
  }
  const { q, rDiagonal } = thinQr(gaussian, rows, columns);
  const transpose = fanIn < fanOut;
  for (let j = 0; j < columns; j += 1) {
    const scale = (rDiagonal[j] as number) < 0 ? -gain : gain;
    const column = j * rows;
    for (let i = 0; i < rows; i += 1) {
      const value = scale * (q[column + i] as number);
      if (transpose) out[j * fanOut + i] = value;
      else out[i * fanOut + j] = value;
    }
  }
  return out;
}
