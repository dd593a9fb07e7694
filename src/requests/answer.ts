import { PNG_MEDIA_TYPE, SVG_MEDIA_TYPE, svgToPng } from '../plots/index.js';
import { renderSvg, VEGA_LITE_MEDIA_TYPE, withHouseStyle } from '../plots/render.js';
import { ProblemError } from '../problems.js';
import type { Answer, Operation, Representation } from './operation.js';

/** The last step of the pipeline: a result as the bytes of its answer (JSON text, a Vega-Lite spec, SVG or PNG). */

/**
 * The path of the first non-finite number in a result (JSON cannot carry it), or null. The walk builds no
 * strings: a path is spelled out only for the value that fails (building one per number cost ~3 µs of an
 * 11-point evaluation).
 */
function nonFinitePath(value: unknown): string | null {
  const trail: (string | number)[] = [];
  return hasNonFinite(value, trail) ? ['result', ...trail.reverse()].join('.') : null;
}

/** Whether `value` holds a non-finite number; if so `trail` ends up with the keys from it back up to `value`. */
function hasNonFinite(value: unknown, trail: (string | number)[]): boolean {
  if (typeof value === 'number') return !Number.isFinite(value);
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) {
      const item: unknown = value[index];
      if (typeof item === 'number' ? !Number.isFinite(item) : hasNonFinite(item, trail)) {
        trail.push(index);
        return true;
      }
    }
    return false;
  }
  if (value !== null && typeof value === 'object') {
    for (const key in value) {
      if (!Object.prototype.hasOwnProperty.call(value, key)) continue;
      if (hasNonFinite((value as Record<string, unknown>)[key], trail)) {
        trail.push(key);
        return true;
      }
    }
  }
  return false;
}

/** The JSON value of a result, refused with 422 when a figure overflows float64. */
export function jsonOf(operation: Operation, result: unknown, plan: unknown): unknown {
  const value = operation.json === undefined ? result : operation.json(result, plan);
  const where = nonFinitePath(value);
  if (where !== null) throw new ProblemError('unprocessable', `A figure of the result (${where}) overflows float64; reduce the weights or the input scale.`);
  return value;
}

export async function answerOf(operation: Operation, plan: unknown, result: unknown, representation: Representation, scale: number): Promise<Answer> {
  if (representation === 'json' || representation === 'ndjson') {
    return { contentType: 'application/json; charset=utf-8', body: Buffer.from(JSON.stringify(jsonOf(operation, result, plan))) };
  }
  if (representation === 'binary') {
    if (operation.binary === undefined) throw new Error(`${operation.id} has no binary answer`);
    return operation.binary(result, plan);
  }
  if (operation.spec === undefined) throw new Error(`${operation.id} draws no chart`);
  const spec = operation.spec(result, plan);
  // Rendered or not, the chart is this one spec in the house style: a browser drawing it sees what the SVG shows.
  if (representation === 'vegalite') return { contentType: `${VEGA_LITE_MEDIA_TYPE}; charset=utf-8`, body: Buffer.from(JSON.stringify(withHouseStyle(spec))) };
  const svg = await renderSvg(spec);
  if (representation === 'svg') return { contentType: `${SVG_MEDIA_TYPE}; charset=utf-8`, body: Buffer.from(svg) };
  return { contentType: PNG_MEDIA_TYPE, body: await svgToPng(svg, scale) };
}
