/** What every chart builder accepts besides its data, and the error it throws for unusable data. */

export interface ChartOptions {
  /** Replaces the default title (which says what is plotted). */
  title?: string;
  /** Replaces the default subtitle (settings, verdict, notes on what is not shown); '' for none. */
  subtitle?: string;
  /** Plot-area size in CSS pixels (of each panel in a multi-panel chart), MIN_PLOT_SIZE…MAX_PLOT_SIZE. */
  width?: number;
  height?: number;
}

export const MIN_PLOT_SIZE = 80;
export const MAX_PLOT_SIZE = 2000;
export const MAX_TITLE_LENGTH = 200;

/**
 * Text XML 1.0 can carry (its Char production): no C0 controls but tab and line breaks, no U+FFFE, U+FFFF or
 * lone surrogates. Anything else in a title makes an SVG no parser reads (resvg refuses it outright).
 */
export const XML_TEXT = /^[\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]*$/u;

/** Thrown when a chart cannot be drawn from its input (empty series, mismatched lengths, bad range); a client error. */
export class PlotInputError extends Error {
  override name = 'PlotInputError';
}

export function plotSize(options: ChartOptions, fallback: { width: number; height: number }): { width: number; height: number } {
  const size = { width: options.width ?? fallback.width, height: options.height ?? fallback.height };
  for (const [name, value] of Object.entries(size)) {
    if (!(Number.isInteger(value) && value >= MIN_PLOT_SIZE && value <= MAX_PLOT_SIZE)) {
      throw new PlotInputError(`${name} must be an integer from ${MIN_PLOT_SIZE} to ${MAX_PLOT_SIZE} pixels, got ${value}.`);
    }
  }
  return size;
}

/** The title block of a spec: the caller's title and subtitle win over the defaults; an empty subtitle is left out. */
export function titleBlock(options: ChartOptions, defaultTitle: string, defaultSubtitle: string[] = []) {
  const subtitle = options.subtitle === undefined ? defaultSubtitle : options.subtitle === '' ? [] : [options.subtitle];
  // Vega's runtime looks some strings up in plain objects, so a title that is
  // an Object.prototype member ("valueOf", "constructor") breaks the dataflow;
  // a zero-width space in front keeps the text as it reads and out of that lookup.
  const title = options.title ?? defaultTitle;
  const text = title in Object.prototype ? `\u200B${title}` : title;
  return subtitle.length === 0 ? { text } : { text, subtitle };
}

/** "a", "a and b", "a, b and c". */
export function listInWords(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}
