import * as vega from 'vega';
import { compile } from 'vega-lite';
import { PlotInputError } from './chart-input.js';
import { FONT_FAMILY, FONT_FILES } from './fonts.js';
import { installTextMetrics } from './text-metrics.js';
import { withHouseStyle, type ChartSpec } from './spec.js';

/**
 * The one place where a Vega-Lite spec becomes a picture. Every chart builder
 * returns a spec; this module applies the house style and renders it headless
 * (no DOM, no canvas, no network).
 */

export { type ChartSpec, VEGA_LITE_MEDIA_TYPE, VEGA_LITE_SCHEMA, withHouseStyle } from './spec.js';

export const SVG_MEDIA_TYPE = 'image/svg+xml';
export const PNG_MEDIA_TYPE = 'image/png';

/** Largest PNG scale factor (device pixels per CSS pixel) accepted. */
export const MAX_PNG_SCALE = 4;
/** Smallest PNG scale factor: the smallest chart (an 80 px plot area) still rasterises to several pixels a side. */
export const MIN_PNG_SCALE = 0.1;
/** Largest side of a PNG, in pixels (what common image viewers and browsers' canvases take). */
export const MAX_PNG_SIDE = 8192;
/**
 * Most pixels in one PNG: 4096², 64 MiB of RGBA while it is encoded. resvg encodes on the calling thread, so
 * the cost of a PNG (time and memory) grows with its area; the largest chart at scale 4 would be 70 megapixels.
 */
export const MAX_PNG_PIXELS = 4096 * 4096;

export interface RenderOptions {
  /** Receives Vega-Lite's and Vega's warnings (default: console.warn). */
  onWarning?: (message: string) => void;
}

/** Thrown when a spec tries to reach a URL or file: charts are built from inline data only. */
export class ExternalResourceError extends Error {
  override name = 'ExternalResourceError';
}

/** A loader that refuses everything; Vega would only warn about the failure, so the refusal is also recorded. */
function offlineLoader(errors: unknown[]): vega.Loader {
  const refuse = (uri: string): Promise<never> => {
    const error = new ExternalResourceError(`Charts load no external resources (asked for "${uri}").`);
    errors.push(error);
    return Promise.reject(error);
  };
  return { load: refuse, sanitize: refuse, http: refuse, file: refuse };
}

/** Vega's logger, with warnings forwarded and errors kept: Vega logs a failed step and carries on with an empty chart. */
function collectingLogger(onWarning: (message: string) => void, errors: unknown[]): vega.LoggerInterface {
  const logger = vega.logger(vega.Warn);
  return Object.assign(logger, {
    warn: (...args: readonly unknown[]) => {
      onWarning(args.map(String).join(' '));
      return logger;
    },
    error: (...args: readonly unknown[]) => {
      errors.push(args.find((arg) => arg instanceof Error) ?? new Error(args.map(String).join(' ')));
      return logger;
    },
    info: () => logger,
    debug: () => logger,
  });
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** The chart's title as plain text ('' when it has none). */
function titleText(spec: ChartSpec): string {
  const title = spec.title;
  const text = typeof title === 'string' || Array.isArray(title) ? title : title?.text;
  if (text === undefined) return '';
  return (Array.isArray(text) ? text.join(' ') : String(text)).trim();
}

/** Vega's SVG has no accessible name; a <title> first child gives it one (and a tooltip in browsers). */
function withAccessibleTitle(svg: string, title: string): string {
  if (title === '') return svg;
  const name = escapeXml(title);
  return svg.replace(/^<svg([^>]*)>/, `<svg$1 role="img" aria-label="${name}"><title>${name}</title>`);
}

/**
 * Vega numbers clip paths and gradients with process-wide counters, so the
 * same chart would differ from one render to the next; renumbered in order of
 * appearance, the same spec gives the same bytes.
 */
function withStableDefinitionIds(svg: string): string {
  const renamed = new Map<string, string>();
  const counts = new Map<string, number>();
  return svg.replace(/(id="|url\(#)(p_)?(clip|gradient_)(\d+)/g, (_, lead: string, pattern = '', kind: string, number: string) => {
    const key = kind + number;
    let stable = renamed.get(key);
    if (stable === undefined) {
      const count = (counts.get(kind) ?? 0) + 1;
      counts.set(kind, count);
      stable = `${kind}${count}`;
      renamed.set(key, stable);
    }
    return `${lead}${pattern}${stable}`;
  });
}

/** Renders a Vega-Lite spec to a self-contained SVG document (UTF-8, explicit width, height and viewBox). */
export async function renderSvg(spec: ChartSpec, { onWarning = defaultWarning }: RenderOptions = {}): Promise<string> {
  installTextMetrics();
  const errors: unknown[] = [];
  const logger = collectingLogger(onWarning, errors);
  const vegaSpec = compile(withHouseStyle(spec), { logger }).spec;
  const view = new vega.View(vega.parse(vegaSpec), { renderer: 'none', loader: offlineLoader(errors), logger });
  try {
    const svg = await view.toSVG();
    if (errors.length > 0) throw errors[0];
    return withAccessibleTitle(withStableDefinitionIds(svg), titleText(spec));
  } finally {
    view.finalize();
  }
}

function defaultWarning(message: string): void {
  console.warn(`[plots] ${message}`);
}

export interface PngOptions extends RenderOptions {
  /** Device pixels per CSS pixel, 0 < scale ≤ MAX_PNG_SCALE (default 2, for slides and retina screens). */
  scale?: number;
}

/**
 * Rasterises an SVG from `renderSvg` with resvg, off the main thread. Only the
 * shipped DejaVu Sans is loaded, never system fonts, so text renders the same
 * everywhere, including images without any font installed.
 */
export async function svgToPng(svg: string, scale = 2): Promise<Buffer> {
  if (!(scale > 0 && scale <= MAX_PNG_SCALE)) throw new RangeError(`PNG scale must be in (0, ${MAX_PNG_SCALE}], got ${scale}.`);
  checkPngSize(svg, scale);
  const { renderAsync } = await import('@resvg/resvg-js');
  const image = await renderAsync(svg, {
    fitTo: { mode: 'zoom', value: scale },
    font: {
      loadSystemFonts: false,
      fontFiles: Object.values(FONT_FILES),
      defaultFontFamily: FONT_FAMILY,
      sansSerifFamily: FONT_FAMILY,
    },
    logLevel: 'off',
  });
  // resvg's Buffer wraps memory its addon owns (an external ArrayBuffer), which Node 26 refuses to
  // transfer from a worker thread (DataCloneError: the answer was a 500); a copy in Node's own memory moves.
  return Buffer.from(image.asPng());
}

/** Refuses a PNG that would be empty or too large, from the width and height renderSvg writes on the <svg>. */
function checkPngSize(svg: string, scale: number): void {
  const size = /^<svg[^>]*?\swidth="([\d.]+)"[^>]*?\sheight="([\d.]+)"/.exec(svg);
  if (size === null) return;
  const width = Math.round(Number(size[1]) * scale);
  const height = Math.round(Number(size[2]) * scale);
  if (width < 1 || height < 1) throw new PlotInputError(`At scale ${scale} the ${size[1]} × ${size[2]} chart would be an empty PNG; use a larger scale.`);
  if (width > MAX_PNG_SIDE || height > MAX_PNG_SIDE || width * height > MAX_PNG_PIXELS) {
    throw new PlotInputError(
      `At scale ${scale} the chart would be a ${width} × ${height} PNG; the limit is ${MAX_PNG_SIDE} pixels a side and ${MAX_PNG_PIXELS} pixels in all. Use a smaller scale, width or height.`,
    );
  }
}

/** Renders a Vega-Lite spec to a PNG (white background, `scale` × the SVG's size). */
export async function renderPng(spec: ChartSpec, { scale, ...options }: PngOptions = {}): Promise<Buffer> {
  return svgToPng(await renderSvg(spec, options), scale);
}
