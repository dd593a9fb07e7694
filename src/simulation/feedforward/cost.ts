import type { Precision } from '../arithmetic.js';
import { initializationFlops } from '../init.js';
import { type FeedforwardSpec, planFeedforward } from './spec.js';

/** Floating-point work per activation element, forward + backward (φ, φ′, statistics, norms): a rough, generous figure. */
const ELEMENTWISE_FLOPS = 40;

/**
 * Rates to weigh the parts by on the 2-core host: products ~25 GFLOP/s in
 * float32 on tfjs-wasm (~100+ on onnxruntime), ~1 GFLOP/s in float64 JS loops;
 * initialisation ~0.5 GFLOP/s for orthogonal's QR and ~25–50 ns per weight drawn.
 */
export interface FeedforwardCost {
  /** Everything, all trials: productFlops + initializationFlops. */
  flops: number;
  /** The 3L − 1 products per trial plus elementwise work (φ, φ′, statistics, norms). */
  productFlops: number;
  /** One unit per random number drawn (X, Y, weights), orthogonal's QR counted in flops; all trials. */
  initializationFlops: number;
  /** Peak working memory in bytes. */
  bytes: number;
  precision: Precision;
}

/** Cost of `simulateFeedforward(spec)`, for a request limit; validates the shapes first (throws like it). */
export function estimateFeedforwardCost(spec: FeedforwardSpec): FeedforwardCost {
  const { batchSize, widths, precision } = planFeedforward(spec);
  const elementBytes = precision === 'float32' ? 4 : 8;
  let productFlops = 0;
  const outputWidth = widths[widths.length - 1] as number;
  // Random draws of X and Y count like weights.
  let initFlops =
    ('values' in spec.input ? 0 : batchSize * spec.inputSize) +
    (spec.loss.type === 'mse' && spec.loss.targets === undefined ? batchSize * outputWidth : 0);
  let weightElements = 0;
  let activationElements = batchSize * spec.inputSize;
  let largestWidth = spec.inputSize;
  let largestMatrix = 0;
  let orthogonalScratch = 0;
  spec.layers.forEach((layer, position) => {
    const fanIn = widths[position] as number;
    const width = layer.width;
    const products = position === 0 ? 2 : 3;
    productFlops += products * 2 * batchSize * fanIn * width + ELEMENTWISE_FLOPS * batchSize * width;
    if (layer.weights === undefined) {
      initFlops += initializationFlops(layer.init.scheme, fanIn, width);
      if (layer.init.scheme === 'orthogonal') orthogonalScratch = Math.max(orthogonalScratch, 3 * 8 * fanIn * width);
    }
    weightElements += fanIn * width;
    activationElements += batchSize * width * (layer.batchNorm ? 3 : 2);
    largestWidth = Math.max(largestWidth, width);
    largestMatrix = Math.max(largestMatrix, fanIn * width);
  });
  const scratchElements = 4 * batchSize * largestWidth + largestMatrix;
  const bytes =
    elementBytes * (weightElements + activationElements + scratchElements) +
    8 * (batchSize * outputWidth + 4 * largestWidth) +
    orthogonalScratch;
  return {
    flops: spec.trials * (productFlops + initFlops),
    productFlops: spec.trials * productFlops,
    initializationFlops: spec.trials * initFlops,
    bytes,
    precision,
  };
}
