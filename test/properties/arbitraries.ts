import fc from 'fast-check';
import type { ContractRequest } from '../support/contract-client.js';

/**
 * Generators of hostile and near-valid JSON: values of every wrong kind,
 * and valid bodies with one thing changed (a field replaced, removed,
 * wrapped, or an extra key, including `__proto__` and `constructor`).
 */

/** JSON text spliced in as it is: what JSON.stringify cannot produce (1e400, -0, 10 000 levels of nesting, a literal __proto__ key). */
export class RawJson {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text.length > 80 ? `RawJson(${this.text.slice(0, 60)}…, ${this.text.length} chars)` : `RawJson(${this.text})`;
  }
  /** How fast-check prints it in a counterexample. */
  [fc.toStringMethod](): string {
    return this.toString();
  }
}

/** Serialises a generated value, splicing RawJson in place. */
export function serialise(value: unknown): string {
  const raws: string[] = [];
  const text = JSON.stringify(value, (_key, item: unknown) => {
    if (item instanceof RawJson) {
      raws.push(item.text);
      return `\u0000raw${raws.length - 1}\u0000`;
    }
    return item;
  });
  return (text ?? 'null').replace(/"\\u0000raw(\d+)\\u0000"/g, (_match, index: string) => raws[Number(index)] ?? 'null');
}

/** A POST of a generated body as application/json. */
export const postJson = (path: string, body: unknown): ContractRequest => ({
  method: 'POST',
  path,
  raw: serialise(body),
  headers: { 'content-type': 'application/json' },
});

const deep = (levels: number, open: string, close: string, inner = '1'): RawJson => new RawJson(open.repeat(levels) + inner + close.repeat(levels));

/** Keys that name something on Object.prototype, or that a careless merge would follow into it. */
export const dangerousKey = fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__', 'isPrototypeOf');

const rawHostile = fc.oneof(
  fc.constantFrom(
    new RawJson('1e400'),
    new RawJson('-1e400'),
    new RawJson('-0'),
    new RawJson('1E-400'),
    new RawJson('123456789012345678901234567890'),
    new RawJson('0.1e-999999'),
    new RawJson('{"__proto__":{"polluted":"yes"}}'),
    new RawJson('{"constructor":{"prototype":{"polluted":"yes"}}}'),
    new RawJson('{"a":1,"a":2}'),
    new RawJson('"\\ud800"'),
    new RawJson('"\\u0000"'),
  ),
  fc.integer({ min: 50, max: 20_000 }).map((levels) => deep(levels, '[', ']')),
  fc.integer({ min: 50, max: 5_000 }).map((levels) => deep(levels, '{"a":', '}')),
);

const nanIsh = fc.constantFrom('NaN', 'Infinity', '-Infinity', 'inf', '1e309', '0x10', ' 1', '1 ', '1_000', '٣', '１', '', 'null', 'true', '[]', '{}', '-0', '+1');

const extremeNumber = fc.constantFrom(
  0,
  -0,
  -1,
  1,
  0.5,
  1.5,
  -1.5,
  2,
  7,
  1e308,
  -1e308,
  Number.MAX_VALUE,
  -Number.MAX_VALUE,
  5e-324,
  -5e-324,
  2 ** 31,
  -(2 ** 31),
  2 ** 32,
  Number.MAX_SAFE_INTEGER,
  Number.MAX_SAFE_INTEGER + 2,
  -Number.MAX_SAFE_INTEGER,
  1e21,
  1e100,
  8192,
  8193,
  10_000,
  10_001,
  1_000_000,
);

/** A value of some kind a field did not ask for. */
export const junk: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: extremeNumber, weight: 4 },
  { arbitrary: nanIsh, weight: 2 },
  { arbitrary: fc.constantFrom(null, true, false, {}, [], [[]], [null], [{}]), weight: 3 },
  { arbitrary: fc.double(), weight: 2 },
  { arbitrary: fc.integer(), weight: 1 },
  { arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }), weight: 2 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 10 }), weight: 1 },
  { arbitrary: fc.jsonValue({ maxDepth: 3 }), weight: 2 },
  { arbitrary: rawHostile, weight: 3 },
  { arbitrary: fc.tuple(fc.integer({ min: 0, max: 3000 }), fc.constantFrom<unknown>(0, 1.5, 'x', null, -1e308)).map(([length, item]) => Array.from({ length }, () => item)), weight: 1 },
  { arbitrary: fc.integer({ min: 1, max: 500 }).map((count) => Object.fromEntries(Array.from({ length: count }, (_, index) => [`k${index}`, index]))), weight: 1 },
);

type Path = (string | number)[];

function pathsOf(value: unknown, prefix: Path = [], into: Path[] = [], depth = 0): Path[] {
  into.push(prefix);
  if (depth >= 6 || value === null || typeof value !== 'object' || value instanceof RawJson) return into;
  const entries = Array.isArray(value) ? value.slice(0, 8).map((item, index) => [index, item] as const) : Object.entries(value);
  for (const [key, item] of entries) pathsOf(item, [...prefix, key], into, depth + 1);
  return into;
}

/** A deep copy (RawJson kept as it is). */
function copy<T>(value: T): T {
  if (value === null || typeof value !== 'object' || value instanceof RawJson) return value;
  if (Array.isArray(value)) return value.map(copy) as T;
  const result: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) defineOwn(result, key, copy(item));
  return result as T;
}

/** Sets an own, enumerable key, even `__proto__` (plain assignment would change the prototype instead). */
function defineOwn(target: Record<string | number, unknown>, key: string | number, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

export type Mutation =
  | { kind: 'replace'; at: number; value: unknown }
  | { kind: 'remove'; at: number }
  | { kind: 'addKey'; at: number; key: string; value: unknown }
  | { kind: 'wrap'; at: number; inArray: boolean }
  | { kind: 'whole'; value: unknown };

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), value: junk }), weight: 6 },
  { arbitrary: fc.record({ kind: fc.constant('remove' as const), at: fc.nat() }), weight: 2 },
  {
    arbitrary: fc.record({
      kind: fc.constant('addKey' as const),
      at: fc.nat(),
      key: fc.oneof(dangerousKey, fc.string({ unit: 'grapheme', maxLength: 12 })),
      value: fc.oneof(junk, fc.constant({ polluted: 'yes' }), fc.constant({ prototype: { polluted: 'yes' } })),
    }),
    weight: 3,
  },
  { arbitrary: fc.record({ kind: fc.constant('wrap' as const), at: fc.nat(), inArray: fc.boolean() }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('whole' as const), value: junk }), weight: 1 },
);

/** `body` with one mutation applied at one of its paths (chosen by `at` modulo the number of paths). */
export function applyMutation(body: unknown, change: Mutation): unknown {
  if (change.kind === 'whole') return change.value;
  const result = copy(body);
  const paths = pathsOf(result);
  const path = paths[change.at % paths.length] ?? [];
  if (path.length === 0) {
    if (change.kind === 'replace') return change.value;
    if (change.kind === 'wrap') return change.inArray ? [result] : { value: result };
    if (change.kind === 'remove') return undefined;
  }
  let parent = result as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  const last = path[path.length - 1];
  const target = last === undefined ? result : parent[last];
  switch (change.kind) {
    case 'replace':
      if (last !== undefined) defineOwn(parent, last, change.value);
      break;
    case 'remove':
      if (last !== undefined) {
        if (Array.isArray(parent)) parent.splice(Number(last), 1);
        else Reflect.deleteProperty(parent, last);
      }
      break;
    case 'wrap':
      if (last !== undefined) defineOwn(parent, last, change.inArray ? [target] : { value: target });
      break;
    case 'addKey': {
      // Onto the object at the path, or the nearest object above it.
      const objects = [result, ...path.map((_, index) => path.slice(0, index + 1).reduce<unknown>((node, key) => (node as Record<string | number, unknown>)[key], result))].filter(
        (node): node is Record<string, unknown> => node !== null && typeof node === 'object' && !Array.isArray(node) && !(node instanceof RawJson),
      );
      const holder = objects[objects.length - 1];
      if (holder !== undefined) defineOwn(holder, change.key, change.value);
      else return { [change.key]: change.value, value: result };
      break;
    }
  }
  return result;
}

/** Valid bodies, and valid bodies with one thing wrong: about a quarter of each run is left valid. */
export function nearValid<Body>(valid: fc.Arbitrary<Body>): fc.Arbitrary<unknown> {
  return fc.oneof(
    { arbitrary: valid as fc.Arbitrary<unknown>, weight: 1 },
    { arbitrary: fc.tuple(valid, mutation).map(([body, change]) => applyMutation(body, change)), weight: 3 },
  );
}

/** Finite doubles of every magnitude, with the interesting ones often. */
export const finiteDouble = fc.oneof(
  { arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true, min: -10, max: 10 }), weight: 4 },
  { arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }), weight: 2 },
  { arbitrary: fc.constantFrom(0, -0, 1, -1, 5e-324, -5e-324, 1e308, -1e308, Number.MAX_VALUE, -Number.MAX_VALUE, 6, -3, 3, 20), weight: 1 },
);

/** What the property tests need of a catalogue entry (read from GET /v1/activations, not from src/). */
export interface CatalogueEntry {
  id: string;
  aliases: string[];
  parameters: { name: string; type: 'number' | 'string'; default: number | string; minimum?: number; exclusiveMinimum?: number; maximum?: number; enum?: string[] }[];
}

function parameterValue(parameter: CatalogueEntry['parameters'][number]): fc.Arbitrary<number | string> {
  if (parameter.type === 'string') return fc.constantFrom(...(parameter.enum ?? [String(parameter.default)]));
  const low = parameter.minimum ?? parameter.exclusiveMinimum ?? -10;
  const values = fc.double({ noNaN: true, min: Math.max(low, -10), max: Math.min(parameter.maximum ?? 10, 10) }).filter((value) => parameter.exclusiveMinimum === undefined || value > parameter.exclusiveMinimum);
  return fc.oneof(values, fc.constant(parameter.default));
}

/** Valid parameters of one entry: a random subset, each within its documented bounds. */
export function parametersOf(entry: CatalogueEntry): fc.Arbitrary<Record<string, number | string>> {
  if (entry.parameters.length === 0) return fc.constant({});
  const record: Record<string, fc.Arbitrary<number | string>> = Object.fromEntries(entry.parameters.map((parameter) => [parameter.name, parameterValue(parameter)]));
  return fc.record(record, { requiredKeys: [] }).map((params) => Object.fromEntries(Object.entries(params).filter((pair): pair is [string, number | string] => pair[1] !== undefined)));
}

/** An id (or alias) of the catalogue, with valid parameters when it has any. */
export function activationReference(catalogue: readonly CatalogueEntry[]): fc.Arbitrary<string | { id: string; params?: Record<string, number | string> }> {
  return fc.constantFrom(...catalogue).chain((entry) =>
    fc.oneof(
      fc.constantFrom(entry.id, ...entry.aliases),
      fc.record({ id: fc.constant(entry.id), params: parametersOf(entry) }, { requiredKeys: ['id'] }),
    ),
  );
}
