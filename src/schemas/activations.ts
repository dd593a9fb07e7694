import { z } from 'zod';
import { activationNames } from '../activations/registry.js';
import { DEFAULT_SEED, MAX_SEED } from '../random.js';
import { finiteNumbers } from './numbers.js';

/** Request and response schemas of the activation endpoints; the OpenAPI components come from here. */

const finite = z.number().describe('A finite float64.');

export const gridSchema = z
  .strictObject({
    start: finite.describe('First point.'),
    stop: finite.describe('Last point (included).'),
    count: z.number().int().min(1).describe('Number of points, both ends included; 1 gives just `start` (then `stop` must equal it).'),
  })
  .refine((grid) => grid.count > 1 || grid.start === grid.stop, {
    message: 'A grid of one point needs start = stop.',
    path: ['stop'],
  })
  .meta({
    id: 'Grid',
    description: 'Evenly spaced inputs from `start` to `stop`, inclusive at both ends.',
    examples: [{ start: -5, stop: 5, count: 11 }],
  });

const unknownActivation = (input: unknown, otherwise: string): string =>
  typeof input === 'string' ? `Unknown activation "${input}"; GET /v1/activations lists them all.` : otherwise;

const activationNameList = activationNames as [string, ...string[]];

export const activationNameSchema = z
  .enum(activationNameList, { error: (issue) => unknownActivation(issue.input, 'Expected an activation id (a string).') })
  .meta({ id: 'ActivationName', description: 'An activation id or alias (see GET /v1/activations).' });

export const parameterValuesSchema = z
  .record(z.string(), z.union([z.number(), z.string()]))
  .meta({
    id: 'ParameterValues',
    description:
      "An activation's parameters by name (camelCase, e.g. `negativeSlope`); omitted ones take their defaults. Unknown names are rejected.",
    examples: [{ alpha: 0.5 }],
  });

export const activationReferenceSchema = z
  .union(
    [
      z.enum(activationNameList, {
        error: (issue) => unknownActivation(issue.input, 'Expected an activation id (a string) or an object { id, params }.'),
      }),
      z.strictObject({
        id: activationNameSchema,
        params: parameterValuesSchema.optional(),
      }),
    ],
    { error: 'Expected an activation id (a string) or an object { id, params }.' },
  )
  .meta({
    id: 'ActivationReference',
    description: 'An activation: its id (or alias) alone, or `{ "id", "params" }` to set parameters.',
    examples: ['tanh', { id: 'elu', params: { alpha: 0.5 } }],
  });

export const evaluationOutputSchema = z
  .enum(['value', 'derivative', 'paramGradients'])
  .meta({ id: 'EvaluationOutput', description: 'What to compute: f(x), f′(x), or ∂f/∂θ for each learnable parameter θ.' });

export const evaluationModeSchema = z
  .enum(['eval', 'train'])
  .meta({
    id: 'EvaluationMode',
    description:
      '`eval` is deterministic. `train` only changes RReLU, which then draws its negative slope per element from U(lower, upper) with the seed.',
  });

const evaluationOptions = {
  x: finiteNumbers().optional().describe('Explicit inputs. Give exactly one of `x` and `grid`.'),
  grid: gridSchema.optional(),
  mode: evaluationModeSchema.default('eval'),
  seed: z
    .number()
    .int()
    .min(0)
    .max(MAX_SEED)
    .default(DEFAULT_SEED)
    .describe(`Seed for the random slopes of RReLU in train mode; the same seed gives the same result bit for bit. Default ${DEFAULT_SEED}.`),
  outputs: z
    .array(evaluationOutputSchema)
    .min(1)
    .default(['value', 'derivative'])
    .describe('Which arrays to return; default value and derivative.'),
};

const exactlyOneInput = (body: { x?: unknown; grid?: unknown }, context: z.RefinementCtx): void => {
  if ((body.x === undefined) === (body.grid === undefined)) {
    context.addIssue({ code: 'custom', path: [], message: 'Give exactly one of "x" (an array of numbers) and "grid".' });
  }
};

export const evaluateOneBodySchema = z
  .strictObject({
    ...evaluationOptions,
    params: parameterValuesSchema.default({}),
  })
  .superRefine(exactlyOneInput)
  .meta({
    id: 'EvaluateRequest',
    description: 'Inputs (an explicit `x` or a `grid`) and the parameters of the activation named in the path.',
    examples: [
      { x: [-2, -1, 0, 1, 2] },
      { grid: { start: -3, stop: 3, count: 7 }, params: { alpha: 0.5 }, outputs: ['value', 'derivative', 'paramGradients'] },
    ],
  });

export const evaluateManyBodySchema = z
  .strictObject({
    ...evaluationOptions,
    activations: z.array(activationReferenceSchema).min(1).max(100).describe('The activations to evaluate, answered in this order.'),
  })
  .superRefine(exactlyOneInput)
  .meta({
    id: 'EvaluateManyRequest',
    description: 'One set of inputs, several activations.',
    examples: [{ grid: { start: -4, stop: 4, count: 9 }, activations: ['sigmoid', 'tanh', 'relu', { id: 'elu', params: { alpha: 1 } }] }],
  });

const resolvedParameters = z
  .record(z.string(), z.union([z.number(), z.string()]))
  .describe('The parameters used, every default filled in.');

const activationFields = {
  activation: z.string().describe('The canonical id (aliases resolved).'),
  params: resolvedParameters,
};

const outputFields = {
  value: z.array(z.number()).optional().describe('f(x) for each input.'),
  derivative: z.array(z.number()).optional().describe("f′(x) for each input (PyTorch's convention at the corners)."),
  paramGradients: z
    .record(z.string(), z.array(z.number()))
    .optional()
    .describe('∂f/∂θ for each learnable parameter θ (empty object for activations without one).'),
};

const inputFields = {
  mode: evaluationModeSchema,
  count: z.number().int().describe('Number of inputs.'),
  x: z.array(z.number()).describe('The inputs (the grid points when a grid was given).'),
};

export const evaluateOneResponseSchema = z
  .object({ ...activationFields, ...inputFields, ...outputFields })
  .meta({
    id: 'Evaluation',
    examples: [
      {
        activation: 'sigmoid',
        params: {},
        mode: 'eval',
        count: 3,
        x: [-1, 0, 1],
        value: [0.2689414213699951, 0.5, 0.7310585786300049],
        derivative: [0.19661193324148185, 0.25, 0.19661193324148185],
      },
    ],
  });

export const evaluateManyResponseSchema = z
  .object({
    ...inputFields,
    results: z
      .array(z.object({ ...activationFields, ...outputFields }).meta({ id: 'ActivationResult' }))
      .describe('One entry per requested activation, in request order.'),
  })
  .meta({ id: 'MultiEvaluation' });
