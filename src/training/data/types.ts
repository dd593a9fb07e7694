/**
 * The data a training run learns from, as the numeric core sees it: plain
 * typed arrays, row-major, already generated or loaded and checked. Where it
 * came from (a named data set, explicit rows, Fashion-MNIST from disk) is
 * src/training/data/'s business; the trainer (src/training/) only reads these.
 */

/** One split (train or test) of a feed-forward data set. */
export interface DataSplit {
  /** Number of examples n. */
  count: number;
  /** n × inputWidth inputs, row-major. */
  inputs: Float64Array;
  /** Class index per example, 0 … classes − 1 (classification data only). */
  labels: Int32Array | null;
  /** n × targetWidth regression targets, row-major (regression data only). */
  targets: Float64Array | null;
}

export interface TrainingData {
  /** The data set's name as the request gave it (`spirals`, `fashion-mnist`, `explicit`, …). */
  name: string;
  inputWidth: number;
  /** Number of classes for classification data; null for regression (targets). */
  classes: number | null;
  /** Width of a target row for regression data; null for classification. */
  targetWidth: number | null;
  train: DataSplit;
  /** null when the request has no test data. */
  test: DataSplit | null;
}

/**
 * A data set of sequences (the adding problem): each example is T steps of
 * `channels` inputs, and one regression target per sequence (read at the last step).
 */
export interface SequenceSplit {
  count: number;
  /** count × length × channels, row-major (example, then step, then channel). */
  inputs: Float64Array;
  /** count × targetWidth. */
  targets: Float64Array;
}

export interface SequenceData {
  name: string;
  length: number;
  channels: number;
  targetWidth: number;
  train: SequenceSplit;
  test: SequenceSplit | null;
}
