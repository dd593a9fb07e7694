import { z } from 'zod';
import { problemSchema } from '../problems.js';
import { pictureQueryFields } from '../routes/pictures.js';

/**
 * Schemas of the jobs API (contract: /work/shared/spec/jobs.md). A job's
 * `request` is the body of the endpoint its kind names, validated with that
 * endpoint's own schema (src/jobs/kinds.ts), so it is `unknown` here.
 */

/** Kinds that run one request of an endpoint; `sweep` runs one of them at every point of a grid. */
export const cellKinds = ['feedforward', 'recurrent', 'jacobian', 'training'] as const;
export const jobKinds = [...cellKinds, 'sweep'] as const;
export const jobStates = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;

export type CellKind = (typeof cellKinds)[number];
export type JobKind = (typeof jobKinds)[number];
export type JobState = (typeof jobStates)[number];

export const jobCeilings = {
  /** Axes of one sweep. */
  axes: 4,
  /** Values of one axis. */
  axisValues: 200,
  /** Trials of every sweep cell. */
  trials: 16,
  /** Characters of an idempotency key. */
  idempotencyKey: 200,
  /** Jobs of one page of the list. */
  pageSize: 100,
} as const;

/** A dotted path of object keys and array indices; no key that reaches an object's prototype. */
const pathSchema = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z_$][\w$]*(\.([A-Za-z_$][\w$]*|\d+))*$/, 'must be a dotted path of field names and array indices, e.g. `network.init.gain` or `network.layers.0.width`')
  .refine((path) => !path.split('.').some((key) => key === '__proto__' || key === 'constructor' || key === 'prototype'), 'must not name __proto__, constructor or prototype')
  .describe('Dotted path into the base request: `network.depth`, `network.init.gain`, `network.activation`, `optimizer.learningRate`, `network.layers.0.width`, …');

const axisValueSchema = z.union([z.number(), z.string().max(200), z.boolean()]);

export const sweepGridSchema = z
  .strictObject({
    start: z.number().describe('First value.'),
    stop: z.number().describe('Last value (included).'),
    count: z.number().int().min(1).max(jobCeilings.axisValues).describe('Number of values, both ends included.'),
    scale: z.enum(['linear', 'log']).default('linear').describe('`linear`: equal steps; `log`: equal ratios (start and stop > 0).'),
    integer: z.boolean().default(false).describe('Round every value to the nearest integer (depths, widths, steps); rounding must leave the values distinct.'),
  })
  .refine((grid) => grid.scale === 'linear' || (grid.start > 0 && grid.stop > 0), { message: 'a log grid needs start > 0 and stop > 0', path: ['start'] })
  .refine((grid) => grid.count === 1 || grid.start !== grid.stop, { message: 'start and stop must differ when count > 1', path: ['stop'] })
  .meta({ id: 'SweepGrid' });

export const sweepAxisSchema = z
  .union([
    z.strictObject({ path: pathSchema, values: z.array(axisValueSchema).min(1).max(jobCeilings.axisValues).describe('The values, in order (numbers, strings such as activation ids, booleans).') }),
    z.strictObject({ path: pathSchema, grid: sweepGridSchema }),
  ])
  .meta({ id: 'SweepAxis', description: 'One field of the base request and the values it takes: listed, or a linear or log grid.' });

export const sweepRequestSchema = z
  .strictObject({
    base: z
      .strictObject({
        kind: z.enum(cellKinds).describe('The endpoint every cell runs.'),
        request: z.unknown().describe('That endpoint\'s request body; every point of the sweep is this body with the axes\' values written in.'),
      })
      .describe('The request every cell starts from.'),
    axes: z.array(sweepAxisSchema).min(1).max(jobCeilings.axes).describe('The sweep runs the base request at every point of the product of the axes (the last axis varies fastest).'),
    trials: z
      .number()
      .int()
      .min(1)
      .max(jobCeilings.trials)
      .default(1)
      .describe('Runs per point: trial 0 with the base request\'s own seed (so a one-trial cell is exactly the synchronous answer at that point), further trials with seeds derived from it. The summary is then the mean over trials.'),
  })
  .refine((sweep) => new Set(sweep.axes.map((axis) => axis.path)).size === sweep.axes.length, { message: 'every axis must have a path of its own', path: ['axes'] })
  .meta({
    id: 'SweepRequest',
    examples: [
      {
        base: { kind: 'jacobian', request: { network: { depth: 20, width: 64, activation: 'tanh', init: { scheme: 'lecun_normal', gain: 1 } }, biasStd: 0 } },
        axes: [
          { path: 'network.init.gain', grid: { start: 0.7, stop: 2, count: 8 } },
          { path: 'biasStd', grid: { start: 0, stop: 0.5, count: 6 } },
        ],
      },
    ],
  });

export type SweepRequest = z.output<typeof sweepRequestSchema>;
export type SweepAxis = z.output<typeof sweepAxisSchema>;
export type AxisValue = z.output<typeof axisValueSchema>;

export const jobSubmissionSchema = z
  .strictObject({
    kind: z.enum(jobKinds).describe('`feedforward`, `recurrent`, `jacobian` and `training` run the body of POST /v1/simulations/… or /v1/training; `sweep` runs one of them over a grid.'),
    request: z.unknown().describe('The body of the kind\'s endpoint (a `SweepRequest` for `sweep`), validated exactly as there: a bad request is a 400 now, a too costly one a 422.'),
    idempotencyKey: z
      .string()
      .min(1)
      .max(jobCeilings.idempotencyKey)
      .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces')
      .optional()
      .describe('Submitting the same key with the same kind and request again returns the same job (200); with a different one, 409.'),
  })
  .meta({
    id: 'JobSubmission',
    examples: [
      { kind: 'feedforward', request: { network: { depth: 30, width: 128, activation: 'tanh' }, seed: 1 }, idempotencyKey: 'tanh-depth-30' },
      {
        kind: 'sweep',
        request: {
          base: { kind: 'feedforward', request: { network: { depth: 30, width: 64, activation: 'tanh', init: { scheme: 'lecun_normal', gain: 1 } } } },
          axes: [{ path: 'network.init.gain', grid: { start: 0.5, stop: 2, count: 7 } }, { path: 'network.depth', values: [10, 30, 100] }],
        },
      },
    ],
  });

export type JobSubmission = z.output<typeof jobSubmissionSchema>;

export const jobProgressSchema = z
  .object({
    done: z.number().int().describe('Units finished: sweep cells, training history entries, or 1 for a simulation once it ran.'),
    total: z.number().int(),
    fraction: z.number().describe('done / total.'),
    etaSeconds: z.number().nullable().describe('Expected seconds to the end at the pace so far; null before the first unit finishes.'),
  })
  .meta({ id: 'JobProgress' });

export const jobSchema = z
  .object({
    id: z.string(),
    kind: z.enum(jobKinds),
    state: z.enum(jobStates).describe('queued → running → succeeded | failed | cancelled.'),
    progress: jobProgressSchema,
    createdAt: z.string().describe('ISO 8601.'),
    startedAt: z.string().nullable(),
    finishedAt: z.string().nullable(),
    estimateSeconds: z.number().describe('Estimated seconds of computing on one core, summed over the job\'s runs (what it was priced at).'),
    result: z.unknown().optional().describe('Succeeded: the result, as GET /v1/jobs/{id}/result gives it in JSON.'),
    problem: problemSchema.optional().describe('Failed: why.'),
  })
  .meta({ id: 'Job', description: 'A job and how far it has got.' });

export type JobView = z.output<typeof jobSchema>;

export const jobListSchema = z
  .object({
    jobs: z.array(jobSchema).describe('Newest first, without their results.'),
    nextCursor: z.string().nullable().describe('Pass as `cursor` for the next page; null on the last.'),
  })
  .meta({ id: 'JobList' });

export const jobIdParamsSchema = z.object({ id: z.string().max(64).describe('The job id, from the Location of its submission.') });

export const jobListQuerySchema = z.object({
  state: z.enum(jobStates).optional().describe('Only jobs in this state.'),
  limit: z.coerce.number().int().min(1).max(jobCeilings.pageSize).default(20).describe(`Jobs per page (default 20, at most ${jobCeilings.pageSize}).`),
  cursor: z.string().max(100).optional().describe('`nextCursor` of the previous page.'),
});

/** Every picture option of the kinds' endpoints; the job's own kind checks the ones it takes. */
export const jobResultQuerySchema = z.object({
  ...pictureQueryFields,
  chart: z.string().max(40).optional().describe('Pictures of simulation and training jobs: the `chart` of the kind\'s endpoint.'),
  norms: z.string().max(100).optional().describe('Pictures of feed-forward jobs: as on POST /v1/simulations/feedforward.'),
  band: z.string().max(10).optional().describe('Pictures of feed-forward jobs: as on POST /v1/simulations/feedforward.'),
  figure: z.string().max(60).optional().describe('Pictures of sweeps: the summary figure coloured (default per kind: meanLog10GainPerLayer, meanLog10GainPerStep, testAccuracy).'),
  x: z.string().max(200).optional().describe('Pictures of sweeps: the axis path across (default the first axis).'),
  y: z.string().max(200).optional().describe('Pictures of sweeps: the axis path up (default the second axis).'),
});

const cellSummarySchema = z.record(z.string(), z.unknown()).describe('The headline figures of the cell\'s kind (means over trials when trials > 1).');

export const sweepCellSchema = z
  .object({
    index: z.number().int().describe('Position in the axes\' product, the last axis fastest.'),
    coordinates: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])).describe('The value of every axis, by path.'),
    summary: cellSummarySchema.nullable().describe('Null when the run refused (422, e.g. an overflow): then `problem` says why.'),
    trials: z.array(z.object({ seed: z.number().int(), summary: cellSummarySchema.nullable() })).optional().describe('With trials > 1: every trial\'s own figures.'),
    problem: problemSchema.optional(),
  })
  .meta({ id: 'SweepCell' });

export const sweepResultSchema = z
  .object({
    kind: z.enum(cellKinds),
    axes: z.array(z.object({ path: z.string(), values: z.array(z.union([z.number(), z.string(), z.boolean()])), scale: z.enum(['linear', 'log']) })).describe('Every axis with its values.'),
    trials: z.number().int(),
    cells: z.array(sweepCellSchema).describe('One per point of the axes\' product, in index order, each exactly once.'),
  })
  .meta({ id: 'SweepResult' });

export type SweepCell = z.output<typeof sweepCellSchema>;
export type SweepResult = z.output<typeof sweepResultSchema>;
