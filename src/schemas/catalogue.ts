import { z } from 'zod';

/** Response schemas of the catalogue endpoints (see src/activations/catalogue.ts for how entries are derived). */

const parameterDescriptorSchema = z
  .object({
    name: z.string().describe('camelCase name, as used in `params`.'),
    type: z.enum(['number', 'string']),
    default: z.union([z.number(), z.string()]),
    description: z.string(),
    learnable: z.boolean().describe('Whether the parameter is trained (then `paramGradients` reports ∂f/∂θ for it).'),
    minimum: z.number().optional(),
    exclusiveMinimum: z.number().optional(),
    maximum: z.number().optional(),
    exclusiveMaximum: z.number().optional(),
    enum: z.array(z.string()).optional(),
  })
  .meta({ id: 'ParameterDescriptor' });

export const activationDescriptorSchema = z
  .object({
    id: z.string().describe("PyTorch's functional name."),
    name: z.string(),
    aliases: z.array(z.string()),
    description: z.string(),
    formula: z.string().describe('f(x) in LaTeX.'),
    derivativeFormula: z.string().describe("f′(x) in LaTeX."),
    parameters: z.array(parameterDescriptorSchema),
    range: z
      .object({
        min: z.number().nullable().describe('Infimum at the default parameters; null when unbounded.'),
        max: z.number().nullable().describe('Supremum at the default parameters; null when unbounded.'),
        notation: z.string().describe('The interval in LaTeX notation.'),
      })
      .describe('The range of f at the default parameters.'),
    properties: z.object({
      monotonic: z.boolean(),
      smooth: z.boolean().describe('Continuously differentiable everywhere.'),
      zeroCentered: z.boolean(),
      saturatesNegative: z.boolean().describe('f′ → 0 as x → −∞.'),
      saturatesPositive: z.boolean().describe('f′ → 0 as x → +∞.'),
    }),
    derivativeAtZero: z.number().describe("f′(0) as the service returns it (at a kink, PyTorch's convention)."),
    maxDerivative: z
      .number()
      .nullable()
      .describe('sup |f′| at the default parameters: 0.25 for sigmoid, 1 for tanh. Below 1, gradients shrink layer after layer.'),
    kinks: z
      .array(
        z.object({
          x: z.number(),
          derivative: z.number().describe('What the service returns there.'),
          convention: z.string(),
        }),
      )
      .describe('Points where f has no derivative, at the default parameters.'),
    introduced: z.object({ year: z.number().int(), authors: z.string(), reference: z.string() }),
  })
  .meta({ id: 'ActivationDescriptor' });

export const catalogueResponseSchema = z
  .object({ activations: z.array(activationDescriptorSchema) })
  .meta({ id: 'Catalogue' });

export const activationIdParamsSchema = z.object({
  id: z.string().describe('An activation id or alias, e.g. `tanh`, `leaky_relu`, `logistic`.'),
});
