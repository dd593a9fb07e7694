import { type ChartOptions, PlotInputError, plotSize, titleBlock } from './chart-input.js';
import { renderSvg, VEGA_LITE_SCHEMA, type ChartSpec } from './render.js';
import { CATEGORY_COLOURS, CHART_SIZE, DASHED } from './theme.js';

/**
 * Charts of a sweep's result: a heat map of one figure over two axes (or a
 * line over one), with theory lines drawn over it in the axes' own units.
 */

export type SweepValue = number | string | boolean;

export interface SweepChartAxis {
  /** The axis title (its path, or a name such as σ_w²). */
  title: string;
  values: readonly SweepValue[];
  /** Log grids are drawn on a log scale. */
  scale?: 'linear' | 'log';
}

export interface SweepOverlay {
  /** Legend text, e.g. "critical line χ₁ = 1". */
  name: string;
  /** In the axes' units; branches are drawn as separate lines. */
  points: readonly { x: number; y: number; branch?: number }[];
}

export interface SweepHeatMapInput extends ChartOptions {
  x: SweepChartAxis;
  y: SweepChartAxis;
  /** The figure at each point; null where the cell has none (left blank). */
  cells: readonly { x: SweepValue; y: SweepValue; value: number | null }[];
  /** The figure's name, for the legend. */
  figure: string;
  /** Colour around 0 in a diverging scheme (log10 gains: blue vanishing, orange exploding). */
  diverging?: boolean;
  overlays?: readonly SweepOverlay[];
  notes?: readonly string[];
}

export interface SweepLineInput extends ChartOptions {
  x: SweepChartAxis;
  points: readonly { x: SweepValue; value: number | null }[];
  figure: string;
  notes?: readonly string[];
}

/** One layer of a layered Vega-Lite spec. */
type Layer = Extract<ChartSpec, { layer: unknown }>['layer'][number];

/** Each heat-map cell is one path of the SVG: as many as the phase diagram allows. */
export const MAX_SWEEP_CHART_CELLS = 10_000;

const isNumeric = (axis: SweepChartAxis): boolean => axis.values.every((value) => typeof value === 'number' && Number.isFinite(value));

/** Edges halfway between sorted values (geometric halfway on a log scale); the outer cells as wide as their neighbours. */
function edgesOf(sorted: readonly number[], log: boolean): number[] {
  const to = (value: number): number => (log ? Math.log(value) : value);
  const from = (value: number): number => (log ? Math.exp(value) : value);
  const positions = sorted.map(to);
  if (positions.length === 1) {
    const only = positions[0] as number;
    const half = log ? Math.log(2) / 2 : only === 0 ? 0.5 : Math.abs(only) / 2;
    return [from(only - half), from(only + half)];
  }
  const middles = positions.slice(1).map((position, index) => ((positions[index] as number) + position) / 2);
  const first = (positions[0] as number) - ((middles[0] as number) - (positions[0] as number));
  const last = (positions.at(-1) as number) + ((positions.at(-1) as number) - (middles.at(-1) as number));
  return [first, ...middles, last].map(from);
}

function checkAxis(name: string, axis: SweepChartAxis): void {
  if (axis.values.length === 0) throw new PlotInputError(`The ${name} axis has no values.`);
  if (axis.scale === 'log' && !axis.values.every((value) => typeof value === 'number' && value > 0)) throw new PlotInputError(`The ${name} axis is on a log scale and needs values above 0.`);
}

/** Where each value of a numeric axis is drawn: [start, end) of its cell. */
function cellSpans(axis: SweepChartAxis): Map<number, [number, number]> {
  const sorted = [...new Set(axis.values as number[])].sort((a, b) => a - b);
  const edges = edgesOf(sorted, axis.scale === 'log');
  return new Map(sorted.map((value, index) => [value, [edges[index] as number, edges[index + 1] as number]]));
}

export function sweepHeatMapSpec(input: SweepHeatMapInput): ChartSpec {
  checkAxis('x', input.x);
  checkAxis('y', input.y);
  if (input.cells.length > MAX_SWEEP_CHART_CELLS) throw new PlotInputError(`A sweep chart has at most ${MAX_SWEEP_CHART_CELLS} cells, got ${input.cells.length}.`);
  const drawn = input.cells.filter((cell): cell is { x: SweepValue; y: SweepValue; value: number } => cell.value !== null && Number.isFinite(cell.value));
  if (drawn.length === 0) throw new PlotInputError(`No cell has a finite ${input.figure}.`);
  const notes = [...(input.notes ?? [])];
  const blank = input.cells.length - drawn.length;
  if (blank > 0) notes.push(`Left blank: ${blank} cell${blank === 1 ? '' : 's'} without a finite ${input.figure}.`);
  const extreme = Math.max(1e-9, ...drawn.map(({ value }) => Math.abs(value)));
  const color = {
    field: 'value',
    type: 'quantitative',
    title: input.figure,
    scale: input.diverging === true ? { scheme: 'blueorange', domain: [-extreme, extreme], domainMid: 0 } : { scheme: 'viridis' },
    legend: { gradientLength: 200 },
  };
  const numeric = isNumeric(input.x) && isNumeric(input.y);
  let heat: Layer;
  let lines: Layer[] = [];
  if (numeric) {
    const xSpans = cellSpans(input.x);
    const ySpans = cellSpans(input.y);
    const rects = drawn.map(({ x, y, value }) => {
      const [x0, x1] = xSpans.get(x as number) as [number, number];
      const [y0, y1] = ySpans.get(y as number) as [number, number];
      return { x0, x1, y0, y1, value };
    });
    const xDomain = [Math.min(...[...xSpans.values()].map(([start]) => start)), Math.max(...[...xSpans.values()].map(([, end]) => end))];
    const yDomain = [Math.min(...[...ySpans.values()].map(([start]) => start)), Math.max(...[...ySpans.values()].map(([, end]) => end))];
    const xScale = { domain: xDomain, nice: false, zero: false, ...(input.x.scale === 'log' ? { type: 'log' } : {}) };
    const yScale = { domain: yDomain, nice: false, zero: false, ...(input.y.scale === 'log' ? { type: 'log' } : {}) };
    heat = {
      data: { values: rects },
      mark: { type: 'rect' },
      encoding: {
        x: { field: 'x0', type: 'quantitative', title: input.x.title, scale: xScale },
        x2: { field: 'x1' },
        y: { field: 'y0', type: 'quantitative', title: input.y.title, scale: yScale },
        y2: { field: 'y1' },
        color,
      },
    } as Layer;
    lines = (input.overlays ?? [])
      .map((overlay, overlayIndex) => ({
        overlay,
        values: overlay.points
          .filter(({ x, y }) => Number.isFinite(x) && Number.isFinite(y))
          .map((point, order) => ({ x: point.x, y: point.y, order, branch: `${overlayIndex}:${point.branch ?? 0}`, name: overlay.name })),
      }))
      .filter(({ values }) => values.length > 1)
      .map(({ values }, index) => ({
        data: { values },
        mark: { type: 'line', color: index === 0 ? '#000000' : CATEGORY_COLOURS[3], strokeWidth: 2.5, clip: true, ...(index === 0 ? {} : { strokeDash: DASHED }) },
        encoding: {
          x: { field: 'x', type: 'quantitative' },
          y: { field: 'y', type: 'quantitative' },
          order: { field: 'order' },
          detail: { field: 'branch' },
          strokeDash: { field: 'name', type: 'nominal', title: null, legend: { symbolType: 'stroke', symbolStrokeColor: '#000000' } },
        },
      }) as Layer);
    if ((input.overlays ?? []).length > 0 && lines.length === 0) notes.push('The theory line lies outside the swept range.');
  } else {
    const label = (value: SweepValue): string => String(value);
    heat = {
      data: { values: drawn.map(({ x, y, value }) => ({ x: label(x), y: label(y), value })) },
      mark: { type: 'rect' },
      encoding: {
        x: { field: 'x', type: 'ordinal', title: input.x.title, sort: input.x.values.map(label) },
        y: { field: 'y', type: 'ordinal', title: input.y.title, sort: [...input.y.values].reverse().map(label) },
        color,
      },
    } as Layer;
  }
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: titleBlock(input, `${input.figure} over ${input.x.title} × ${input.y.title}`, notes),
    ...plotSize(input, { width: 420, height: 340 }),
    layer: [heat, ...lines],
  } as ChartSpec;
}

export function sweepLineSpec(input: SweepLineInput): ChartSpec {
  checkAxis('x', input.x);
  const drawn = input.points.filter((point): point is { x: SweepValue; value: number } => point.value !== null && Number.isFinite(point.value));
  if (drawn.length === 0) throw new PlotInputError(`No cell has a finite ${input.figure}.`);
  const numeric = isNumeric(input.x);
  const notes = [...(input.notes ?? [])];
  if (drawn.length < input.points.length) notes.push(`Not shown: ${input.points.length - drawn.length} cells without a finite ${input.figure}.`);
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: titleBlock(input, `${input.figure} over ${input.x.title}`, notes),
    ...plotSize(input, CHART_SIZE),
    data: { values: drawn.map(({ x, value }) => ({ x: numeric ? x : String(x), value })) },
    mark: { type: 'line', point: true, color: CATEGORY_COLOURS[0] },
    encoding: {
      x: numeric
        ? { field: 'x', type: 'quantitative', title: input.x.title, scale: { zero: false, ...(input.x.scale === 'log' ? { type: 'log' } : {}) } }
        : { field: 'x', type: 'ordinal', title: input.x.title, sort: input.x.values.map(String) },
      y: { field: 'value', type: 'quantitative', title: input.figure, scale: { zero: false } },
    },
  } as ChartSpec;
}

export const sweepHeatMap = (input: SweepHeatMapInput): Promise<string> => renderSvg(sweepHeatMapSpec(input));
export const sweepLine = (input: SweepLineInput): Promise<string> => renderSvg(sweepLineSpec(input));
