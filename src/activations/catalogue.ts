import { z } from 'zod';
import { activations, type ActivationId, type RegisteredActivation } from './registry.js';
import type { ActivationProperties, ActivationRange, Introduction } from './types.js';

/**
 * The catalogue entry of an activation, derived from its record: the
 * parameter table comes from the zod schema, and every number about the
 * derivative (at 0, at the kinks) from the kernel itself, so the catalogue
 * cannot disagree with what /evaluate returns.
 */

export interface ParameterDescriptor {
  name: string;
  type: 'number' | 'string';
  default: number | string;
  description: string;
  learnable: boolean;
  minimum?: number;
  exclusiveMinimum?: number;
  maximum?: number;
  exclusiveMaximum?: number;
  enum?: string[];
}

export interface ActivationDescriptor {
  id: ActivationId;
  name: string;
  aliases: string[];
  description: string;
  formula: string;
  derivativeFormula: string;
  parameters: ParameterDescriptor[];
  range: ActivationRange;
  properties: ActivationProperties;
  derivativeAtZero: number;
  maxDerivative: number | null;
  kinks: { x: number; derivative: number; convention: string }[];
  introduced: Introduction;
}

interface ParameterJsonSchema {
  type?: 'number' | 'string';
  default?: number | string;
  description?: string;
  learnable?: boolean;
  minimum?: number;
  exclusiveMinimum?: number;
  maximum?: number;
  exclusiveMaximum?: number;
  enum?: string[];
}

function describeParameters(record: RegisteredActivation): ParameterDescriptor[] {
  const jsonSchema = z.toJSONSchema(record.paramsSchema, { io: 'input', unrepresentable: 'any' }) as {
    properties?: Record<string, ParameterJsonSchema>;
  };
  return Object.entries(jsonSchema.properties ?? {}).map(([name, property]) => {
    const { type, enum: choices, default: defaultValue, description, learnable, ...bounds } = property;
    return {
      name,
      type: type ?? 'string',
      default: defaultValue ?? '',
      description: description ?? '',
      learnable: learnable === true,
      ...(choices === undefined ? {} : { enum: choices }),
      ...pickBounds(bounds),
    };
  });
}

function pickBounds(schema: ParameterJsonSchema): Partial<ParameterDescriptor> {
  const bounds: Partial<ParameterDescriptor> = {};
  for (const key of ['minimum', 'exclusiveMinimum', 'maximum', 'exclusiveMaximum'] as const) {
    const bound = schema[key];
    if (typeof bound === 'number' && Number.isFinite(bound) && Math.abs(bound) < Number.MAX_SAFE_INTEGER) bounds[key] = bound;
  }
  return bounds;
}

export function describeActivation(record: RegisteredActivation): ActivationDescriptor {
  const defaults = record.paramsSchema.parse({});
  const kernel = record.kernel(defaults, { mode: 'eval', count: 1, uniform: () => 0.5 });
  return {
    id: record.id,
    name: record.name,
    aliases: [...record.aliases],
    description: record.description,
    formula: record.formula,
    derivativeFormula: record.derivativeFormula,
    parameters: describeParameters(record),
    range: record.range,
    properties: record.properties,
    derivativeAtZero: kernel.derivative(0, 0),
    maxDerivative: record.maxDerivative,
    kinks: record.kinks.map(({ x, convention }) => ({ x, derivative: kernel.derivative(x, 0), convention })),
    introduced: record.introduced,
  };
}

/** Every descriptor, computed once. */
export const catalogue: readonly ActivationDescriptor[] = activations.map(describeActivation);

const descriptorsById = new Map(catalogue.map((descriptor) => [descriptor.id, descriptor]));

export function descriptorOf(record: RegisteredActivation): ActivationDescriptor {
  return descriptorsById.get(record.id) ?? describeActivation(record);
}
