import type { Precision } from '../arithmetic.js';
import type { FeedforwardLayerSpec } from '../network.js';
import { finiteMean, finiteOrNull, log10Scaled, scaleByPowerOfTwo, type Spread, spreadOf } from '../statistics.js';
import { type Verdict, verdictFor } from '../thresholds.js';

/**
 * What the feed-forward simulator reports, and how per-trial figures become
 * it: means over trials, spreads, the summary and its verdict. Each layer and
 * the summary are plain objects so that later fields (a `theory` prediction
 * beside `gradient`, say) can sit next to the measured ones.
 */

/**
 * Gradient norms of one layer. Plain norms are null when beyond the float64
 * range (or when the layer has no such parameter) and 0 when they underflow;
 * log10 norms are null only when the norm is exactly 0 (or there is no such
 * parameter). `biasNorm`/`log10BiasNorm` are null for a layer without a bias and
 * for a batch-norm layer (normalisation removes the bias: its gradient is 0).
 */
export interface GradientFigures {
  preactivationNorm: number | null;
  outputNorm: number | null;
  weightNorm: number | null;
  biasNorm: number | null;
  log10PreactivationNorm: number | null;
  log10OutputNorm: number | null;
  log10WeightNorm: number | null;
  log10BiasNorm: number | null;
}

export interface GradientSpread {
  log10PreactivationNorm: Spread;
  log10OutputNorm: Spread;
  log10WeightNorm: Spread;
  /** null for a layer whose bias figures are null. */
  log10BiasNorm: Spread | null;
}

/**
 * One layer's figures. With several trials every number is the mean across
 * trials — arithmetic for the statistics, of the log10 for gradient norms (the
 * plain norm is then 10^mean, the geometric mean) — and `spread` tells how far
 * the trials scatter.
 */
export interface FeedforwardLayerResult {
  /** 1-based, in request order. */
  index: number;
  width: number;
  /** Canonical activation id. */
  activation: string;
  /** z^l = a^{l−1}W^l + b^l over the whole batch (before batch normalisation); population std. */
  preactivation: { mean: number; std: number };
  output: {
    mean: number;
    std: number;
    /** Fraction of a^l exactly 0 ("dead" units). */
    fractionZero: number;
    /** Fraction of elements with |φ′(z)| < SATURATION_DERIVATIVE. */
    fractionSaturated: number;
  };
  gradient: GradientFigures;
  /** Present when trials > 1. */
  spread?: GradientSpread;
}

export interface FeedforwardSummary {
  /**
   * log10(‖∂L/∂W^1‖ / ‖∂L/∂W^L‖): negative when the first layer learns slower
   * than the last. null when one of the norms is exactly 0 (the verdict still says
   * which way).
   */
  log10GradientRatio: number | null;
  /**
   * Mean change of log10 ‖∂L/∂z^l‖ per layer going backward, from layer L to
   * layer 1: (log10 ‖∂L/∂z^1‖ − log10 ‖∂L/∂z^L‖) / (L − 1), the average of the
   * per-layer log10 gains ‖∂L/∂z^l‖ / ‖∂L/∂z^{l+1}‖. null for one layer or a zero norm.
   */
  meanLog10GainPerLayer: number | null;
  /** log10GradientRatio < VANISHING_LOG10_RATIO: vanishing; > EXPLODING_LOG10_RATIO: exploding; else stable. */
  verdict: Verdict;
  /** Present when trials > 1. */
  spread?: { log10GradientRatio: Spread; meanLog10GainPerLayer: Spread };
}

export interface FeedforwardResult {
  layers: FeedforwardLayerResult[];
  /** Mean over trials. */
  loss: number;
  summary: FeedforwardSummary;
  seed: number;
  trials: number;
  precision: Precision;
}

// ---------------------------------------------------------------- per-trial figures

/** A norm as stored value · 2^exponent. */
export interface ScaledNorm {
  stored: number;
  exponent: number;
}

export interface LayerFigures {
  preactivationMean: number;
  preactivationStd: number;
  outputMean: number;
  outputStd: number;
  fractionZero: number;
  fractionSaturated: number;
  preactivationNorm: ScaledNorm;
  outputNorm: ScaledNorm;
  weightNorm: ScaledNorm;
  /** null: no bias, or batch norm. */
  biasNorm: ScaledNorm | null;
}

export interface TrialFigures {
  layers: LayerFigures[];
  loss: number;
}

// ---------------------------------------------------------------- summary

interface CombinedNorm {
  plain: number | null;
  log10: number | null;
  spread: Spread | null;
}

type NormKey = 'preactivationNorm' | 'outputNorm' | 'weightNorm' | 'biasNorm';

/**
 * One gradient norm across trials. One trial: the exact plain value (null beyond
 * float64) and its log10 (null for 0). Several: the mean of the log10s and
 * 10^mean (the geometric mean), with the spread. An absent norm (no bias) is null.
 */
function combineNorms(figures: readonly (ScaledNorm | null)[]): CombinedNorm {
  const present = figures.filter((figure): figure is ScaledNorm => figure !== null);
  if (present.length === 0) return { plain: null, log10: null, spread: null };
  const logs = present.map((figure) => log10Scaled(figure.stored, figure.exponent));
  if (present.length === 1) {
    const only = present[0] as ScaledNorm;
    return { plain: finiteOrNull(scaleByPowerOfTwo(only.stored, only.exponent)), log10: finiteOrNull(logs[0] as number), spread: null };
  }
  const meanLog = logs.reduce((sum, value) => sum + value, 0) / logs.length;
  return { plain: finiteOrNull(10 ** meanLog), log10: finiteMean(logs), spread: spreadOf(logs) };
}

/** Per-trial figures → the result (means over trials, spreads when trials > 1, the summary). */
export function summarise(
  layersSpec: readonly Pick<FeedforwardLayerSpec, 'width' | 'activation'>[],
  seed: number,
  precision: Precision,
  trials: TrialFigures[],
): FeedforwardResult {
  const single = trials.length === 1;
  const depth = layersSpec.length;
  const meanOf = (pick: (trial: TrialFigures) => number): number => trials.reduce((sum, trial) => sum + pick(trial), 0) / trials.length;

  const layers = layersSpec.map((layer, position): FeedforwardLayerResult => {
    const at = (trial: TrialFigures): LayerFigures => trial.layers[position] as LayerFigures;
    const combined = (key: NormKey): CombinedNorm => combineNorms(trials.map((trial) => at(trial)[key]));
    const preactivationNorm = combined('preactivationNorm');
    const outputNorm = combined('outputNorm');
    const weightNorm = combined('weightNorm');
    const biasNorm = combined('biasNorm');
    const result: FeedforwardLayerResult = {
      index: position + 1,
      width: layer.width,
      activation: layer.activation.record.id,
      preactivation: { mean: meanOf((t) => at(t).preactivationMean), std: meanOf((t) => at(t).preactivationStd) },
      output: {
        mean: meanOf((t) => at(t).outputMean),
        std: meanOf((t) => at(t).outputStd),
        fractionZero: meanOf((t) => at(t).fractionZero),
        fractionSaturated: meanOf((t) => at(t).fractionSaturated),
      },
      gradient: {
        preactivationNorm: preactivationNorm.plain,
        outputNorm: outputNorm.plain,
        weightNorm: weightNorm.plain,
        biasNorm: biasNorm.plain,
        log10PreactivationNorm: preactivationNorm.log10,
        log10OutputNorm: outputNorm.log10,
        log10WeightNorm: weightNorm.log10,
        log10BiasNorm: biasNorm.log10,
      },
    };
    if (!single) {
      result.spread = {
        log10PreactivationNorm: preactivationNorm.spread as Spread,
        log10OutputNorm: outputNorm.spread as Spread,
        log10WeightNorm: weightNorm.spread as Spread,
        log10BiasNorm: biasNorm.spread,
      };
    }
    return result;
  });

  const logOf = (trial: TrialFigures, position: number, key: 'weightNorm' | 'preactivationNorm'): number => {
    const figure = (trial.layers[position] as LayerFigures)[key];
    return log10Scaled(figure.stored, figure.exponent);
  };
  const ratios = trials.map((trial) => logOf(trial, 0, 'weightNorm') - logOf(trial, depth - 1, 'weightNorm'));
  const gains = trials.map((trial) => (logOf(trial, 0, 'preactivationNorm') - logOf(trial, depth - 1, 'preactivationNorm')) / (depth - 1));
  const meanRatio = ratios.reduce((sum, value) => sum + value, 0) / ratios.length;
  const summary: FeedforwardSummary = {
    log10GradientRatio: finiteOrNull(meanRatio),
    meanLog10GainPerLayer: depth === 1 ? null : finiteMean(gains),
    verdict: verdictFor(meanRatio),
  };
  if (!single) summary.spread = { log10GradientRatio: spreadOf(ratios), meanLog10GainPerLayer: spreadOf(gains) };

  return { layers, loss: meanOf((trial) => trial.loss), summary, seed, trials: trials.length, precision };
}
