import { createHash } from 'node:crypto';
import type { z } from 'zod';
import { ProblemError, type FieldError } from '../problems.js';
import type { CostLimits } from '../requests/cost.js';
import type { Pipeline } from '../requests/pipeline.js';
import { validationProblem } from '../requests/validation.js';
import { sweepRequestSchema, type AxisValue, type CellKind, type JobKind, type JobSubmission, type SweepRequest } from '../schemas/jobs.js';
import { entrySteps } from '../training/train.js';
import { toFieldErrors, unlistedErrors } from '../validation-issues.js';
import { kindRecords } from './kinds.js';
import { axisValues, coordinatesOf, pointCount, requestAt, SweepShapeError, trialSeed, type ExpandedAxis } from './sweep.js';

/**
 * A submission checked as the endpoint would check it, and priced, before it
 * becomes a job: a bad request is a 400 and a too costly one a 422 now. The
 * outcome is plain data that both engines store and run.
 */

/** One unit of a job's work: a sweep cell (its trials in turn), or the whole request of any other kind. */
export interface CellPlan {
  index: number;
  coordinates: Record<string, AxisValue>;
  /** One seed per trial; empty outside sweeps (the request runs as it is). */
  seeds: number[];
}

/** What a sweep's cells need besides their own plan: the base and the axes' values. */
export interface SweepSpec {
  kind: CellKind;
  base: unknown;
  axes: ExpandedAxis[];
  trials: number;
}

export interface JobPlan {
  kind: JobKind;
  /** The request as submitted. */
  request: unknown;
  /** SHA-256 of kind and request (keys sorted), for idempotency keys. */
  fingerprint: string;
  estimateSeconds: number;
  cells: CellPlan[];
  sweep: SweepSpec | null;
  /** Units of progress: sweep cells, training history entries, or 1. */
  total: number;
}

export interface JobLimits extends CostLimits {
  /** Most cells (points × trials) of a sweep. */
  maxCells: number;
}

/** A sweep's points each hold a copy of the base request: at most this many bytes of them in all. */
export const MAX_SWEEP_REQUEST_BYTES = 64 * 1024 * 1024;

/** JSON with the keys of every object sorted: the same request, the same text. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export const fingerprintOf = (kind: JobKind, request: unknown): string => createHash('sha256').update(canonicalJson({ kind, request })).digest('hex');

const prefixed = (errors: readonly FieldError[], prefix: string): FieldError[] => errors.map((error) => ({ ...error, path: error.path === '' ? prefix : `${prefix}.${error.path}` }));

function parseWith<Schema extends z.ZodType>(schema: Schema, value: unknown, prefix: readonly string[]): z.output<Schema> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw validationProblem('body', toFieldErrors(parsed.error.issues, prefix), unlistedErrors(parsed.error.issues));
}

/** A problem of the request's own fields, with its field paths moved under `prefix`. */
function relocated(problem: ProblemError, prefix: string): ProblemError {
  const errors = problem.extensions['errors'] as FieldError[] | undefined;
  return new ProblemError(problem.kind, problem.detail, { ...problem.extensions, ...(errors === undefined ? {} : { errors: prefixed(errors, prefix) }) }, problem.headers);
}

/** The parsed body of a kind's request, its plan and price, under the job limits. */
export function quoteCell(pipeline: Pipeline, kind: CellKind, request: unknown, limits: CostLimits, prefix: readonly string[]) {
  const record = kindRecords[kind];
  const body = parseWith(record.bodySchema, request, prefix);
  const query = record.querySchema.parse({});
  try {
    return { body, query, ...pipeline.quote(record.operation, { body, query }, { limits }) };
  } catch (error) {
    if (error instanceof ProblemError) throw relocated(error, prefix.join('.'));
    throw error;
  }
}

interface TrainingPlanShape {
  steps: number;
  evaluateEvery: number;
  runs: unknown[];
}

function planSweep(pipeline: Pipeline, request: unknown, limits: JobLimits): Omit<JobPlan, 'kind' | 'request' | 'fingerprint'> {
  const sweep: SweepRequest = parseWith(sweepRequestSchema, request, ['request']);
  const axes: ExpandedAxis[] = sweep.axes.map((axis, index) => {
    try {
      return { path: axis.path, values: axisValues(axis, `request.axes.${index}`), scale: 'grid' in axis ? axis.grid.scale : 'linear' };
    } catch (error) {
      if (error instanceof SweepShapeError) throw new ProblemError('validation', `The sweep's axis ${index} is invalid: ${error.message}`, { errors: [{ path: error.field, message: error.message }] });
      throw error;
    }
  });
  const points = pointCount(axes);
  const cellCount = points * sweep.trials;
  if (cellCount > limits.maxCells) {
    throw new ProblemError('unprocessable', `The sweep has ${points} points × ${sweep.trials} trials = ${cellCount} runs; the limit is ${limits.maxCells} (JOB_MAX_CELLS). Use fewer values or trials.`, { cells: cellCount, limit: limits.maxCells });
  }
  const baseBytes = Buffer.byteLength(JSON.stringify(sweep.base.request) ?? '');
  if (baseBytes * points > MAX_SWEEP_REQUEST_BYTES) {
    throw new ProblemError('unprocessable', `The sweep's ${points} points would hold ${((baseBytes * points) / 2 ** 20).toPrecision(3)} MiB of requests; the limit is ${MAX_SWEEP_REQUEST_BYTES / 2 ** 20} MiB. Use a smaller base request (named data rather than explicit rows) or fewer points.`);
  }
  let seconds = 0;
  let flops = 0;
  const cells: CellPlan[] = [];
  for (let index = 0; index < points; index += 1) {
    const coordinates = coordinatesOf(axes, index);
    const where = `Sweep point ${index} (${Object.entries(coordinates).map(([path, value]) => `${path} = ${JSON.stringify(value)}`).join(', ')})`;
    const point = { index, coordinates };
    let pointRequest: unknown;
    try {
      pointRequest = requestAt(sweep.base.request, coordinates);
    } catch (error) {
      if (error instanceof SweepShapeError) throw new ProblemError('validation', `${where}: ${error.message}`, { errors: [{ path: `request.${error.field}`, message: error.message }], point });
      throw error;
    }
    let quoted: ReturnType<typeof quoteCell>;
    try {
      quoted = quoteCell(pipeline, sweep.base.kind, pointRequest, limits, ['request', 'base', 'request']);
    } catch (error) {
      if (error instanceof ProblemError) throw new ProblemError(error.kind, `${where} is refused: ${error.detail}`, { ...error.extensions, point }, error.headers);
      throw error;
    }
    seconds += quoted.price.seconds * sweep.trials;
    flops += quoted.price.flops * sweep.trials;
    const seed = (quoted.body as { seed: number }).seed;
    cells.push({ index, coordinates, seeds: Array.from({ length: sweep.trials }, (_, trial) => trialSeed(seed, trial)) });
  }
  refuseSweepCost(seconds, flops, cellCount, limits);
  return { estimateSeconds: seconds, cells, sweep: { kind: sweep.base.kind, base: sweep.base.request, axes, trials: sweep.trials }, total: points };
}

function refuseSweepCost(seconds: number, flops: number, runs: number, limits: JobLimits): void {
  const extensions = { estimate: { seconds, flops }, limit: { seconds: limits.maxSeconds, flops: limits.maxFlops } };
  if (seconds > limits.maxSeconds) {
    throw new ProblemError('unprocessable', `The sweep's ${runs} runs would take about ${seconds.toPrecision(3)} s of computing in all; the limit is ${limits.maxSeconds} s (JOB_MAX_SECONDS). Use fewer points, trials or a smaller base request.`, extensions);
  }
  if (flops > limits.maxFlops) {
    throw new ProblemError('unprocessable', `The sweep's ${runs} runs would cost about ${(flops / 1e9).toPrecision(3)} GFLOP in all; the limit is ${(limits.maxFlops / 1e9).toPrecision(3)} GFLOP (JOB_MAX_GFLOP).`, extensions);
  }
}

/** Checks and prices a submission; throws the ProblemError the client gets (400 or 422). */
export function planJob(pipeline: Pipeline, submission: JobSubmission, limits: JobLimits): JobPlan {
  const { kind, request } = submission;
  const fingerprint = fingerprintOf(kind, request);
  if (kind === 'sweep') return { kind, request, fingerprint, ...planSweep(pipeline, request, limits) };
  const { plan, price } = quoteCell(pipeline, kind, request, limits, ['request']);
  let total = 1;
  if (kind === 'training') {
    const training = plan as TrainingPlanShape;
    total = entrySteps(training.steps, training.evaluateEvery).length * training.runs.length;
  }
  return { kind, request, fingerprint, estimateSeconds: price.seconds, cells: [{ index: 0, coordinates: {}, seeds: [] }], sweep: null, total };
}

/** The parsed request a cell's trial runs (the same parse as at submission, the trial's seed written in). */
export function trialBody(sweep: SweepSpec, cell: CellPlan, trial: number): { body: unknown; query: unknown } {
  const record = kindRecords[sweep.kind];
  const request = requestAt(sweep.base, { ...cell.coordinates });
  const seeded = { ...(request as Record<string, unknown>), seed: cell.seeds[trial] };
  return { body: record.bodySchema.parse(seeded), query: record.querySchema.parse({}) };
}

/** The parsed request of a job of a simulation or training kind. */
export function wholeBody(kind: CellKind, request: unknown): { body: unknown; query: unknown } {
  const record = kindRecords[kind];
  return { body: record.bodySchema.parse(request), query: record.querySchema.parse({}) };
}
