/**
 * Charts as pictures: builders turn data into Vega-Lite specs (`…Spec`, pure
 * and synchronous) or straight into SVG; `renderSvg` / `renderPng` render any
 * spec in the house style. Nothing here knows about HTTP.
 */
export {
  activationChart,
  activationChartSpec,
  activationLabel,
  activationPanelsChart,
  activationPanelsChartSpec,
  type ActivationChartInput,
  type ActivationCurve,
  type ActivationInput,
  type ActivationPanelsInput,
  DEFAULT_CURVE_POINTS,
  MAX_CHART_ACTIVATIONS,
  MAX_CURVE_POINTS,
} from './activation-charts.js';
export { type ChartOptions, MAX_PLOT_SIZE, MAX_TITLE_LENGTH, MIN_PLOT_SIZE, PlotInputError, XML_TEXT } from './chart-input.js';
export {
  type ChartSpec,
  ExternalResourceError,
  MAX_PNG_PIXELS,
  MAX_PNG_SCALE,
  MAX_PNG_SIDE,
  MIN_PNG_SCALE,
  PNG_MEDIA_TYPE,
  type PngOptions,
  renderPng,
  renderSvg,
  type RenderOptions,
  SVG_MEDIA_TYPE,
  svgToPng,
} from './render.js';
export {
  activationStatisticsChart,
  activationStatisticsChartSpec,
  type ActivationStatisticsChartInput,
  feedforwardGradientChart,
  feedforwardGradientChartSpec,
  type FeedforwardGradientChartInput,
  type FeedforwardResponse,
  type GradientNorm,
  recurrentGradientChart,
  recurrentGradientChartSpec,
  type RecurrentGradientChartInput,
  type RecurrentResponse,
} from './simulation-charts.js';
export {
  jacobianSpectrum,
  jacobianSpectrumSpec,
  type JacobianSpectrumInput,
  MAX_BINS,
  MAX_PHASE_DIAGRAM_CELLS,
  phaseDiagram,
  phaseDiagramSpec,
  type PhaseDiagramInput,
} from './theory-charts.js';
export { type TrainingChart, type TrainingChartInput, trainingCharts, trainingChartSpec } from './training-charts.js';
export { MAX_SWEEP_CHART_CELLS, sweepHeatMap, sweepHeatMapSpec, type SweepHeatMapInput, sweepLine, sweepLineSpec, type SweepLineInput, type SweepOverlay } from './sweep-charts.js';
