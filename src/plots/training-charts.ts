import type { TrainingResponse } from '../schemas/training.js';
import { type ChartOptions, PlotInputError, plotSize, titleBlock } from './chart-input.js';
import { decadeAxis, decadeDomain } from './log10-axis.js';
import { VEGA_LITE_SCHEMA, type ChartSpec } from './spec.js';
import { CATEGORY_COLOURS, CHART_SIZE, DASHED, PANEL_SIZE, SOLID } from './theme.js';

/**
 * Charts of a training answer, drawn from exactly what POST /v1/training
 * returns: loss or accuracy per run against the step (train solid, test
 * dashed), and, per layer, log10 ‖∂L/∂Wˡ‖ or the dead fraction against the
 * step (one panel per run of a race). Pure and free of Node, like spec.ts:
 * the lab draws a race live in the browser with this very function.
 */

export type TrainingChart = 'loss' | 'accuracy' | 'gradients' | 'dead';

export const trainingCharts: readonly TrainingChart[] = ['loss', 'accuracy', 'gradients', 'dead'];

export interface TrainingChartInput extends ChartOptions {
  result: TrainingResponse;
  chart: TrainingChart;
}

/** Panels side by side before a race's per-layer chart wraps to the next row. */
const PANELS_PER_ROW = 3;

interface Row {
  step: number;
  series: string;
  split: 'train' | 'test';
  value: number;
  run: string;
}

const colourScale = (names: readonly string[]) => ({ domain: names, range: names.map((_, index) => CATEGORY_COLOURS[index % CATEGORY_COLOURS.length] as string) });

function subtitleOf(result: TrainingResponse, extra: string[] = []): string[] {
  const steps = Math.max(...result.runs.map((run) => run.final.step));
  return [[`${result.runs.length} run${result.runs.length === 1 ? '' : 's'}`, `${steps} steps`, result.precision, `seed ${result.seed}`, ...extra].join(' · ')];
}

/** Loss or accuracy per run: train solid, test dashed; loss on decades. */
function curvesSpec(input: TrainingChartInput): ChartSpec {
  const { result, chart } = input;
  const rows: Row[] = [];
  let omitted = 0;
  for (const run of result.runs) {
    for (const entry of run.history) {
      const pairs: ['train' | 'test', number | null][] =
        chart === 'loss'
          ? [
              ['train', entry.trainLoss],
              ['test', entry.testLoss],
            ]
          : [
              ['train', entry.trainAccuracy],
              ['test', entry.testAccuracy],
            ];
      for (const [split, raw] of pairs) {
        if (raw === null) continue;
        if (chart === 'loss' && !(raw > 0)) {
          omitted++;
          continue;
        }
        rows.push({ step: entry.step, series: run.label, split, value: chart === 'loss' ? Math.log10(raw) : raw, run: run.label });
      }
    }
  }
  if (rows.length === 0) {
    throw new PlotInputError(chart === 'accuracy' ? 'This training has no accuracy to draw (mse loss); ask for chart=loss.' : 'This training has no positive loss to draw.');
  }
  const names = result.runs.map((run) => run.label);
  const hasTest = rows.some((row) => row.split === 'test');
  const y =
    chart === 'loss'
      ? { field: 'value', type: 'quantitative', scale: { domain: decadeDomain(rows.map((row) => row.value)), nice: false }, axis: decadeAxis('loss') }
      : { field: 'value', type: 'quantitative', title: 'accuracy', scale: { domain: [0, 1] }, axis: { format: '.0%' } };
  const notes = [...(hasTest ? ['solid: training set, dashed: test set'] : []), ...(omitted > 0 ? [`not shown: ${omitted} losses of exactly 0`] : [])];
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: titleBlock(input, chart === 'loss' ? 'Loss during training' : 'Accuracy during training', subtitleOf(result, notes)),
    ...plotSize(input, CHART_SIZE),
    data: { values: rows },
    mark: { type: 'line' },
    encoding: {
      x: { field: 'step', type: 'quantitative', title: 'step', axis: { format: 'd' } },
      y,
      color: { field: 'series', type: 'nominal', scale: colourScale(names), legend: names.length > 1 ? { title: null, symbolType: 'stroke' } : null },
      strokeDash: { field: 'split', type: 'nominal', scale: { domain: ['train', 'test'], range: [SOLID, DASHED] }, legend: null },
      detail: { field: 'split' },
    },
  } as ChartSpec;
}

/** Per layer against the step: log10 gradient norm, or the dead fraction; a panel per run when there are several. */
function layersSpec(input: TrainingChartInput): ChartSpec {
  const { result, chart } = input;
  const rows: Row[] = [];
  let omitted = 0;
  for (const run of result.runs) {
    for (const entry of run.history) {
      for (const layer of entry.layers) {
        const value = chart === 'gradients' ? layer.log10GradientNorm : layer.fractionDead;
        if (value === null) {
          omitted++;
          continue;
        }
        rows.push({ step: entry.step, series: `layer ${layer.index}`, split: 'train', value, run: run.label });
      }
    }
  }
  if (rows.length === 0) throw new PlotInputError('The training history has no layer figures to draw.');
  const layerNames = [...new Set(rows.map((row) => row.series))];
  const y =
    chart === 'gradients'
      ? { field: 'value', type: 'quantitative', scale: { domain: decadeDomain(rows.map((row) => row.value)), nice: false }, axis: decadeAxis('‖∂L/∂Wˡ‖') }
      : { field: 'value', type: 'quantitative', title: 'dead fraction', scale: { domain: [0, 1] }, axis: { format: '.0%' } };
  const notes = omitted > 0 ? [`not shown: ${omitted} gradient norms of exactly 0`] : [];
  const layer = {
    mark: { type: 'line' },
    encoding: {
      x: { field: 'step', type: 'quantitative', title: 'step', axis: { format: 'd' } },
      y,
      color: { field: 'series', type: 'nominal', sort: null, scale: colourScale(layerNames), legend: { title: null, symbolType: 'stroke' } },
    },
  };
  const title = titleBlock(input, chart === 'gradients' ? 'Weight gradient per layer during training' : 'Dead units per layer during training', subtitleOf(result, notes));
  if (result.runs.length === 1) return { $schema: VEGA_LITE_SCHEMA, title, ...plotSize(input, CHART_SIZE), data: { values: rows }, ...layer } as ChartSpec;
  return {
    $schema: VEGA_LITE_SCHEMA,
    title,
    data: { values: rows },
    facet: { field: 'run', type: 'nominal', title: null, sort: result.runs.map((run) => run.label) },
    columns: PANELS_PER_ROW,
    spec: { ...plotSize(input, PANEL_SIZE), ...layer },
  } as ChartSpec;
}

export function trainingChartSpec(input: TrainingChartInput): ChartSpec {
  if (input.result.runs.length === 0) throw new PlotInputError('The training answer has no runs.');
  return input.chart === 'loss' || input.chart === 'accuracy' ? curvesSpec(input) : layersSpec(input);
}
