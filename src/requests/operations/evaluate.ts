import type { z } from 'zod';
import { evaluateActivation, gridPoints, plainBatch, type EvaluationOutput } from '../../activations/evaluate.js';
import type { EvaluationMode } from '../../activations/types.js';
import { ProblemError } from '../../problems.js';
import { evaluateManyBodySchema, evaluateOneBodySchema } from '../../schemas/activations.js';
import { bind, refOf, resolveReference, refOfResolved, type ActivationRef } from '../activation-refs.js';
import { kernelCost } from '../calibration.js';
import { JSON_NUMBER_BYTES, type Work } from '../cost.js';
import { defineOperation, type RequestLimits } from '../operation.js';

/** Batch evaluation of activations: f(x), f′(x), ∂f/∂θ over explicit inputs or a grid. */

type Grid = { start: number; stop: number; count: number };

interface EvaluationPlan {
  activations: ActivationRef[];
  /** The explicit inputs, or the grid to expand. */
  inputs: { x: number[] } | { grid: Grid };
  count: number;
  mode: EvaluationMode;
  seed: number;
  outputs: EvaluationOutput[];
}

interface InputFields {
  x?: number[] | undefined;
  grid?: Grid | undefined;
}

/** Refuses with 413 a request for more than `maxElements` evaluated elements (inputs × activations). */
function refuseTooManyElements(count: number, activationCount: number, { maxElements }: RequestLimits): void {
  const elements = count * activationCount;
  if (elements > maxElements) {
    const what = activationCount === 1 ? `${count} inputs` : `${count} inputs × ${activationCount} activations = ${elements} elements`;
    throw new ProblemError('tooLarge', `The request asks for ${what}; the limit is ${maxElements} elements.`, {
      elements,
      limit: maxElements,
    });
  }
}

/** The schema lets through exactly one of `x` and `grid`. */
function inputsOf(body: InputFields, activationCount: number, limits: RequestLimits): Pick<EvaluationPlan, 'inputs' | 'count'> {
  const inputs: EvaluationPlan['inputs'] = body.x !== undefined ? { x: body.x } : { grid: body.grid ?? { start: 0, stop: 0, count: 0 } };
  const count = 'x' in inputs ? inputs.x.length : inputs.grid.count;
  refuseTooManyElements(count, activationCount, limits);
  return { inputs, count };
}

function evaluationWork(plan: EvaluationPlan): Work {
  const perInput = plan.outputs.length + (plan.outputs.includes('paramGradients') ? 2 : 0);
  const elements = plan.count * plan.activations.length * perInput;
  const answerNumbers = plan.count + elements;
  const kernelOps = plan.activations.reduce((sum, ref) => sum + plan.count * perInput * kernelCost(ref.id), 0);
  return {
    engineFlops: 0,
    scalarFlops: 0,
    decompositionFlops: 0,
    elementOps: kernelOps,
    passes: plan.activations.length,
    chartMarks: 0,
    pixels: 0,
    // The inputs, each output as a plain array, and the JSON text.
    workingBytes: 8 * (plan.count + elements) + JSON_NUMBER_BYTES * answerNumbers,
    answerBytes: JSON_NUMBER_BYTES * answerNumbers,
  };
}

/** The inputs (the grid expanded) and each activation's outputs, as plain arrays for JSON. */
function evaluate(plan: EvaluationPlan) {
  const { inputs } = plan;
  const x = 'x' in inputs ? inputs.x : gridPoints(inputs.grid.start, inputs.grid.stop, inputs.grid.count, plainBatch);
  const options = { outputs: plan.outputs, mode: plan.mode, seed: plan.seed };
  return {
    x,
    results: plan.activations.map((ref) => ({ activation: ref.id, params: ref.params, ...evaluateActivation(bind(ref), x, options, plainBatch) })),
  };
}

type OneBody = z.output<typeof evaluateOneBodySchema>;
type ManyBody = z.output<typeof evaluateManyBodySchema>;

export const evaluateActivationOperation = defineOperation({
  id: 'evaluateActivation',
  bodySchema: evaluateOneBodySchema,
  representations: ['json'],
  inline: true,
  plan: ({ body, params, limits }: { body: OneBody; params: { id: string }; limits: RequestLimits }): EvaluationPlan => {
    const activation = refOfResolved(resolveReference(params.id, body.params, ['params']));
    return { activations: [activation], ...inputsOf(body, 1, limits), mode: body.mode, seed: body.seed, outputs: body.outputs };
  },
  cost: evaluationWork,
  run: (plan) => {
    const { x, results } = evaluate(plan);
    const { activation, params, ...outputs } = results[0] ?? { activation: '', params: {} };
    return { activation, params, mode: plan.mode, count: x.length, x, ...outputs };
  },
});

export const evaluateManyOperation = defineOperation({
  id: 'evaluateMany',
  bodySchema: evaluateManyBodySchema,
  representations: ['json'],
  inline: true,
  plan: ({ body, limits }: { body: ManyBody; limits: RequestLimits }): EvaluationPlan => {
    const activations = body.activations.map((reference, index) => refOf(reference, ['activations', index]));
    return { activations, ...inputsOf(body, activations.length, limits), mode: body.mode, seed: body.seed, outputs: body.outputs };
  },
  cost: evaluationWork,
  run: (plan) => {
    const { x, results } = evaluate(plan);
    return { mode: plan.mode, count: x.length, x, results };
  },
});
