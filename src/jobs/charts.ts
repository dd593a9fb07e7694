import type { z } from 'zod';
import { PNG_MEDIA_TYPE, SVG_MEDIA_TYPE, svgToPng, sweepHeatMap, sweepLine } from '../plots/index.js';
import { ProblemError } from '../problems.js';
import type { CostLimits } from '../requests/cost.js';
import { problemFromError } from '../requests/errors.js';
import type { Answer } from '../requests/operation.js';
import type { Pipeline } from '../requests/pipeline.js';
import { validationProblem } from '../requests/validation.js';
import type { CellKind, jobResultQuerySchema, SweepResult } from '../schemas/jobs.js';
import { toFieldErrors, unlistedErrors } from '../validation-issues.js';
import { kindRecords } from './kinds.js';
import { wholeBody } from './submission.js';
import { theoryLines } from './theory-lines.js';

/**
 * The chart of a job's result. A simulation or training job's chart is its
 * endpoint's own, drawn by running the job's request again on the worker pool
 * with that representation: every draw comes from the seed, so it is the same
 * result bit for bit, priced like the job. A sweep's chart is drawn from its
 * stored result: a heat map of one figure over two axes (a line over one),
 * with the mean-field theory over it where it applies.
 */

export type ResultQuery = z.output<typeof jobResultQuerySchema>;

export interface ChartContext {
  pipeline: Pipeline;
  limits: CostLimits;
  timeoutMs: number;
  signal?: AbortSignal;
}

const pictureOf = async (svg: string, representation: 'svg' | 'png', scale: number): Promise<Answer> =>
  representation === 'svg' ? { contentType: `${SVG_MEDIA_TYPE}; charset=utf-8`, body: Buffer.from(svg) } : { contentType: PNG_MEDIA_TYPE, body: await svgToPng(svg, scale) };

const optionsOf = ({ width, height, title }: ResultQuery) => ({ ...(width === undefined ? {} : { width }), ...(height === undefined ? {} : { height }), ...(title === undefined ? {} : { title }) });

/** A simulation or training job's chart: its request again, as a picture. */
export async function requestChart(kind: CellKind, request: unknown, representation: 'svg' | 'png', query: ResultQuery, context: ChartContext): Promise<Answer> {
  const record = kindRecords[kind];
  const pictureQuery = Object.fromEntries(Object.entries({ width: query.width, height: query.height, title: query.title, scale: query.scale, chart: query.chart, norms: query.norms, band: query.band }).filter(([, value]) => value !== undefined));
  const parsedQuery = record.querySchema.safeParse(pictureQuery);
  if (!parsedQuery.success) throw validationProblem('querystring', toFieldErrors(parsedQuery.error.issues, ['querystring']), unlistedErrors(parsedQuery.error.issues));
  const { body } = wholeBody(kind, request);
  const { answer } = await context.pipeline.execute(record.operation, { body, query: parsedQuery.data }, {
    representation,
    scale: query.scale,
    limits: context.limits,
    timeoutMs: context.timeoutMs,
    ...(context.signal === undefined ? {} : { signal: context.signal }),
  });
  return answer;
}

const invalidQuery = (field: string, message: string): ProblemError => new ProblemError('validation', message, { errors: [{ path: `querystring.${field}`, message }] });

/** Numeric figures some cell of the sweep has. */
const figuresOf = (result: SweepResult): string[] => [...new Set(result.cells.flatMap((cell) => Object.entries(cell.summary ?? {}).filter(([, value]) => typeof value === 'number').map(([name]) => name)))];

/** A sweep's chart from its result; `base` is its base request (for the theory lines). */
export async function sweepChart(result: SweepResult, base: unknown, representation: 'svg' | 'png', query: ResultQuery): Promise<Answer> {
  const figures = figuresOf(result);
  const figure = query.figure ?? kindRecords[result.kind].defaultFigure;
  if (!figures.includes(figure)) {
    throw invalidQuery('figure', figures.length === 0 ? 'No cell of this sweep has a numeric figure to draw.' : `This sweep's cells have no figure ${JSON.stringify(figure)}; choose one of ${figures.join(', ')}.`);
  }
  const axisNamed = (path: string | undefined, fallback: number, field: 'x' | 'y') => {
    const axis = path === undefined ? result.axes[fallback] : result.axes.find((candidate) => candidate.path === path);
    if (axis === undefined && path !== undefined) throw invalidQuery(field, `The sweep has no axis ${JSON.stringify(path)}; its axes are ${result.axes.map((candidate) => candidate.path).join(', ')}.`);
    return axis;
  };
  if (result.axes.length > 2) throw new ProblemError('unprocessable', `A sweep over ${result.axes.length} axes has no single chart; its JSON result holds every cell. Sweep two axes at a time to draw a heat map.`);
  const x = axisNamed(query.x, 0, 'x');
  if (x === undefined) throw invalidQuery('x', 'The sweep has no axis to draw.');
  const valueOf = (summary: Record<string, unknown> | null): number | null => {
    const value = summary?.[figure];
    return typeof value === 'number' ? value : null;
  };
  const diverging = /log10/i.test(figure);
  const options = optionsOf(query);
  try {
    let svg: string;
    if (result.axes.length === 1) {
      svg = await sweepLine({ ...options, x: { title: x.path, values: x.values, scale: x.scale }, figure, points: result.cells.map((cell) => ({ x: cell.coordinates[x.path] as number, value: valueOf(cell.summary) })) });
    } else {
      const y = axisNamed(query.y, result.axes[0] === x ? 1 : 0, 'y');
      if (y === undefined || y === x) throw invalidQuery('y', 'x and y must be the two different axes of the sweep.');
      const overlays = theoryLines(result.kind, base, { ...x, log: x.scale === 'log' }, { ...y, log: y.scale === 'log' });
      svg = await sweepHeatMap({
        ...options,
        x: { title: x.path, values: x.values, scale: x.scale },
        y: { title: y.path, values: y.values, scale: y.scale },
        figure: result.trials > 1 ? `${figure} (mean of ${result.trials} trials)` : figure,
        diverging,
        cells: result.cells.map((cell) => ({ x: cell.coordinates[x.path] as number, y: cell.coordinates[y.path] as number, value: valueOf(cell.summary) })),
        overlays,
      });
    }
    return await pictureOf(svg, representation, query.scale);
  } catch (error) {
    throw problemFromError(error) ?? error;
  }
}
