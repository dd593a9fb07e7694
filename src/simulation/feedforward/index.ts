/** The feed-forward simulator's public surface; what it shares with the others (errors, thresholds, layers) is imported from ../. */
export { estimateFeedforwardCost, type FeedforwardCost } from './cost.js';
export {
  type FeedforwardLayerResult,
  type FeedforwardResult,
  type FeedforwardSummary,
  type GradientFigures,
  type GradientSpread,
} from './result.js';
export { BATCH_NORM_EPSILON } from './layer.js';
export { simulateFeedforward, trialSeed } from './run.js';
export {
  type ExplicitInputSpec,
  type FeedforwardInputSpec,
  type FeedforwardLossSpec,
  type FeedforwardSpec,
  type RandomInputSpec,
} from './spec.js';
