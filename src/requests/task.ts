import { answerOf } from './answer.js';
import { priceOf, refuseWhenTooCostly, type CostLimits } from './cost.js';
import { problemFromError, serializeProblem, type SerializedProblem } from './errors.js';
import { parseJson } from './json-body.js';
import type { Answer, OperationId, Representation, RequestLimits } from './operation.js';
import { operationById } from './operations/index.js';
import { validateBody } from './validation.js';

/**
 * What crosses into a worker thread, and what it does there. A task carries
 * either the plan made on the event loop, or, for a body too large to parse
 * there, the raw body and the validated rest of the request: then the worker
 * parses, validates, plans and prices it exactly as the route would have.
 */
export interface WorkTask {
  operation: OperationId;
  representation: Representation;
  /** PNG pixels per CSS pixel. */
  scale: number;
  input: { plan: unknown } | { body: Uint8Array; query: unknown; params: unknown; limits: RequestLimits & CostLimits };
}

export type WorkOutcome = { ok: true; answer: Answer; estimateSeconds: number | null } | { ok: false; problem: SerializedProblem };

const ignoreProgress = (): void => undefined;

/** Plans and prices a request whose body arrived as bytes. */
function planFromBody(task: WorkTask, input: Extract<WorkTask['input'], { body: Uint8Array }>): { plan: unknown; estimateSeconds: number } {
  const operation = operationById(task.operation);
  if (operation.bodySchema === undefined) throw new Error(`${operation.id} takes no body`);
  const body = validateBody(operation.bodySchema, parseJson(input.body));
  const plan = operation.plan({ body, query: input.query, params: input.params, representation: task.representation, limits: input.limits });
  const price = priceOf(operation.cost(plan));
  refuseWhenTooCostly(price, input.limits);
  return { plan, estimateSeconds: price.seconds };
}

/** Runs a task to its answer; the request's own failures come back as data (error classes do not survive the trip back). */
export async function perform(task: WorkTask, progress?: (message: unknown) => void): Promise<WorkOutcome> {
  try {
    const operation = operationById(task.operation);
    const { plan, estimateSeconds } = 'plan' in task.input ? { plan: task.input.plan, estimateSeconds: null } : planFromBody(task, task.input);
    const result = await operation.run(plan, { progress: progress ?? ignoreProgress });
    return { ok: true, answer: await answerOf(operation, plan, result, task.representation, task.scale), estimateSeconds };
  } catch (error) {
    const problem = problemFromError(error);
    if (problem === undefined) throw error;
    return { ok: false, problem: serializeProblem(problem) };
  }
}
