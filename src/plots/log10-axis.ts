import type { Axis } from 'vega-lite/types_unstable/axis.js';
import { PlotInputError } from './chart-input.js';

/**
 * Gradient norms are plotted as their log10 on a linear axis whose ticks sit on
 * whole decades and read 10ᵏ. A true log scale is not an option: the norms
 * reach 10⁻⁶⁰⁰ and beyond, which no float64 (and so no Vega scale) can hold,
 * while their log10 is exact (the simulators report it) and always plottable.
 */

const SUPERSCRIPTS: Record<string, string> = {
  '-': '⁻',
  '0': '⁰',
  '1': '¹',
  '2': '²',
  '3': '³',
  '4': '⁴',
  '5': '⁵',
  '6': '⁶',
  '7': '⁷',
  '8': '⁸',
  '9': '⁹',
};

/** Vega expression labelling an integer tick k as 10ᵏ (ticks are whole decades, see decadeAxis). */
export const POWER_OF_TEN_LABEL = `'10' + ${Object.entries(SUPERSCRIPTS).reduce(
  (expression, [plain, superscript]) => `replace(${expression}, regexp('${plain}', 'g'), '${superscript}')`,
  'toString(round(datum.value))',
)}`;

/** Whole decades enclosing every finite value (at least one decade wide), so that the axis always has 10ᵏ ticks. */
export function decadeDomain(values: Iterable<number | null | undefined>): [number, number] {
  let low = Infinity;
  let high = -Infinity;
  for (const value of values) {
    if (value === null || value === undefined || !Number.isFinite(value)) continue;
    low = Math.min(low, value);
    high = Math.max(high, value);
  }
  if (low > high) throw new PlotInputError('Nothing to plot: every norm is missing or exactly zero.');
  const bottom = Math.floor(low);
  const top = Math.ceil(high);
  return top > bottom ? [bottom, top] : [bottom, bottom + 1];
}

/** A y axis of log10 values with ticks on whole decades labelled 10ᵏ. */
export function decadeAxis(title: string): Axis {
  return { title, tickMinStep: 1, format: 'd', labelExpr: POWER_OF_TEN_LABEL };
}
