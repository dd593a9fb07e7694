import type { TopLevelSpec } from 'vega-lite';
import { houseConfig } from './theme.js';

/**
 * What a chart is before it is drawn: a Vega-Lite spec with its data inline,
 * in the house style. Pure data and no Node: the chart builders, the renderer
 * (render.ts) and the lab's browser bundle all import this module.
 */

export type ChartSpec = TopLevelSpec;

export const VEGA_LITE_SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

/** A chart as its Vega-Lite spec (data inline, house style applied), for browsers to draw with vega-embed. */
export const VEGA_LITE_MEDIA_TYPE = 'application/vnd.vegalite+json';

/** The spec as it is drawn: the house style merged into its config. The SVG, the PNG and the vegalite answer are all this. */
export function withHouseStyle(spec: ChartSpec): ChartSpec {
  return { ...spec, config: { ...houseConfig, ...spec.config } } as ChartSpec;
}
