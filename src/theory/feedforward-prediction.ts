import type { ResolvedActivation } from '../activations/resolve.js';
import type { FeedforwardResult, FeedforwardSpec } from '../simulation/feedforward/index.js';
import { DEFAULT_NORMAL_STD, DEFAULT_UNIFORM_BOUND, heNegativeSlope, type InitSpec } from '../simulation/init.js';
import { meanField, type Phase } from './mean-field.js';

/**
 * Mean-field theory beside a feed-forward simulation. It applies when the
 * network is one the theory describes: every layer the same width as the
 * input, the same activation and the same random initialisation, no explicit
 * weights, no batch norm, no residual connections, a random input. Then
 * W_ij ~ (0, σ_w²/n) with σ_w² given by the scheme, σ_b² = 0 (the simulator's
 * biases start at 0), and q¹ = σ_w²·E[x²].
 *
 * Backward, ‖δ^l‖² ≈ χ(q^l)·‖δ^{l+1}‖² with χ(q) = σ_w²·E[φ′(√q z)²]: the
 * prediction of log10 ‖∂L/∂z^l‖ starts from the measured last layer and adds
 * ½·log10 χ(q^l) going back.
 */

export interface LayerPrediction {
  index: number;
  /** Predicted q^l = E[(z^l)²]. null where the length map overflows. */
  preactivationVariance: number | null;
  /** Measured E[(z^l)²] = std² + mean² over the batch. */
  measuredPreactivationVariance: number;
  /** Predicted log10 ‖∂L/∂z^l‖, anchored at the measured last layer. */
  log10PreactivationNorm: number | null;
  /** Measured minus predicted log10 ‖∂L/∂z^l‖. */
  gap: number | null;
}

export interface FeedforwardTheory {
  sigmaW2: number;
  sigmaB2: number;
  qStar: number | null;
  chi1: number | null;
  phase: Phase;
  /** ½·mean of log10 χ(q^l) over layers 1 … L − 1: the predicted meanLog10GainPerLayer. */
  predictedMeanLog10GainPerLayer: number | null;
  measuredMeanLog10GainPerLayer: number | null;
  layers: LayerPrediction[];
}

/** σ_w² = fan_in·Var(W_ij) of a square layer, or null for a scheme the theory does not describe. */
export function weightVarianceScale(init: InitSpec, width: number, activation: ResolvedActivation): number | null {
  const gain2 = (init.gain ?? 1) ** 2;
  const slope = heNegativeSlope(activation.record.id, activation.params);
  switch (init.scheme) {
    case 'xavier_normal':
    case 'xavier_uniform':
    case 'lecun_normal':
    case 'lecun_uniform':
    case 'orthogonal':
      return gain2;
    case 'he_normal':
    case 'he_uniform':
      return (2 * gain2) / (1 + slope * slope);
    case 'normal':
      return gain2 * (init.std ?? DEFAULT_NORMAL_STD) ** 2 * width;
    case 'uniform':
      return (gain2 * (init.bound ?? DEFAULT_UNIFORM_BOUND) ** 2 * width) / 3;
    case 'zeros':
      return 0;
    case 'identity':
      return null;
  }
}

const sameReference = (a: ResolvedActivation, b: ResolvedActivation): boolean =>
  a.record.id === b.record.id && JSON.stringify(a.params) === JSON.stringify(b.params);

const sameInit = (a: InitSpec, b: InitSpec): boolean => JSON.stringify(a) === JSON.stringify(b);

/** The prediction for a simulation's network, or null when the theory does not describe it. */
export function predictFeedforward(spec: FeedforwardSpec, result: FeedforwardResult): FeedforwardTheory | null {
  const [first] = spec.layers;
  if (first === undefined || !('batchSize' in spec.input)) return null;
  const uniform = spec.layers.every(
    (layer) =>
      layer.width === spec.inputSize &&
      layer.weights === undefined &&
      layer.biases === undefined &&
      !layer.batchNorm &&
      layer.layerNorm !== true &&
      !layer.residual &&
      sameReference(layer.activation, first.activation) &&
      sameInit(layer.init, first.init),
  );
  if (!uniform) return null;
  const sigmaW2 = weightVarianceScale(first.init, spec.inputSize, first.activation);
  if (sigmaW2 === null) return null;

  const { scale, distribution } = spec.input;
  const inputSecondMoment = distribution === 'normal' ? scale * scale : (scale * scale) / 3;
  const depth = spec.layers.length;
  const theory = meanField(first.activation, {
    sigmaW2,
    sigmaB2: 0,
    depth: Math.max(depth - 1, 1),
    initialLength: sigmaW2 * inputSecondMoment,
  });

  // Anchor at the measured last layer and walk back with ½·log10 χ(q^l).
  const predicted: (number | null)[] = new Array<number | null>(depth).fill(null);
  predicted[depth - 1] = result.layers[depth - 1]?.gradient.log10PreactivationNorm ?? null;
  for (let index = depth - 2; index >= 0; index--) {
    const next = predicted[index + 1];
    const chi = theory.chiByLayer[index];
    predicted[index] = next === null || next === undefined || chi === null || chi === undefined || chi <= 0 ? null : next + 0.5 * Math.log10(chi);
  }

  const layers = result.layers.map((layer, index): LayerPrediction => {
    const prediction = predicted[index] ?? null;
    const measured = layer.gradient.log10PreactivationNorm;
    return {
      index: layer.index,
      preactivationVariance: theory.lengths[index] ?? null,
      measuredPreactivationVariance: layer.preactivation.std ** 2 + layer.preactivation.mean ** 2,
      log10PreactivationNorm: prediction,
      gap: prediction === null || measured === null ? null : measured - prediction,
    };
  });
  const firstPrediction = predicted[0] ?? null;
  const lastPrediction = predicted[depth - 1] ?? null;
  return {
    sigmaW2,
    sigmaB2: 0,
    qStar: theory.qStar,
    chi1: theory.chi1,
    phase: theory.phase,
    predictedMeanLog10GainPerLayer:
      depth > 1 && firstPrediction !== null && lastPrediction !== null ? (firstPrediction - lastPrediction) / (depth - 1) : null,
    measuredMeanLog10GainPerLayer: result.summary.meanLog10GainPerLayer,
    layers,
  };
}
