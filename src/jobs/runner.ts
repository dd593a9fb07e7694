import { problemDocument, ProblemError, type Problem } from '../problems.js';
import type { CostLimits } from '../requests/cost.js';
import type { Pipeline } from '../requests/pipeline.js';
import type { CellKind, SweepCell, SweepResult } from '../schemas/jobs.js';
import { kindRecords, meanFigures, type Figures } from './kinds.js';
import { trialBody, wholeBody, type CellPlan, type SweepSpec } from './submission.js';

/**
 * Running a job's units through the request pipeline, the same way in both
 * engines: a sweep cell is one `execute` per trial, any other job one
 * `execute` of its request. Every failure is a ProblemError or the signal's reason.
 */

export interface RunContext {
  pipeline: Pipeline;
  limits: CostLimits;
  timeoutMs: number;
  signal: AbortSignal;
  /** The job's path, the `instance` of the problems it records. */
  instance: string;
}

/** A failure worth another attempt later (the pool was full or shutting down), not the request's own fault. */
export const isTransient = (error: unknown): boolean => error instanceof ProblemError && error.kind === 'unavailable';

/** The run refused this point (an overflow, a shape the core refuses): recorded in the cell, the sweep goes on. */
const isRefusal = (error: unknown): error is ProblemError => error instanceof ProblemError && (error.kind === 'unprocessable' || error.kind === 'validation');

export const problemOf = (error: ProblemError, instance: string): Problem => problemDocument(error.kind, error.detail, instance, error.extensions);

const parseAnswer = (body: Uint8Array): unknown => JSON.parse(Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8'));

/** One cell of a sweep, every trial in turn; a refused trial makes the cell's `problem`. */
export async function runCell(sweep: SweepSpec, cell: CellPlan, context: RunContext): Promise<SweepCell> {
  const record = kindRecords[sweep.kind];
  const trials: { seed: number; summary: Figures | null }[] = [];
  let refusal: ProblemError | undefined;
  for (let trial = 0; trial < cell.seeds.length; trial += 1) {
    try {
      const { answer } = await context.pipeline.execute(record.operation, trialBody(sweep, cell, trial), {
        signal: context.signal,
        limits: context.limits,
        timeoutMs: context.timeoutMs,
      });
      trials.push({ seed: cell.seeds[trial] as number, summary: record.summary(parseAnswer(answer.body)) });
    } catch (error) {
      if (context.signal.aborted || !isRefusal(error)) throw error;
      refusal ??= error;
      trials.push({ seed: cell.seeds[trial] as number, summary: null });
    }
  }
  const measured = trials.flatMap((trial) => (trial.summary === null ? [] : [trial.summary]));
  return {
    index: cell.index,
    coordinates: cell.coordinates,
    summary: measured.length === 0 ? null : measured.length === 1 ? (measured[0] as Figures) : meanFigures(measured),
    ...(trials.length > 1 ? { trials } : {}),
    ...(refusal === undefined ? {} : { problem: problemOf(refusal, context.instance) }),
  };
}

/** A simulation or training job: its request's JSON answer, progress messages (training entries) passed on. */
export async function runWhole(kind: CellKind, request: unknown, context: RunContext, onPartial: (message: unknown) => void): Promise<Uint8Array> {
  const { answer } = await context.pipeline.execute(kindRecords[kind].operation, wholeBody(kind, request), {
    signal: context.signal,
    limits: context.limits,
    timeoutMs: context.timeoutMs,
    onProgress: onPartial,
  });
  return answer.body;
}

/** The result of a sweep from its cells, one per point in index order. */
export function sweepResultOf(sweep: SweepSpec, cells: readonly SweepCell[]): SweepResult {
  return {
    kind: sweep.kind,
    axes: sweep.axes.map((axis) => ({ path: axis.path, values: axis.values, scale: axis.scale })),
    trials: sweep.trials,
    cells: [...cells].sort((a, b) => a.index - b.index),
  };
}
