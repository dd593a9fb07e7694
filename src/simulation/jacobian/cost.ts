import { initializationFlops } from '../init.js';
import type { Precision } from '../arithmetic.js';
import { singularValueFlops } from './singular-values.js';
import { accumulationFlops, type JacobianSpec, planJacobian } from './spec.js';

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
