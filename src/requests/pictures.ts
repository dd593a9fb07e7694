import { CHART_SIZE } from '../plots/theme.js';
import type { Work } from './cost.js';
import type { Representation } from './operation.js';

/** The picture part of a plan, and the work of drawing it. */

export interface PictureOptions {
  representation: Representation;
  width?: number | undefined;
  height?: number | undefined;
  title?: string | undefined;
  /** PNG pixels per CSS pixel. */
  scale: number;
}

export function pictureOptionsOf(
  representation: Representation,
  query: { width?: number | undefined; height?: number | undefined; title?: string | undefined; scale?: number | undefined },
): PictureOptions {
  return { representation, width: query.width, height: query.height, title: query.title, scale: query.scale ?? 2 };
}

/** Title, axes, legend and padding around the plot area, in CSS pixels (generous, so the estimate is an upper bound). */
const MARGIN = { width: 260, height: 160 };
/** Bytes of SVG per mark (a path segment or symbol) and of the chart's frame. */
const SVG_BYTES_PER_MARK = 40;
const SVG_FRAME_BYTES = 40_000;
/** PNG bytes per pixel of a chart: large flat areas compress well (the raster itself is 4 bytes, RGBA). */
const PNG_BYTES_PER_PIXEL = 0.25;
/** JSON bytes per data row of a Vega-Lite spec (a few named numbers) and of its encodings, titles and config. */
const SPEC_BYTES_PER_MARK = 80;
const SPEC_FRAME_BYTES = 6_000;

/**
 * The work of drawing `marks` marks in `panels` plot areas side by side (or
 * stacked: `rows`), then, for PNG, rasterising the whole picture at `scale`.
 */
export function pictureWork(picture: PictureOptions, marks: number, layout: { columns?: number; rows?: number; width?: number; height?: number } = {}): Partial<Work> {
  if (picture.representation === 'json') return {};
  // A spec is built, not rendered: a pass over its rows, and their JSON.
  if (picture.representation === 'vegalite') {
    const specBytes = SPEC_FRAME_BYTES + SPEC_BYTES_PER_MARK * marks;
    return { elementOps: marks, answerBytes: specBytes, workingBytes: 4 * specBytes };
  }
  const columns = layout.columns ?? 1;
  const rows = layout.rows ?? 1;
  const width = columns * ((picture.width ?? layout.width ?? CHART_SIZE.width) + MARGIN.width);
  const height = rows * ((picture.height ?? layout.height ?? CHART_SIZE.height) + MARGIN.height);
  const svgBytes = SVG_FRAME_BYTES + SVG_BYTES_PER_MARK * marks;
  if (picture.representation === 'svg') return { chartMarks: Math.max(1, marks), answerBytes: svgBytes, workingBytes: 20 * svgBytes };
  const pixels = Math.round(width * height * picture.scale * picture.scale);
  return { chartMarks: Math.max(1, marks), pixels, answerBytes: PNG_BYTES_PER_PIXEL * pixels, workingBytes: 20 * svgBytes + 4 * pixels };
}
