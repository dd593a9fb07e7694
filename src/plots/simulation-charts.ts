import type { z } from 'zod';
import type { feedforwardResponseSchema, recurrentResponseSchema } from '../schemas/simulations.js';
import { type ChartOptions, PlotInputError, plotSize, titleBlock } from './chart-input.js';
import { decadeAxis, decadeDomain } from './log10-axis.js';
import { renderSvg, VEGA_LITE_SCHEMA, type ChartSpec } from './render.js';
import { CATEGORY_COLOURS, CHART_SIZE, DASHED, SOLID } from './theme.js';

/**
 * Charts of the simulation endpoints' responses, drawn from exactly what they
 * return. Gradient norms are plotted as their log10 on decade axes (see
 * log10-axis.ts); layers or steps whose norm is exactly zero (log10 null)
 * are left out and counted in the subtitle.
 */

export type FeedforwardResponse = z.output<typeof feedforwardResponseSchema>;
export type RecurrentResponse = z.output<typeof recurrentResponseSchema>;

export type GradientNorm = 'weight' | 'bias' | 'preactivation' | 'output';

const GRADIENT_NORMS = {
  weight: { field: 'log10WeightNorm', label: '‖∂L/∂Wˡ‖' },
  bias: { field: 'log10BiasNorm', label: '‖∂L/∂bˡ‖' },
  preactivation: { field: 'log10PreactivationNorm', label: '‖∂L/∂zˡ‖' },
  output: { field: 'log10OutputNorm', label: '‖∂L/∂aˡ‖' },
} as const;

export interface FeedforwardGradientChartInput extends ChartOptions {
  result: FeedforwardResponse;
  /** Which gradients, each a line (default: the weight gradient). */
  norms?: readonly GradientNorm[];
  /** With trials > 1, the shaded band around each line: min–max over trials (default), mean ± std, or none. */
  band?: 'range' | 'std' | 'none';
  /** Predicted log10 norm of the first of `norms` for layers 1…L (null where there is no prediction); drawn dashed. */
  theory?: readonly (number | null)[];
  /** Legend text of the theory line (default "theory"). */
  theoryLabel?: string;
}

export interface RecurrentGradientChartInput extends ChartOptions {
  result: RecurrentResponse;
}

export interface ActivationStatisticsChartInput extends ChartOptions {
  result: FeedforwardResponse;
}

/** Lines get a dot per point up to this many points. */
const MAX_POINTS_WITH_DOTS = 60;

interface NormRow {
  position: number;
  series: string;
  log10: number;
}

interface BandRow {
  position: number;
  series: string;
  low: number;
  high: number;
}

interface Series {
  name: string;
  dashed: boolean;
  /** Defaults to the next palette colour. */
  colour?: string;
}

interface NormChart {
  options: ChartOptions;
  title: string;
  subtitle: string[];
  positionTitle: string;
  normTitle: string;
  positions: number;
  series: Series[];
  rows: NormRow[];
  bands: BandRow[];
}

function formatLog10(value: number): string {
  return value.toFixed(Math.abs(value) >= 100 ? 0 : 1).replace('-', '−');
}

function positionScale(count: number): { domain: number[]; nice: false } {
  return { domain: count === 1 ? [0.5, 1.5] : [1, count], nice: false };
}

/** Log10 norms against layer or time step: one line per series, optional bands; a legend when there are several series. */
function normChartSpec(chart: NormChart): ChartSpec {
  const { series, rows, bands } = chart;
  const names = series.map(({ name }) => name);
  let nextColour = 0;
  const colours = series.map(({ colour }) => colour ?? (CATEGORY_COLOURS[nextColour++ % CATEGORY_COLOURS.length] as string));
  // The area layer shares this legend; its symbols would otherwise take the band's opacity.
  const legend = series.length > 1 ? { symbolType: 'stroke', symbolOpacity: 1, title: null } : null;
  const colour = { field: 'series', type: 'nominal', scale: { domain: names, range: colours }, legend } as const;
  const x = {
    field: 'position',
    type: 'quantitative',
    title: chart.positionTitle,
    scale: positionScale(chart.positions),
    axis: { tickMinStep: 1, format: 'd' },
  } as const;
  const domain = decadeDomain([...rows.map(({ log10 }) => log10), ...bands.flatMap(({ low, high }) => [low, high])]);
  const dots = chart.positions <= MAX_POINTS_WITH_DOTS;
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: titleBlock(chart.options, chart.title, chart.subtitle),
    ...plotSize(chart.options, CHART_SIZE),
    layer: [
      ...(bands.length > 0
        ? [
            {
              data: { values: bands },
              mark: { type: 'area', opacity: 0.2 },
              encoding: {
                x,
                y: { field: 'low', type: 'quantitative', scale: { domain, nice: false }, axis: decadeAxis(chart.normTitle) },
                y2: { field: 'high' },
                color: colour,
              },
            },
          ]
        : []),
      {
        data: { values: rows },
        mark: { type: 'line', ...(dots ? { point: { filled: true, size: 20 } } : {}) },
        encoding: {
          x,
          y: { field: 'log10', type: 'quantitative', scale: { domain, nice: false }, axis: decadeAxis(chart.normTitle) },
          color: colour,
          strokeDash: {
            field: 'series',
            type: 'nominal',
            scale: { domain: names, range: series.map(({ dashed }) => (dashed ? DASHED : SOLID)) },
            legend,
          },
        },
      },
    ],
  } as ChartSpec;
}

function omittedNote(count: number, what: string): string[] {
  return count === 0 ? [] : [`Not shown: ${count} ${what}${count === 1 ? '' : 's'} exactly zero (log₁₀ = −∞).`];
}

/** The summary's verdict and log10GradientRatio (first layer or step over last). */
function verdictNote(verdict: string, log10Ratio: number | null): string {
  return log10Ratio === null ? `verdict: ${verdict}` : `verdict: ${verdict}, log₁₀ gradient ratio first/last ${formatLog10(log10Ratio)}`;
}

/** Gradient norm per layer on a decade axis; bands over trials, an optional dashed theory line. */
export function feedforwardGradientChartSpec(input: FeedforwardGradientChartInput): ChartSpec {
  const { result, band = 'range', theoryLabel = 'theory' } = input;
  const norms: GradientNorm[] = input.norms === undefined || input.norms.length === 0 ? ['weight'] : [...new Set(input.norms)];
  const depth = result.layers.length;
  if (depth === 0) throw new PlotInputError('The simulation result has no layers.');
  if (input.theory !== undefined && input.theory.length !== depth) {
    throw new PlotInputError(`theory has ${input.theory.length} values for ${depth} layers.`);
  }
  const rows: NormRow[] = [];
  const bands: BandRow[] = [];
  let omitted = 0;
  for (const norm of norms) {
    const { field, label } = GRADIENT_NORMS[norm];
    for (const layer of result.layers) {
      const log10 = layer.gradient[field];
      if (log10 === null || log10 === undefined) {
        if (norm !== 'bias' || layer.gradient.biasNorm !== null) omitted++;
        continue;
      }
      rows.push({ position: layer.index, series: label, log10 });
      const spread = layer.spread?.[field];
      if (band === 'none' || spread === undefined || spread === null) continue;
      const [low, high] = band === 'std' ? [spread.std === null ? null : log10 - spread.std, spread.std === null ? null : log10 + spread.std] : [spread.min, spread.max];
      if (low !== null && high !== null) bands.push({ position: layer.index, series: label, low, high });
    }
  }
  const series: Series[] = norms.map((norm) => ({ name: GRADIENT_NORMS[norm].label, dashed: false }));
  if (input.theory !== undefined) {
    series.push({ name: theoryLabel, dashed: true, colour: '#000000' });
    input.theory.forEach((log10, index) => {
      if (log10 !== null && Number.isFinite(log10)) rows.push({ position: index + 1, series: theoryLabel, log10 });
    });
  }
  const activations = [...new Set(result.layers.map(({ activation }) => activation))].join(', ');
  const trials = result.trials > 1 ? [`mean of ${result.trials} trials${bands.length === 0 ? '' : band === 'std' ? ', band ± 1 std' : ', band min–max'}`] : [];
  const settings = [activations, `${depth} layer${depth === 1 ? '' : 's'}`, ...trials, verdictNote(result.summary.verdict, result.summary.log10GradientRatio)];
  return normChartSpec({
    options: input,
    title: 'Gradient norm per layer',
    subtitle: [settings.join(' · '), ...omittedNote(omitted, 'layer norm')],
    positionTitle: 'layer',
    normTitle: norms.length === 1 ? `gradient norm ${GRADIENT_NORMS[norms[0] as GradientNorm].label}` : 'gradient norm',
    positions: depth,
    series,
    rows,
    bands,
  });
}

/** ‖∂L/∂h_t‖ (and for an LSTM ‖∂L/∂c_t‖) against t on a decade axis. */
export function recurrentGradientChartSpec(input: RecurrentGradientChartInput): ChartSpec {
  const { result } = input;
  if (result.steps.length === 0) throw new PlotInputError('The simulation result has no steps.');
  const hidden = '‖∂L/∂hₜ‖';
  const cell = '‖∂L/∂cₜ‖';
  const lstm = result.cell === 'lstm';
  const rows: NormRow[] = [];
  let omitted = 0;
  for (const step of result.steps) {
    if (step.log10GradientNorm === null) omitted++;
    else rows.push({ position: step.t, series: hidden, log10: step.log10GradientNorm });
    if (!lstm) continue;
    if (step.log10CellGradientNorm === null || step.log10CellGradientNorm === undefined) omitted++;
    else rows.push({ position: step.t, series: cell, log10: step.log10CellGradientNorm });
  }
  const steps = result.steps.length;
  const settings = [result.cell.toUpperCase(), `T = ${steps} step${steps === 1 ? '' : 's'}`, verdictNote(result.summary.verdict, result.summary.log10GradientRatio)];
  return normChartSpec({
    options: input,
    title: 'Gradient norm through time',
    subtitle: [settings.join(' · '), ...omittedNote(omitted, 'step norm')],
    positionTitle: 'time step t',
    normTitle: lstm ? 'gradient norm' : `gradient norm ${hidden}`,
    positions: Math.max(...result.steps.map(({ t }) => t)),
    series: lstm ? [{ name: hidden, dashed: false }, { name: cell, dashed: true }] : [{ name: hidden, dashed: false }],
    rows,
    bands: [],
  });
}

/** Two panels over the layers: output mean and std (and the pre-activation std); dead and saturated fractions. */
export function activationStatisticsChartSpec(input: ActivationStatisticsChartInput): ChartSpec {
  const { result } = input;
  const depth = result.layers.length;
  if (depth === 0) throw new PlotInputError('The simulation result has no layers.');
  const size = plotSize(input, { width: CHART_SIZE.width, height: 180 });
  const statistics = result.layers.flatMap((layer) => [
    { position: layer.index, series: 'mean of aˡ', value: layer.output.mean },
    { position: layer.index, series: 'std of aˡ', value: layer.output.std },
    { position: layer.index, series: 'std of zˡ (pre-activation)', value: layer.preactivation.std },
  ]);
  const fractions = result.layers.flatMap((layer) => [
    { position: layer.index, series: 'dead: aˡ = 0', value: layer.output.fractionZero },
    { position: layer.index, series: 'saturated: |φ′(zˡ)| < 0.01', value: layer.output.fractionSaturated },
  ]);
  const x = {
    field: 'position',
    type: 'quantitative',
    title: 'layer',
    scale: positionScale(depth),
    axis: { tickMinStep: 1, format: 'd' },
  } as const;
  const dots = depth <= MAX_POINTS_WITH_DOTS;
  const panel = (title: string, values: { series: string }[], y: object) => ({
    title,
    ...size,
    data: { values },
    mark: { type: 'line', ...(dots ? { point: { filled: true, size: 20 } } : {}) },
    encoding: {
      x,
      y: { field: 'value', type: 'quantitative', ...y },
      color: { field: 'series', type: 'nominal', scale: { domain: [...new Set(values.map(({ series }) => series))] }, legend: { symbolType: 'stroke', title: null } },
    },
  });
  const trials = result.trials > 1 ? [`means over ${result.trials} trials`] : [];
  const activations = [...new Set(result.layers.map(({ activation }) => activation))].join(', ');
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: titleBlock(input, 'Activation statistics per layer', [[activations, `${depth} layer${depth === 1 ? '' : 's'}`, ...trials].join(' · ')]),
    vconcat: [
      panel('Outputs and pre-activations', statistics, { title: 'value' }),
      panel('Dead and saturated units', fractions, { title: 'fraction of units', scale: { domain: [0, 1] }, axis: { format: '.0%' } }),
    ],
    resolve: { scale: { color: 'independent' } },
  } as ChartSpec;
}

export function feedforwardGradientChart(input: FeedforwardGradientChartInput): Promise<string> {
  return renderSvg(feedforwardGradientChartSpec(input));
}

export function recurrentGradientChart(input: RecurrentGradientChartInput): Promise<string> {
  return renderSvg(recurrentGradientChartSpec(input));
}

export function activationStatisticsChart(input: ActivationStatisticsChartInput): Promise<string> {
  return renderSvg(activationStatisticsChartSpec(input));
}
