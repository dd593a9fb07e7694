import type { Config } from 'vega-lite';

/**
 * The house style of every chart: one Vega-Lite config, applied by the
 * renderer. Sizes are in CSS pixels at scale 1 (an SVG scales freely; a PNG
 * is rendered at `scale` × these).
 */

/** Helvetica/Arial where the viewer has them; the PNG renderer maps the generic family to the DejaVu Sans it ships. */
export const FONT_STACK = 'Helvetica, Arial, "DejaVu Sans", sans-serif';

/**
 * Okabe & Ito's palette (2008), distinguishable under every common colour
 * vision deficiency; its yellow is left out, too pale on white.
 */
export const CATEGORY_COLOURS = ['#0072B2', '#E69F00', '#009E73', '#D55E00', '#CC79A7', '#56B4E9', '#000000'];

/** Dash patterns for series a colour alone should not tell apart (derivatives, theory lines). */
export const DASHED = [6, 4];
export const SOLID: number[] = [];

/** Plot-area size of a single-panel chart; panels of a two-panel figure are narrower. */
export const CHART_SIZE = { width: 480, height: 300 } as const;
export const PANEL_SIZE = { width: 340, height: 260 } as const;

export const houseConfig: Config = {
  background: 'white',
  padding: 12,
  font: FONT_STACK,
  title: { fontSize: 15, fontWeight: 'bold', subtitleFontSize: 11, subtitleColor: '#444', anchor: 'start', offset: 10 },
  axis: {
    labelFontSize: 11,
    titleFontSize: 12,
    titleFontWeight: 'normal',
    labelColor: '#222',
    titleColor: '#222',
    domainColor: '#444',
    tickColor: '#444',
    gridColor: '#e8e8e8',
  },
  legend: { labelFontSize: 11, titleFontSize: 11, titleFontWeight: 'normal', symbolStrokeWidth: 2, symbolSize: 250, labelLimit: 320 },
  header: { labelFontSize: 12, titleFontSize: 12 },
  view: { stroke: '#bbb' },
  // No ARIA label per data point: it would describe every heat-map cell and line vertex, tripling the file.
  mark: { aria: false },
  line: { strokeWidth: 2 },
  point: { size: 45, strokeWidth: 1.5 },
  range: { category: CATEGORY_COLOURS, diverging: { scheme: 'blueorange' } },
  concat: { spacing: 28 },
};
