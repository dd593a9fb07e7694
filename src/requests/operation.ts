import type { z } from 'zod';
import type { ChartSpec } from '../plots/render.js';
import type { Work } from './cost.js';

/**
 * An operation is one kind of work the service does, written once and run
 * the same way from every route (and, later, from jobs):
 *
 *   validated request ─plan→ Plan (plain data) ─cost→ Work ─run→ Result ─answer→ bytes
 *
 * `plan` and `cost` are pure and cheap; they run where the request was
 * validated (the event loop, or a worker for a body too large to parse on
 * it). `run` and `answer` run on a worker thread unless the operation allows
 * inline runs and its price is below the inline threshold. A plan crosses the
 * thread boundary by structured clone, so it holds no functions: activations
 * are `{ id, params }` with the parameters already validated and completed.
 */

/**
 * `binary`: raw little-endian float64 (the binary evaluation endpoint).
 * `ndjson`: the operation's progress messages as JSON lines while it runs, then
 * `{"result": …}` (operations that report progress, such as training).
 * `vegalite`: the chart as its Vega-Lite spec, data inline, the spec the SVG and
 * PNG are rendered from (browsers draw it with vega-embed: the lab does).
 */
export type Representation = 'json' | 'svg' | 'png' | 'binary' | 'ndjson' | 'vegalite';

/** What the route hands to `plan`: the validated parts of the request and the negotiated answer. */
export interface OperationInput<Body, Query, Params> {
  body: Body;
  query: Query;
  params: Params;
  representation: Representation;
  limits: RequestLimits;
}

/** Limits a plan itself checks (the cost limits are checked on its price). */
export interface RequestLimits {
  /** Largest number of evaluated elements (inputs × activations). */
  maxElements: number;
}

/** What a running operation may use besides its plan. */
export interface RunContext {
  /**
   * Reports a piece of the result as soon as it exists (a training history
   * entry, a sweep cell): streamed answers and jobs pass it on; otherwise it
   * goes nowhere. Must be structured-cloneable.
   */
  progress(message: unknown): void;
}

/** What a worker or an inline run hands back: the answer's bytes, or a JSON-ready value for small inline answers. */
export interface Answer {
  contentType: string;
  body: Uint8Array;
  /** Headers that describe the body (the binary layout). */
  headers?: Record<string, string>;
}

export interface Operation<Body = unknown, Query = unknown, Params = unknown, Plan = unknown, Result = unknown> {
  /** Stable name, used to find the operation on the worker side. */
  readonly id: OperationId;
  /** The request body's schema, for bodies validated on a worker (too large for the event loop). */
  readonly bodySchema?: z.ZodType<Body>;
  /** Which answers the operation can give, first choice first. */
  readonly representations: readonly Representation[];
  /** May a cheap run (below the inline threshold) happen on the event loop? Only for JSON answers. */
  readonly inline?: boolean;
  /** Resolves references and checks what the schema cannot; throws a ProblemError (400) with field paths. */
  plan(input: OperationInput<Body, Query, Params>): Plan;
  /** The work the plan will do (throws a ProblemError for a shape the core refuses). */
  cost(plan: Plan): Work;
  /** Runs the plan (on a worker, or inline). */
  run(plan: Plan, context: RunContext): Result | Promise<Result>;
  /**
   * The result's chart as a Vega-Lite spec with its data inline (operations that offer pictures): the one
   * drawing of it, answered as it is for `vegalite` and rendered for `svg` and `png`.
   */
  spec?(result: Result, plan: Plan): ChartSpec;
  /** Encodes the result for the `binary` representation. */
  binary?(result: Result, plan: Plan): Answer;
  /** Turns the result into the JSON value of the answer (default: the result itself). */
  json?(result: Result, plan: Plan): unknown;
}

export const operationIds = [
  'evaluateActivation',
  'evaluateMany',
  'evaluateActivationBinary',
  'plotActivation',
  'plotActivations',
  'simulateFeedforward',
  'simulateRecurrent',
  'jacobianSpectrum',
  'meanField',
  'phaseDiagram',
  'train',
] as const;

export type OperationId = (typeof operationIds)[number];

/** Identity function that keeps an operation's precise types. */
export function defineOperation<Body, Query, Params, Plan, Result>(
  operation: Operation<Body, Query, Params, Plan, Result>,
): Operation<Body, Query, Params, Plan, Result> {
  return operation;
}
