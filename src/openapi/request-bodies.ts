import { pruneComponents, type OpenApiDocument } from './tidy-components.js';

/**
 * Request bodies as named `components/requestBodies`, so that generated clients
 * leave a field with a default optional. A property with a `default` is not
 * required by JSON Schema, but openapi-typescript (by default,
 * `defaultNonNullable`) types it as always present, except in parameters and
 * request bodies: the one place its defaults respect is a schema under a
 * request body. So each operation's JSON body becomes
 * `$ref: '#/components/requestBodies/<Name>'`, its schema written out there,
 * and every component it reaches that has a defaulted field (a `Network`, a
 * `Layer`, an `Optimizer`) is written out in it too, titled with its name;
 * components without defaults (`Grid`, `ActivationReference`) stay shared
 * `$ref`s. The output components (the answers, which always carry the field)
 * keep their names and `required` lists.
 */

type Json = unknown;
type JsonObject = Record<string, Json>;

const SCHEMA_REF = '#/components/schemas/';
const BODY_REF = '#/components/requestBodies/';
const METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);

const isObject = (value: Json): value is JsonObject => value !== null && typeof value === 'object' && !Array.isArray(value);

const refName = (node: JsonObject): string | undefined =>
  typeof node.$ref === 'string' && node.$ref.startsWith(SCHEMA_REF) ? node.$ref.slice(SCHEMA_REF.length) : undefined;

/** Whether a schema has a property with a default, itself or through the components it references. */
function carriesDefaults(node: Json, schemas: Readonly<Record<string, Json>>, seen: Set<string>): boolean {
  if (Array.isArray(node)) return node.some((item) => carriesDefaults(item, schemas, seen));
  if (!isObject(node)) return false;
  const name = refName(node);
  if (name !== undefined) {
    if (seen.has(name)) return false;
    seen.add(name);
    return carriesDefaults(schemas[name], schemas, seen);
  }
  if (isObject(node.properties) && Object.values(node.properties).some((property) => isObject(property) && property.default !== undefined)) return true;
  return Object.values(node).some((value) => carriesDefaults(value, schemas, seen));
}

/** The schema with every reference to a component that carries defaults replaced by the component itself. */
function writeOut(node: Json, schemas: Readonly<Record<string, Json>>, withDefaults: ReadonlySet<string>, path: readonly string[]): Json {
  if (Array.isArray(node)) return node.map((item) => writeOut(item, schemas, withDefaults, path));
  if (!isObject(node)) return node;
  const name = refName(node);
  // A component within itself (a recursive schema) stays a reference.
  if (name !== undefined && withDefaults.has(name) && !path.includes(name)) {
    const siblings = Object.fromEntries(Object.entries(node).filter(([key]) => key !== '$ref'));
    const component = writeOut(schemas[name], schemas, withDefaults, [...path, name]) as JsonObject;
    return { title: name, ...component, ...siblings };
  }
  return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, writeOut(value, schemas, withDefaults, path)]));
}

export function nameRequestBodies<Document extends OpenApiDocument>(document: Document): Document {
  const schemas = (document.components?.schemas ?? {}) as Record<string, Json>;
  const withDefaults = new Set(Object.keys(schemas).filter((name) => carriesDefaults(schemas[name], schemas, new Set())));
  const requestBodies: Record<string, Json> = { ...(document.components?.requestBodies as Record<string, Json> | undefined) };

  for (const item of Object.values((document.paths ?? {}) as Record<string, Record<string, JsonObject>>)) {
    for (const [method, operation] of Object.entries(item)) {
      if (!METHODS.has(method) || !isObject(operation.requestBody)) continue;
      const content = operation.requestBody.content;
      const json = isObject(content) ? content['application/json'] : undefined;
      const name = isObject(json) && isObject(json.schema) ? refName(json.schema) : undefined;
      if (name === undefined) continue;
      const component = schemas[name];
      const body = {
        ...operation.requestBody,
        content: { ...(content as JsonObject), 'application/json': { ...(json as JsonObject), schema: { title: name, ...(writeOut(component, schemas, withDefaults, [name]) as JsonObject) } } },
      };
      const existing = requestBodies[name];
      if (existing !== undefined && JSON.stringify(existing) !== JSON.stringify(body)) throw new Error(`Two operations send different request bodies named ${name}.`);
      requestBodies[name] = body;
      operation.requestBody = { $ref: `${BODY_REF}${name}` };
    }
  }

  const sorted = Object.fromEntries(Object.entries(requestBodies).sort(([a], [b]) => a.localeCompare(b)));
  return pruneComponents({ ...document, components: { ...document.components, requestBodies: sorted } });
}
