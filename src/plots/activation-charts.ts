import type { ResolvedActivation } from '../activations/resolve.js';
import { evaluateActivation, gridPoints } from '../activations/evaluate.js';
import { type ChartOptions, PlotInputError, listInWords, plotSize, titleBlock } from './chart-input.js';
import { findKinks, isJump, type Kink } from './kinks.js';
import { renderSvg, VEGA_LITE_SCHEMA, type ChartSpec } from './render.js';
import { CHART_SIZE, DASHED, PANEL_SIZE, SOLID } from './theme.js';

/**
 * Activation functions and their derivatives on a grid, evaluated by the same
 * kernels as POST /v1/evaluate (evaluation mode). Lines break where a curve
 * jumps; at every kink a filled dot marks what the kernel returns there and an
 * open circle the one-sided limit it does not take.
 */

export type ActivationCurve = 'value' | 'derivative';

export interface ActivationInput {
  resolved: ResolvedActivation;
  /** Legend and title text (default: the activation's short name, with any non-default parameters). */
  label?: string;
}

export interface ActivationChartInput extends ChartOptions {
  activations: readonly ActivationInput[];
  range: readonly [number, number];
  /** Default both. */
  curves?: readonly ActivationCurve[];
  /** Grid points across the range, both ends included (default 401). */
  points?: number;
}

export type ActivationPanelsInput = Omit<ActivationChartInput, 'curves'>;

export const DEFAULT_CURVE_POINTS = 401;
/** More points than pixels only adds bytes: 2001 across a 480-pixel plot is four a pixel. */
export const MAX_CURVE_POINTS = 2001;
export const MAX_CHART_ACTIVATIONS = 12;

const CURVE_NAMES: Record<ActivationCurve, string> = { value: 'f(x)', derivative: 'f′(x)' };

const MARKER_NOTE = "Filled dots: what the kernel returns at a kink (PyTorch's convention); open circles: the one-sided limit not taken.";

interface CurveRow {
  activation: string;
  curve: string;
  /** Lines are drawn per segment, so that a jump is not bridged. */
  segment: string;
  x: number;
  y: number;
}

interface MarkerRow {
  activation: string;
  curve: string;
  x: number;
  y: number;
}

interface Sampled {
  label: string;
  xs: Float64Array;
  curves: Record<ActivationCurve, Float64Array>;
  kinks: Kink[];
}

/** "ELU", "Leaky ReLU (negativeSlope = 0.2)": the abbreviation a name ends with, else the name. */
export function activationLabel({ record, params }: ResolvedActivation): string {
  const abbreviation = /\(([A-Z][A-Za-z0-9]*[A-Z][A-Za-z0-9]*)\)$/.exec(record.name)?.[1];
  const defaults = record.paramsSchema.parse({}) as Record<string, unknown>;
  const changed = Object.entries(params).filter(([name, value]) => defaults[name] !== value);
  const settings = changed.map(([name, value]) => `${name} = ${value}`).join(', ');
  const name = abbreviation ?? record.name;
  return settings === '' ? name : `${name} (${settings})`;
}

function uniqueLabels(activations: readonly ActivationInput[]): string[] {
  const seen = new Map<string, number>();
  return activations.map(({ resolved, label }) => {
    const base = label ?? activationLabel(resolved);
    const count = (seen.get(base) ?? 0) + 1;
    seen.set(base, count);
    return count === 1 ? base : `${base} #${count}`;
  });
}

function checkInput({ activations, range, points = DEFAULT_CURVE_POINTS }: ActivationChartInput): void {
  if (activations.length === 0) throw new PlotInputError('At least one activation is needed.');
  if (activations.length > MAX_CHART_ACTIVATIONS) throw new PlotInputError(`At most ${MAX_CHART_ACTIVATIONS} activations fit one chart.`);
  const [start, stop] = range;
  if (!(Number.isFinite(start) && Number.isFinite(stop) && start < stop)) {
    throw new PlotInputError(`The range must be two finite numbers, the first below the second; got [${start}, ${stop}].`);
  }
  if (!(Number.isInteger(points) && points >= 2 && points <= MAX_CURVE_POINTS)) {
    throw new PlotInputError(`points must be an integer from 2 to ${MAX_CURVE_POINTS}, got ${points}.`);
  }
}

/** Below this, a nonzero spread of values cannot be laid out on an axis (d3's ticks fail). */
const MIN_DRAWABLE_SPAN = 1e-300;

/** Refuses curves whose values differ, but by less than an axis can show. */
function refuseUndrawableSpans(sampled: readonly Sampled[]): void {
  for (const curve of ['value', 'derivative'] as const) {
    let low = Infinity;
    let high = -Infinity;
    for (const { curves } of sampled) {
      for (const y of curves[curve]) {
        if (y < low) low = y;
        if (y > high) high = y;
      }
    }
    const span = high - low;
    if (span > 0 && span < MIN_DRAWABLE_SPAN) {
      throw new PlotInputError(`The ${curve === 'value' ? 'values' : 'derivatives'} differ by only ${span}: too little for an axis to show; widen the range or change the parameters.`);
    }
  }
}

function sample(input: ActivationChartInput): Sampled[] {
  checkInput(input);
  const sampled = sampleCurves(input);
  refuseUndrawableSpans(sampled);
  return sampled;
}

function sampleCurves(input: ActivationChartInput): Sampled[] {
  const xs = gridPoints(input.range[0], input.range[1], input.points ?? DEFAULT_CURVE_POINTS);
  const labels = uniqueLabels(input.activations);
  return input.activations.map(({ resolved }, index) => {
    const { value, derivative } = evaluateActivation(resolved, xs, { outputs: ['value', 'derivative'], mode: 'eval', seed: 0 });
    return {
      label: labels[index] as string,
      xs,
      curves: { value: value as Float64Array, derivative: derivative as Float64Array },
      kinks: findKinks(resolved, xs),
    };
  });
}

/** The curve as line segments: each kink adds its limits (and splits the line where the curve jumps). */
function curveRows({ label, xs, curves, kinks }: Sampled, curve: ActivationCurve): CurveRow[] {
  const ys = curves[curve];
  const rows: CurveRow[] = [];
  let segment = 0;
  const push = (x: number, y: number) => rows.push({ activation: label, curve: CURVE_NAMES[curve], segment: `${label}|${curve}|${segment}`, x, y });
  let index = 0;
  for (const kink of kinks) {
    for (; index < xs.length && (xs[index] as number) < kink.x; index++) push(xs[index] as number, ys[index] as number);
    if (index < xs.length && xs[index] === kink.x) index++;
    const { left, right } = kink[curve];
    if (!isJump(left, right)) {
      push(kink.x, left);
      continue;
    }
    if (kink.x > (xs[0] as number)) push(kink.x, left);
    segment++;
    if (kink.x < (xs.at(-1) as number)) push(kink.x, right);
  }
  for (; index < xs.length; index++) push(xs[index] as number, ys[index] as number);
  return rows;
}

/** Filled: the value at each kink (derivative curves always, value curves where they jump); open: limits not taken. */
function markerRows({ label, xs, kinks }: Sampled, curve: ActivationCurve): { filled: MarkerRow[]; open: MarkerRow[] } {
  const filled: MarkerRow[] = [];
  const open: MarkerRow[] = [];
  for (const kink of kinks) {
    const { left, at, right } = kink[curve];
    if (curve === 'value' && !isJump(left, at) && !isJump(at, right)) continue;
    const row = (y: number) => ({ activation: label, curve: CURVE_NAMES[curve], x: kink.x, y });
    filled.push(row(at));
    const leftShown = kink.x > (xs[0] as number) && isJump(left, at);
    if (leftShown) open.push(row(left));
    if (kink.x < (xs.at(-1) as number) && isJump(right, at) && !(leftShown && !isJump(left, right))) open.push(row(right));
  }
  return { filled, open };
}

interface PanelEncoding {
  colourField: 'activation' | 'curve';
  colourDomain: string[];
  dashed: boolean;
}

function layers(sampled: readonly Sampled[], curves: readonly ActivationCurve[], { colourField, colourDomain, dashed }: PanelEncoding) {
  const lines = sampled.flatMap((activation) => curves.flatMap((curve) => curveRows(activation, curve)));
  const markers = sampled.flatMap((activation) => curves.map((curve) => markerRows(activation, curve)));
  // The same legend settings on every layer, or Vega-Lite warns about conflicts when it merges them.
  const colour = { field: colourField, type: 'nominal', scale: { domain: colourDomain }, title: null, legend: { symbolType: 'stroke' } } as const;
  const position = {
    x: { field: 'x', type: 'quantitative', title: 'x' },
    y: { field: 'y', type: 'quantitative' },
  } as const;
  const marker = (rows: MarkerRow[], filled: boolean) => ({
    data: { values: rows },
    mark: filled ? { type: 'point', filled: true, opacity: 1 } : { type: 'point', filled: false, fill: 'white', fillOpacity: 1, opacity: 1 },
    encoding: { ...position, color: colour },
  });
  const filled = markers.flatMap((rows) => rows.filled);
  const open = markers.flatMap((rows) => rows.open);
  return [
    {
      data: { values: lines },
      mark: { type: 'line', clip: true },
      encoding: {
        ...position,
        color: colour,
        detail: { field: 'segment' },
        ...(dashed
          ? {
              strokeDash: {
                field: 'curve',
                type: 'nominal',
                title: null,
                scale: { domain: curves.map((curve) => CURVE_NAMES[curve]), range: curves.map((curve) => (curve === 'value' ? SOLID : DASHED)) },
                ...(colourField === 'curve' ? {} : { legend: { symbolType: 'stroke' } }),
              },
            }
          : {}),
      },
    },
    ...(filled.length > 0 ? [marker(filled, true)] : []),
    ...(open.length > 0 ? [marker(open, false)] : []),
  ];
}

function defaultTitle(labels: readonly string[], curves: readonly ActivationCurve[]): string {
  const names = listInWords(labels);
  if (!curves.includes('derivative')) return labels.length === 1 ? names : `${names} compared`;
  if (!curves.includes('value')) return labels.length === 1 ? `Derivative of ${names}` : `Derivatives of ${names}`;
  return labels.length === 1 ? `${names} and its derivative` : `${names} and their derivatives`;
}

function hasMarkers(sampled: readonly Sampled[], curves: readonly ActivationCurve[]): boolean {
  return sampled.some((activation) => curves.some((curve) => markerRows(activation, curve).filled.length > 0));
}

/**
 * One chart, shared axes: each activation's value (solid) and derivative
 * (dashed). One activation is coloured by curve; several by activation.
 */
export function activationChartSpec(input: ActivationChartInput): ChartSpec {
  const curves: ActivationCurve[] = input.curves === undefined || input.curves.length === 0 ? ['value', 'derivative'] : [...new Set(input.curves)];
  const sampled = sample(input);
  const labels = sampled.map(({ label }) => label);
  const single = sampled.length === 1;
  const encoding: PanelEncoding = single
    ? { colourField: 'curve', colourDomain: curves.map((curve) => CURVE_NAMES[curve]), dashed: curves.length > 1 }
    : { colourField: 'activation', colourDomain: labels, dashed: curves.length > 1 };
  const layerSpecs = layers(sampled, curves, encoding);
  const yTitle = curves.map((curve) => CURVE_NAMES[curve]).join(' and ');
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: titleBlock(input, defaultTitle(labels, curves), hasMarkers(sampled, curves) ? [MARKER_NOTE] : []),
    ...plotSize(input, CHART_SIZE),
    encoding: {
      x: { field: 'x', type: 'quantitative', title: 'x', scale: { domain: [...input.range], nice: false } },
      y: { field: 'y', type: 'quantitative', title: yTitle, scale: { zero: false } },
    },
    layer: layerSpecs,
  } as ChartSpec;
}

/**
 * The classic figure: values on the left, derivatives on the right, one
 * colour per activation, one legend.
 */
export function activationPanelsChartSpec(input: ActivationPanelsInput): ChartSpec {
  const sampled = sample(input);
  const labels = sampled.map(({ label }) => label);
  const size = plotSize(input, PANEL_SIZE);
  const panel = (curve: ActivationCurve, title: string) => ({
    title,
    ...size,
    encoding: {
      x: { field: 'x', type: 'quantitative', title: 'x', scale: { domain: [...input.range], nice: false } },
      y: { field: 'y', type: 'quantitative', title: CURVE_NAMES[curve], scale: { zero: false } },
    },
    layer: layers(sampled, [curve], { colourField: 'activation', colourDomain: labels, dashed: false }),
  });
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: titleBlock(input, defaultTitle(labels, ['value', 'derivative']), hasMarkers(sampled, ['value', 'derivative']) ? [MARKER_NOTE] : []),
    hconcat: [panel('value', 'Activation f(x)'), panel('derivative', 'Derivative f′(x)')],
  } as ChartSpec;
}

export function activationChart(input: ActivationChartInput): Promise<string> {
  return renderSvg(activationChartSpec(input));
}

export function activationPanelsChart(input: ActivationPanelsInput): Promise<string> {
  return renderSvg(activationPanelsChartSpec(input));
}
