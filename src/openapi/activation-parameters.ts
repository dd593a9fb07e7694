import { z } from 'zod';
import { activations } from '../activations/registry.js';

/**
 * The activation parameters that two routes take as query keys
 * (`/v1/activations/elu/plot?alpha=0.5`, `/evaluate/binary?alpha=0.5`), declared
 * as query parameters so that a typed client may send them. Their zod schemas
 * cannot say so (a catch-all takes any other key, and the activation in the
 * path decides which keys it knows), so they are added to the document from the
 * registry: one optional parameter per name, whose description names every
 * activation that takes it with that activation's meaning, default and bounds,
 * and whose schema admits what any of them admits (the bounds shared by all of
 * them; a key the activation in the path does not take is refused with 400).
 * No schema carries a `default`: Swagger UI's "Try it out" sends every
 * parameter that has one, and gelu would refuse the `beta` of softplus.
 */

type JsonSchema = Record<string, unknown>;

interface Use {
  activation: string;
  schema: JsonSchema;
}

/** The operations whose query keys, besides their own, are the parameters of the activation in the path. */
export const ACTIVATION_PARAMETER_OPERATIONS: readonly string[] = ['plotActivation', 'evaluateActivationBinary'];

const ANNOTATIONS = new Set(['description', 'default', 'learnable', '$schema']);

/** Keywords of a parameter's schema that constrain it (not its description or default). */
const constraintsOf = (schema: JsonSchema): JsonSchema => Object.fromEntries(Object.entries(schema).filter(([key]) => !ANNOTATIONS.has(key)));

function boundsText(schema: JsonSchema): string {
  const parts: string[] = [];
  if (typeof schema.minimum === 'number') parts.push(`≥ ${schema.minimum}`);
  if (typeof schema.exclusiveMinimum === 'number') parts.push(`> ${schema.exclusiveMinimum}`);
  if (typeof schema.maximum === 'number') parts.push(`≤ ${schema.maximum}`);
  if (typeof schema.exclusiveMaximum === 'number') parts.push(`< ${schema.exclusiveMaximum}`);
  if (Array.isArray(schema.enum)) parts.push(`one of ${schema.enum.map((value) => `\`${String(value)}\``).join(', ')}`);
  return parts.join(', ');
}

function usesByName(): Map<string, Use[]> {
  const uses = new Map<string, Use[]>();
  for (const record of activations) {
    const json = z.toJSONSchema(record.paramsSchema, { io: 'input', unrepresentable: 'any' }) as { properties?: Record<string, JsonSchema> };
    for (const [name, schema] of Object.entries(json.properties ?? {})) {
      uses.set(name, [...(uses.get(name) ?? []), { activation: record.id, schema }]);
    }
  }
  return uses;
}

/** The query parameter of one name: what every activation taking it admits, described per activation. */
function parameterOf(name: string, uses: readonly Use[]): Record<string, unknown> {
  const [first] = uses;
  if (first === undefined) throw new Error(`no activation takes ${name}`);
  const sameConstraints = uses.every((use) => JSON.stringify(constraintsOf(use.schema)) === JSON.stringify(constraintsOf(first.schema)));
  const types = new Set(uses.map((use) => use.schema.type));
  const schema: JsonSchema = sameConstraints ? constraintsOf(first.schema) : types.size === 1 ? { type: first.schema.type } : {};
  const lines = uses.map(({ activation, schema: own }) => {
    const facts = [own.default === undefined ? '' : `default ${JSON.stringify(own.default)}`, boundsText(own)].filter((fact) => fact !== '').join(', ');
    return `\`${activation}\`${facts === '' ? '' : ` (${facts})`}: ${String(own.description ?? '')}`;
  });
  return {
    name,
    in: 'query',
    required: false,
    description: `A parameter of ${uses.length === 1 ? 'the activation' : 'these activations'}, for the activation in the path only (another activation refuses it with 400). ${lines.join(' ')}`,
    schema,
  };
}

interface Operation {
  operationId?: string;
  parameters?: { name: string; in: string }[];
}

export function documentActivationParameters<Document extends { paths?: unknown }>(document: Document): Document {
  const declared = [...usesByName()].sort(([a], [b]) => a.localeCompare(b)).map(([name, uses]) => parameterOf(name, uses));
  for (const item of Object.values((document.paths ?? {}) as Record<string, Record<string, Operation>>)) {
    for (const operation of Object.values(item)) {
      if (operation.operationId === undefined || !ACTIVATION_PARAMETER_OPERATIONS.includes(operation.operationId)) continue;
      const own = new Set((operation.parameters ?? []).filter((parameter) => parameter.in === 'query').map((parameter) => parameter.name));
      const clash = declared.find((parameter) => own.has(parameter.name as string));
      if (clash !== undefined) throw new Error(`${operation.operationId}: the activation parameter ${String(clash.name)} has the name of one of the route's own query keys`);
      operation.parameters = [...(operation.parameters ?? []), ...(declared as unknown as { name: string; in: string }[])];
    }
  }
  return document;
}
