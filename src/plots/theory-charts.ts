import { type ChartOptions, PlotInputError, plotSize, titleBlock } from './chart-input.js';
import { decadeAxis, decadeDomain } from './log10-axis.js';
import { renderSvg, VEGA_LITE_SCHEMA, type ChartSpec } from './render.js';
import { CATEGORY_COLOURS, CHART_SIZE, DASHED } from './theme.js';

/**
 * Charts of mean-field theory: the order–chaos phase diagram (χ₁ over the
 * initialisation variances) and the singular-value spectrum of a network's
 * input–output Jacobian.
 */

export interface PhaseDiagramInput extends ChartOptions {
  /** Grid of σ_w², increasing (the columns of chi1). */
  sigmaW2: readonly number[];
  /** Grid of σ_b², increasing (the rows of chi1). */
  sigmaB2: readonly number[];
  /** χ₁ at (σ_b²[row], σ_w²[column]); cells whose χ₁ is not positive and finite are left empty. */
  chi1: readonly (readonly number[])[];
  /** Points of the critical line χ₁ = 1, drawn in the given order. */
  criticalLine: readonly { sigmaW2: number; sigmaB2: number }[];
  /** Canonical id or label of the activation, for the title. */
  activation: string;
}

export interface JacobianSpectrumInput extends ChartOptions {
  /** The singular values themselves (binned here), or … */
  singularValues?: readonly number[];
  /** … bins already counted: [start, end) in σ and how many values fell there. */
  bins?: readonly { start: number; end: number; count: number }[];
  /** Horizontal axis: σ itself or log10 σ with decade ticks (default linear). */
  scale?: 'linear' | 'log10';
  /** Most bins when binning here (default 40; the width is rounded to 1, 2, 2.5 or 5 × 10^k). */
  maxBins?: number;
}

const CRITICAL_LINE_LABEL = 'critical line χ₁ = 1';

export const MAX_BINS = 500;
/** Each heat-map cell is a path in the SVG, ~140 bytes: 10 000 cells make a 1.4 MB file. */
export const MAX_PHASE_DIAGRAM_CELLS = 10_000;

function checkGrid(name: string, values: readonly number[]): void {
  if (values.length === 0) throw new PlotInputError(`${name} is empty.`);
  values.forEach((value, index) => {
    if (!Number.isFinite(value)) throw new PlotInputError(`${name}[${index}] is not a finite number.`);
    if (index > 0 && value <= (values[index - 1] as number)) throw new PlotInputError(`${name} must increase strictly (at index ${index}).`);
  });
}

/** Cell edges halfway between grid points; the outer cells as wide as their neighbours (never below 0 for variances). */
function cellEdges(values: readonly number[]): number[] {
  if (values.length === 1) {
    const value = values[0] as number;
    const half = value === 0 ? 0.5 : Math.abs(value) / 2;
    return [Math.max(0, value - half), value + half];
  }
  const middles = values.slice(1).map((value, index) => ((values[index] as number) + value) / 2);
  const first = (values[0] as number) - ((middles[0] as number) - (values[0] as number));
  const last = (values.at(-1) as number) + ((values.at(-1) as number) - (middles.at(-1) as number));
  return [Math.max(0, first), ...middles, last];
}

/**
 * Heat map of log10 χ₁ on a diverging scale centred at χ₁ = 1 (blue: ordered,
 * gradients vanish; orange: chaotic, gradients explode), with the critical
 * line drawn over it.
 */
export function phaseDiagramSpec(input: PhaseDiagramInput): ChartSpec {
  const { sigmaW2, sigmaB2, chi1, criticalLine } = input;
  checkGrid('sigmaW2', sigmaW2);
  checkGrid('sigmaB2', sigmaB2);
  if (sigmaW2.length * sigmaB2.length > MAX_PHASE_DIAGRAM_CELLS) {
    throw new PlotInputError(`A phase diagram has at most ${MAX_PHASE_DIAGRAM_CELLS} cells, got ${sigmaW2.length} × ${sigmaB2.length}.`);
  }
  if (chi1.length !== sigmaB2.length) throw new PlotInputError(`chi1 has ${chi1.length} rows for ${sigmaB2.length} values of sigmaB2.`);
  const columnEdges = cellEdges(sigmaW2);
  const rowEdges = cellEdges(sigmaB2);
  const cells: { w0: number; w1: number; b0: number; b1: number; log10Chi1: number }[] = [];
  let empty = 0;
  chi1.forEach((row, rowIndex) => {
    if (row.length !== sigmaW2.length) throw new PlotInputError(`chi1[${rowIndex}] has ${row.length} values for ${sigmaW2.length} values of sigmaW2.`);
    row.forEach((value, column) => {
      if (!(value > 0 && Number.isFinite(value))) {
        empty++;
        return;
      }
      cells.push({
        w0: columnEdges[column] as number,
        w1: columnEdges[column + 1] as number,
        b0: rowEdges[rowIndex] as number,
        b1: rowEdges[rowIndex + 1] as number,
        log10Chi1: Math.log10(value),
      });
    });
  });
  if (cells.length === 0) throw new PlotInputError('No cell of chi1 is a positive finite number.');
  const extreme = Math.max(0.1, ...cells.map(({ log10Chi1 }) => Math.abs(log10Chi1)));
  const line = criticalLine
    .filter(({ sigmaW2: w, sigmaB2: b }) => Number.isFinite(w) && Number.isFinite(b))
    .map((point, order) => ({ ...point, order, name: CRITICAL_LINE_LABEL }));
  const xDomain = [columnEdges[0] as number, columnEdges.at(-1) as number];
  const yDomain = [rowEdges[0] as number, rowEdges.at(-1) as number];
  const notes = ['blue χ₁ < 1: ordered, gradients vanish · orange χ₁ > 1: chaotic, gradients explode'];
  if (empty > 0) notes.push(`Left blank: ${empty} cell${empty === 1 ? '' : 's'} without a positive finite χ₁.`);
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: titleBlock(input, `Order–chaos phase diagram: ${input.activation}`, notes),
    ...plotSize(input, { width: 420, height: 340 }),
    layer: [
      {
        data: { values: cells },
        mark: { type: 'rect' },
        encoding: {
          x: { field: 'w0', type: 'quantitative', title: 'σ_w² (weight variance)', scale: { domain: xDomain, nice: false, zero: false } },
          x2: { field: 'w1' },
          y: { field: 'b0', type: 'quantitative', title: 'σ_b² (bias variance)', scale: { domain: yDomain, nice: false, zero: false } },
          y2: { field: 'b1' },
          color: {
            field: 'log10Chi1',
            type: 'quantitative',
            title: 'χ₁',
            scale: { scheme: 'blueorange', domain: [-extreme, extreme], domainMid: 0, clamp: true },
            legend: { labelExpr: "format(pow(10, datum.value), '.2~g')", gradientLength: 200 },
          },
        },
      },
      ...(line.length > 0
        ? [
            {
              data: { values: line },
              mark: { type: 'line', color: '#000000', strokeWidth: 2.5, clip: true },
              encoding: {
                x: { field: 'sigmaW2', type: 'quantitative' },
                y: { field: 'sigmaB2', type: 'quantitative' },
                order: { field: 'order' },
                strokeDash: { field: 'name', type: 'nominal', title: null, legend: { symbolType: 'stroke', symbolStrokeColor: '#000000' } },
              },
            },
          ]
        : []),
    ],
  } as ChartSpec;
}

function significant(value: number): string {
  return Number(value.toPrecision(3)).toString().replace('-', '−');
}

interface Bin {
  start: number;
  end: number;
  count: number;
}

/** The smallest of 1, 2, 2.5, 5 × 10^k at least `roughStep`. */
function niceStep(roughStep: number): number {
  const decade = 10 ** Math.floor(Math.log10(roughStep));
  return decade * ([1, 2, 2.5, 5, 10].find((multiple) => multiple * decade >= roughStep * (1 - 1e-12)) ?? 10);
}

/** Counts `positions` in at most `maxBins` equal bins of a nice width covering [low, high]; the last bin is closed. */
function binPositions(positions: readonly number[], low: number, high: number, maxBins: number): Bin[] {
  const step = niceStep((high - low) / maxBins);
  const first = Math.floor(low / step) * step;
  const count = Math.max(1, Math.ceil((high - first) / step - 1e-9));
  const bins = Array.from({ length: count }, (_, index) => ({ start: first + index * step, end: first + (index + 1) * step, count: 0 }));
  for (const position of positions) {
    const index = Math.min(count - 1, Math.max(0, Math.floor((position - first) / step)));
    (bins[index] as Bin).count++;
  }
  return bins;
}

function checkBins(bins: readonly Bin[], log: boolean): void {
  if (bins.length === 0) throw new PlotInputError('No bins.');
  bins.forEach(({ start, end, count }, index) => {
    if (!(Number.isFinite(start) && Number.isFinite(end) && start < end && count >= 0 && Number.isFinite(count))) {
      throw new PlotInputError(`bins[${index}] needs finite start < end and a finite count ≥ 0.`);
    }
    if (log && !(start > 0)) throw new PlotInputError(`bins[${index}] starts at ${start}: a log scale needs bins above 0.`);
  });
}

/** Histogram of singular values (binned here, or bins given), with the isometry σ = 1 marked. */
export function jacobianSpectrumSpec(input: JacobianSpectrumInput): ChartSpec {
  const { singularValues, scale = 'linear', maxBins = 40 } = input;
  if ((singularValues === undefined) === (input.bins === undefined)) throw new PlotInputError('Give either singularValues or bins.');
  if (!(Number.isInteger(maxBins) && maxBins >= 1 && maxBins <= MAX_BINS)) throw new PlotInputError(`maxBins must be an integer from 1 to ${MAX_BINS}.`);
  const log = scale === 'log10';
  const toAxis = (sigma: number) => (log ? Math.log10(sigma) : sigma);
  const notes: string[] = [];
  let bins: Bin[];
  if (singularValues !== undefined) {
    if (singularValues.length === 0) throw new PlotInputError('No singular values.');
    if (singularValues.some((sigma) => !(sigma >= 0 && Number.isFinite(sigma)))) throw new PlotInputError('Singular values must be finite and ≥ 0.');
    const positions = (log ? singularValues.filter((sigma) => sigma > 0) : singularValues).map(toAxis);
    if (positions.length === 0) throw new PlotInputError('No positive singular value to plot on a log scale.');
    // σ = 1 always inside, so that the isometry line has a place.
    const [low, high] = log ? decadeDomain([...positions, 0]) : [0, Math.max(1, ...positions)];
    bins = binPositions(positions, low, high, maxBins);
    notes.push(`${singularValues.length} singular values · min ${significant(Math.min(...singularValues))} · max ${significant(Math.max(...singularValues))}`);
    if (positions.length < singularValues.length) notes.push(`Not shown: ${singularValues.length - positions.length} exactly zero (log₁₀ = −∞).`);
  } else {
    const given = input.bins ?? [];
    checkBins(given, log);
    bins = given.map(({ start, end, count }) => ({ start: toAxis(start), end: toAxis(end), count }));
    notes.push(`${given.reduce((total, { count }) => total + count, 0)} singular values in ${given.length} bins`);
  }
  const edges = bins.flatMap(({ start, end }) => [start, end]);
  const domain = log ? decadeDomain([...edges, 0]) : [Math.min(0, ...edges), Math.max(1, ...edges)];
  const title = log ? 'singular value σ (log scale)' : 'singular value σ';
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: titleBlock(input, 'Singular values of the input–output Jacobian', notes),
    ...plotSize(input, CHART_SIZE),
    layer: [
      {
        data: { values: bins },
        mark: { type: 'bar', color: CATEGORY_COLOURS[0], stroke: 'white', strokeWidth: bins.length > 80 ? 0 : 0.5 },
        encoding: {
          x: { field: 'start', type: 'quantitative', title, scale: { domain, nice: false }, ...(log ? { axis: decadeAxis(title) } : {}) },
          x2: { field: 'end' },
          y: { field: 'count', type: 'quantitative', title: 'count' },
          y2: { datum: 0 },
        },
      },
      {
        data: { values: [{}] },
        mark: { type: 'rule', color: '#000000', strokeDash: DASHED, strokeWidth: 1.5 },
        encoding: { x: { datum: toAxis(1), type: 'quantitative' } },
      },
      {
        data: { values: [{ label: 'σ = 1 (isometry)' }] },
        mark: { type: 'text', align: 'left', baseline: 'top', dx: 4, dy: 4, fontSize: 11, color: '#000000' },
        encoding: { x: { datum: toAxis(1), type: 'quantitative' }, y: { value: 0 }, text: { field: 'label' } },
      },
    ],
  } as ChartSpec;
}

export function phaseDiagram(input: PhaseDiagramInput): Promise<string> {
  return renderSvg(phaseDiagramSpec(input));
}

export function jacobianSpectrum(input: JacobianSpectrumInput): Promise<string> {
  return renderSvg(jacobianSpectrumSpec(input));
}
