/** The Jacobian spectrum's public surface; what it shares with the simulators (layers, errors, Precision) is imported from ../. */
export { estimateJacobianCost, type JacobianCost } from './cost.js';
export { type DepthFigures, type JacobianResult, MAX_LISTED_SINGULAR_VALUES } from './result.js';
export { jacobianSpectrum } from './run.js';
export {
  FLOAT64_DEFAULT_MAX_FLOPS,
  type JacobianHistogramSpec,
  type JacobianInputSpec,
  type JacobianLayerSpec,
  type JacobianSpec,
} from './spec.js';
export {
  DEFAULT_HISTOGRAM_BINS,
  type HistogramScale,
  type JacobianSpectrum,
  MAX_HISTOGRAM_BINS,
  MIN_LOG10_HISTOGRAM_WIDTH,
  type SpectrumHistogram,
} from './spectrum.js';
