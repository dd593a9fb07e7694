/**
 * fastify-type-provider-zod emits every registered schema twice, an input
 * variant ("GridInput") and an output variant ("Grid"), whether a route uses
 * it or not. This keeps only the components some operation reaches, and gives
 * an input variant the plain name when its output twin is not kept or is
 * identical to it.
 */

type Json = unknown;

export interface OpenApiDocument {
  paths?: unknown;
  components?: { schemas?: unknown; requestBodies?: unknown };
}

const SCHEMA_REF = '#/components/schemas/';

function collectRefs(node: Json, into: Set<string>): void {
  if (Array.isArray(node)) {
    for (const item of node) collectRefs(item, into);
  } else if (node !== null && typeof node === 'object') {
    for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
      if (key === '$ref' && typeof value === 'string' && value.startsWith(SCHEMA_REF)) into.add(value.slice(SCHEMA_REF.length));
      else collectRefs(value, into);
    }
  }
}

function renameRefs(node: Json, renames: ReadonlyMap<string, string>): Json {
  if (Array.isArray(node)) return node.map((item) => renameRefs(item, renames));
  if (node !== null && typeof node === 'object') {
    return Object.fromEntries(
      Object.entries(node as Record<string, unknown>).map(([key, value]) => {
        if (key === '$ref' && typeof value === 'string' && value.startsWith(SCHEMA_REF)) {
          const name = value.slice(SCHEMA_REF.length);
          return [key, SCHEMA_REF + (renames.get(name) ?? name)];
        }
        return [key, renameRefs(value, renames)];
      }),
    );
  }
  return node;
}

/** The schema components some operation reaches (through its own schemas or the request bodies it names). */
function reachableComponents(document: OpenApiDocument, schemas: Record<string, Json>): Set<string> {
  const reachable = new Set<string>();
  const pending: Json[] = [document.paths, document.components?.requestBodies];
  while (pending.length > 0) {
    const found = new Set<string>();
    collectRefs(pending.pop(), found);
    for (const name of found) {
      if (!reachable.has(name) && schemas[name] !== undefined) {
        reachable.add(name);
        pending.push(schemas[name]);
      }
    }
  }
  return reachable;
}

/** The document without the schema components no operation reaches. */
export function pruneComponents<Document extends OpenApiDocument>(document: Document): Document {
  const schemas = document.components?.schemas as Record<string, Json> | undefined;
  if (schemas === undefined) return document;
  const reachable = reachableComponents(document, schemas);
  const kept = Object.fromEntries(Object.entries(schemas).filter(([name]) => reachable.has(name)));
  return { ...document, components: { ...document.components, schemas: kept } };
}

export function tidyComponents<Document extends OpenApiDocument>(document: Document): Document {
  const schemas = document.components?.schemas as Record<string, Json> | undefined;
  if (schemas === undefined) return document;
  const reachable = reachableComponents(document, schemas);

  const renames = new Map<string, string>();
  for (const name of reachable) {
    const plain = name.replace(/Input$/, '');
    const identicalTwin = reachable.has(plain) && JSON.stringify(schemas[plain]) === JSON.stringify(schemas[name]);
    if (plain !== name && (!reachable.has(plain) || identicalTwin)) renames.set(name, plain);
  }

  const kept: Record<string, Json> = {};
  for (const name of Object.keys(schemas).sort()) {
    const schema = schemas[name];
    if (reachable.has(name) && schema !== undefined && !kept[renames.get(name) ?? name]) {
      kept[renames.get(name) ?? name] = renameRefs(schema, renames);
    }
  }
  const components = { ...document.components, schemas: kept };
  if (components.requestBodies !== undefined) components.requestBodies = renameRefs(components.requestBodies, renames);
  return { ...document, paths: renameRefs(document.paths, renames), components };
}
