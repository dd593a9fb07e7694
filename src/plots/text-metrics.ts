import { textMetrics } from 'vega';
import { advanceTable, type FontWeight } from './fonts.js';

/**
 * Text widths for Vega's layout. Headless Vega has no canvas to measure text
 * and guesses 0.8 em per character, which makes every chart far wider than
 * its content. Widths are measured instead from the advance widths of the
 * shipped DejaVu Sans: exact for PNGs, and a slight overestimate (so never an
 * overlap) for SVG viewers, whose Helvetica or Arial is narrower. Kerning is
 * ignored.
 */

/** For characters the font lacks: CJK and other wide scripts take about 1 em, the rest about an average letter. */
function fallbackAdvance(codePoint: number): number {
  return codePoint >= 0x2e80 ? 1 : 0.62;
}

const caches: Record<FontWeight, Map<number, number>> = { regular: new Map(), bold: new Map() };

function advance(codePoint: number, weight: FontWeight): number {
  const cache = caches[weight];
  let width = cache.get(codePoint);
  if (width === undefined) {
    width = advanceTable(weight)(codePoint) ?? fallbackAdvance(codePoint);
    cache.set(codePoint, width);
  }
  return width;
}

function weightOf(fontWeight: unknown): FontWeight {
  return fontWeight === 'bold' || fontWeight === 'bolder' || Number(fontWeight) >= 600 ? 'bold' : 'regular';
}

/** Width in pixels of `text` at `fontSize` pixels. */
export function measureText(text: string, fontSize: number, weight: FontWeight = 'regular'): number {
  let em = 0;
  for (const character of text) em += advance(character.codePointAt(0) as number, weight);
  return em * fontSize;
}

interface TextItem {
  fontSize?: number | string;
  fontWeight?: number | string;
  limit?: number;
}

/**
 * Vega calls this both for bounds (with the full text) and while truncating to
 * an item's `limit`; clamping to the limit serves both, since a truncated text
 * is never wider than its limit.
 */
function vegaTextWidth(item: TextItem, text: unknown): number {
  const line = text === null || text === undefined ? '' : String(text).trim();
  const fontSize = item.fontSize === undefined || item.fontSize === null ? 11 : Number(item.fontSize) || 0;
  const width = measureText(line, fontSize, weightOf(item.fontWeight));
  return item.limit !== undefined && item.limit > 0 ? Math.min(width, item.limit) : width;
}

declare module 'vega' {
  /** vega-scenegraph's text measurer, exported at run time but missing from vega-typings; `width` is meant to be replaced. */
  export const textMetrics: { width: (item: TextItem, text: unknown) => number };
}

let installed = false;

/** Makes Vega measure text with the shipped font (idempotent; Vega's textMetrics is process-wide). */
export function installTextMetrics(): void {
  if (installed) return;
  textMetrics.width = vegaTextWidth;
  installed = true;
}
