import type { FloatArray } from '../simulation/statistics.js';

/**
 * The two losses, over a batch of `rows` outputs: the mean value and, when
 * asked, ∂L/∂(output) written into `gradient`.
 *
 * - cross_entropy: mean over the batch of −log softmax(logits)[label], with
 *   log-softmax as PyTorch computes it (x − max − log Σ exp(x − max)); the
 *   gradient is (softmax − one-hot)/B.
 * - mse: (1/(2B)) Σ‖a − y‖², gradient (a − y)/B, as in the simulations.
 */

export type LossType = 'cross_entropy' | 'mse';

export interface LossTotals {
  /** Σ over the rows of each row's loss (cross-entropy −log p, mse ½‖a − y‖²). */
  sum: number;
  /** Rows whose largest logit is the label's (cross_entropy only; ties go to the lower index, as argmax). */
  correct: number;
}

/** `labels` (cross_entropy) or `targets` (mse, rows × width) of the same rows as `output`. */
export interface BatchTruth {
  labels: Int32Array | null;
  targets: FloatArray | null;
}

export function lossOf(
  type: LossType,
  output: FloatArray,
  rows: number,
  width: number,
  truth: BatchTruth,
  gradient: FloatArray | null,
): LossTotals {
  let sum = 0;
  let correct = 0;
  if (type === 'cross_entropy') {
    const labels = truth.labels as Int32Array;
    for (let b = 0; b < rows; b += 1) {
      const row = b * width;
      let largest = output[row] as number;
      let argmax = 0;
      for (let j = 1; j < width; j += 1) {
        const value = output[row + j] as number;
        if (value > largest) {
          largest = value;
          argmax = j;
        }
      }
      let total = 0;
      for (let j = 0; j < width; j += 1) total += Math.exp((output[row + j] as number) - largest);
      const logTotal = Math.log(total);
      const label = labels[b] as number;
      sum -= (output[row + label] as number) - largest - logTotal;
      if (argmax === label) correct += 1;
      if (gradient !== null) {
        for (let j = 0; j < width; j += 1) {
          const probability = Math.exp((output[row + j] as number) - largest - logTotal);
          gradient[row + j] = ((j === label ? probability - 1 : probability) / rows);
        }
      }
    }
  } else {
    const targets = truth.targets as FloatArray;
    for (let i = 0; i < rows * width; i += 1) {
      const residual = (output[i] as number) - (targets[i] as number);
      sum += 0.5 * residual * residual;
      if (gradient !== null) gradient[i] = residual / rows;
    }
  }
  return { sum, correct };
}
