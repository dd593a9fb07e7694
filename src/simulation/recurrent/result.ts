import type { Precision } from '../arithmetic.js';
import { finiteOrNull } from '../statistics.js';
import { type Verdict, verdictFor } from '../thresholds.js';
import type { GradientNorms, Moments } from './core.js';
import type { GruGate, GruStepStatistics } from './gru.js';
import type { LstmGate, LstmGradientNorms, LstmStepStatistics } from './lstm.js';
import type { RnnStepStatistics } from './rnn.js';

/** What the recurrent simulator reports, and how the per-step norms and statistics become it. */

/**
 * Norms follow the feed-forward simulator's convention: a plain norm is 0 where
 * it underflows float64 and null where it overflows; its log10 is exact and
 * finite whenever the norm is not exactly 0, and null when it is.
 */
interface RecurrentStepBase {
  t: number;
  /** ‖∂L/∂h_t‖_F over the batch. */
  gradientNorm: number | null;
  log10GradientNorm: number | null;
  /** h_t over the batch and the units (population std). */
  hidden: Moments;
}

export interface RnnStep extends RecurrentStepBase {
  /** Fraction of the units with |φ′(z_t)| < SATURATION_DERIVATIVE (thresholds.ts). */
  fractionSaturated: number;
}

export interface LstmStep extends RecurrentStepBase {
  /** ‖∂L/∂c_t‖_F: the total gradient of the cell state, through h_t and through c_{t+1}. */
  cellGradientNorm: number | null;
  log10CellGradientNorm: number | null;
  /** Mean of i_t, f_t, o_t (in (0, 1)) and of the candidate g_t (in (−1, 1)). */
  gates: Record<LstmGate, number>;
}

export interface GruStep extends RecurrentStepBase {
  /** Mean of r_t and z_t (in (0, 1)) and of the candidate n_t (in (−1, 1)). */
  gates: Record<GruGate, number>;
}

export interface RecurrentSummary {
  /**
   * log10(‖∂L/∂h_1‖ / ‖∂L/∂h_T‖): how much of the signal from the end reaches
   * the beginning. null when ‖∂L/∂h_1‖ is exactly 0 (the verdict still says vanishing).
   */
  log10GradientRatio: number | null;
  /** log10GradientRatio / (T − 1): the mean log10 gain of one step back; null for T = 1 or a null ratio. */
  meanLog10GainPerStep: number | null;
  /** By thresholds.ts's `verdictFor` (VANISHING_LOG10_RATIO, EXPLODING_LOG10_RATIO), as for the feed-forward simulator. */
  verdict: Verdict;
  /** L = (1/(2B)) ‖h_T − Y‖². */
  loss: number;
}

interface RecurrentResultBase {
  summary: RecurrentSummary;
  seed: number;
  precision: Precision;
}

export interface RnnResult extends RecurrentResultBase {
  cell: 'rnn';
  steps: RnnStep[];
}

export interface LstmResult extends RecurrentResultBase {
  cell: 'lstm';
  steps: LstmStep[];
}

export interface GruResult extends RecurrentResultBase {
  cell: 'gru';
  steps: GruStep[];
}

export type RecurrentResult = RnnResult | LstmResult | GruResult;

/** The GRU's result from its per-step statistics and ‖∂L/∂h_t‖. */
export function gruResult(statistics: readonly GruStepStatistics[], norms: GradientNorms, loss: number, seed: number, precision: Precision): GruResult {
  const steps = statistics.map((step, index) => ({ ...stepGradient(norms, index), ...step }));
  return { cell: 'gru', steps, summary: summarise(norms, loss), seed, precision };
}

/** The RNN's result from its per-step statistics and ‖∂L/∂h_t‖. */
export function rnnResult(statistics: readonly RnnStepStatistics[], norms: GradientNorms, loss: number, seed: number, precision: Precision): RnnResult {
  const steps = statistics.map((step, index) => ({ ...stepGradient(norms, index), ...step }));
  return { cell: 'rnn', steps, summary: summarise(norms, loss), seed, precision };
}

/** The LSTM's result from its per-step statistics, ‖∂L/∂h_t‖ and ‖∂L/∂c_t‖. */
export function lstmResult(
  statistics: readonly LstmStepStatistics[],
  norms: LstmGradientNorms,
  loss: number,
  seed: number,
  precision: Precision,
): LstmResult {
  const steps = statistics.map((step, index) => {
    const cell = stepGradient(norms.cell, index);
    return {
      ...stepGradient(norms.hidden, index),
      cellGradientNorm: cell.gradientNorm,
      log10CellGradientNorm: cell.log10GradientNorm,
      ...step,
    };
  });
  return { cell: 'lstm', steps, summary: summarise(norms.hidden, loss), seed, precision };
}

function stepGradient(norms: GradientNorms, index: number): { t: number; gradientNorm: number | null; log10GradientNorm: number | null } {
  return {
    t: index + 1,
    gradientNorm: finiteOrNull(norms.plain[index] as number),
    log10GradientNorm: finiteOrNull(norms.log10[index] as number),
  };
}

function summarise(norms: GradientNorms, loss: number): RecurrentSummary {
  const steps = norms.log10.length;
  // −Infinity (a zero gradient at t = 1) or NaN (zero at both ends) become null; verdictFor calls both vanishing.
  const ratio = (norms.log10[0] as number) - (norms.log10[steps - 1] as number);
  const log10GradientRatio = finiteOrNull(ratio);
  return {
    log10GradientRatio,
    meanLog10GainPerStep: steps > 1 && log10GradientRatio !== null ? log10GradientRatio / (steps - 1) : null,
    verdict: verdictFor(ratio),
    loss,
  };
}
