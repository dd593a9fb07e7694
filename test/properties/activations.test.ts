import fc from 'fast-check';
import { beforeAll, describe, it } from 'vitest';
import { openApiDocument } from '../support/contract.js';
import { activationReference, dangerousKey, finiteDouble, junk, nearValid, parametersOf, postJson, serialise, type CatalogueEntry } from './arbitraries.js';
import { usePropertyApp } from './harness.js';

const property = usePropertyApp();
let catalogue: CatalogueEntry[] = [];

beforeAll(async () => {
  const response = await property.send({ method: 'GET', path: '/v1/activations' });
  catalogue = (response.body as { activations: CatalogueEntry[] }).activations;
});

/** x or grid, sometimes at the MAX_ELEMENTS (2000) boundary. */
const inputs = fc.oneof(
  { arbitrary: fc.record({ x: fc.array(finiteDouble, { minLength: 1, maxLength: 40 }) }), weight: 6 },
  { arbitrary: fc.record({ x: fc.integer({ min: 1900, max: 2100 }).map((count) => Array.from({ length: count }, (_, index) => index / 7 - 100)) }), weight: 1 },
  { arbitrary: fc.record({ grid: fc.record({ start: finiteDouble, stop: finiteDouble, count: fc.integer({ min: 1, max: 60 }) }) }), weight: 4 },
  { arbitrary: fc.record({ grid: fc.record({ start: fc.constant(-5), stop: fc.constant(5), count: fc.integer({ min: 1990, max: 2010 }) }) }), weight: 1 },
);

const options = fc.record(
  {
    mode: fc.constantFrom('eval', 'train'),
    seed: fc.oneof(fc.nat(), fc.constant(2 ** 32 - 1)),
    outputs: fc.subarray(['value', 'derivative', 'paramGradients'], { minLength: 1 }),
  },
  { requiredKeys: [] },
);

/**
 * `.` and `..` (also as %2E) are dot-segments: URL parsers, the test client's included, remove them
 * (RFC 3986 §5.2.4, WHATWG URL), so no such id reaches the service as one. They are not generated.
 */
const notDotSegment = (text: string): boolean => text !== '.' && text !== '..';

/** An id from the catalogue (or an alias), or now and then something that is not one. */
const pathId = (entry: CatalogueEntry) =>
  fc.oneof(
    { arbitrary: fc.constantFrom(entry.id, ...entry.aliases), weight: 12 },
    { arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }).filter(notDotSegment).map(encodeURIComponent), weight: 1 },
    { arbitrary: fc.constantFrom('%E0%A4%A', '%', '%00', 'a'.repeat(101), '__proto__', 'constructor'), weight: 1 },
  );

describe('POST /v1/activations/{id}/evaluate, over random and near-valid bodies', () => {
  it('never answers 5xx, answers every error as a documented problem, and keeps the prototype clean', async () => {
    const request = fc
      .constantFrom(...catalogue)
      .chain((entry) => fc.tuple(pathId(entry), nearValid(fc.tuple(inputs, parametersOf(entry), options).map(([input, params, rest]) => ({ ...input, params, ...rest })))));
    await property.check('POST /v1/activations/{id}/evaluate', request, ([id, body]) => postJson(`/v1/activations/${id}/evaluate`, body), { numRuns: 4000 });
  }, 120_000);
});

describe('POST /v1/evaluate, over random and near-valid bodies', () => {
  it('never answers 5xx, answers every error as a documented problem, and keeps the prototype clean', async () => {
    const body = fc
      .tuple(inputs, fc.array(activationReference(catalogue), { minLength: 1, maxLength: 6 }), options)
      .map(([input, activations, rest]) => ({ ...input, activations, ...rest }));
    await property.check('POST /v1/evaluate', nearValid(body), (generated) => postJson('/v1/evaluate', generated), { numRuns: 3000 });
  }, 120_000);
});

describe('GET /v1/activations/{id}, over random ids', () => {
  it('answers a documented descriptor or a 404 problem', async () => {
    const id = fc.oneof(
      fc.constantFrom(...catalogue.flatMap((entry) => [entry.id, ...entry.aliases])),
      fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }).filter(notDotSegment).map(encodeURIComponent),
      fc.string({ unit: 'binary-ascii', minLength: 1, maxLength: 30 }).filter(notDotSegment).map(encodeURIComponent),
      fc.constantFrom('__proto__', 'constructor', 'hasOwnProperty', 'prototype', '%00', '%E0%A4%A', 'a'.repeat(100), 'a'.repeat(101)),
    );
    await property.check('GET /v1/activations/{id}', id, (generated) => ({ method: 'GET', path: `/v1/activations/${generated}` }), { numRuns: 2000 });
  }, 120_000);
});

describe.runIf(openApiDocument.paths['/v1/activations/{id}/evaluate/binary'])('POST /v1/activations/{id}/evaluate/binary, over random bytes and queries', () => {
  it('never answers 5xx, answers every error as a documented problem, and lays out what it answers as its headers say', async () => {
    const float64s = fc.array(fc.oneof(finiteDouble, fc.double()), { maxLength: 40 }).map((values) => Buffer.from(new Float64Array(values).buffer));
    const body = fc.oneof(
      { arbitrary: float64s, weight: 8 },
      { arbitrary: fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes)), weight: 2 },
      { arbitrary: fc.integer({ min: 1990, max: 2010 }).map((count) => Buffer.alloc(count * 8)), weight: 1 },
    );
    const contentType = fc.oneof(
      { arbitrary: fc.constant('application/octet-stream'), weight: 12 },
      { arbitrary: fc.constantFrom('application/json', 'text/plain', 'application/octet-stream; charset=binary', 'application/x-www-form-urlencoded', 'image/png'), weight: 1 },
    );
    const query = fc.constantFrom(...catalogue).chain((entry) =>
      fc.tuple(
        fc.constantFrom(entry.id, ...entry.aliases),
        fc.record(
          { outputs: fc.subarray(['value', 'derivative', 'paramGradients'], { minLength: 1 }).map((outputs) => outputs.join(',')), mode: fc.constantFrom('eval', 'train'), seed: fc.nat() },
          { requiredKeys: [] },
        ),
        parametersOf(entry),
        fc.option(fc.tuple(fc.oneof(dangerousKey, fc.constantFrom('outputs', 'mode', 'seed'), fc.string({ maxLength: 6 })), junk), { freq: 4 }),
      ),
    );
    const request = fc.tuple(query, body, contentType).map(([[id, options, params, extra], raw, type]) => {
      const entries: [string, string][] = Object.entries({ ...options, ...params }).map(([key, value]) => [key, String(value)]);
      if (extra !== null) entries.push([extra[0], typeof extra[1] === 'string' ? extra[1] : serialise(extra[1])]);
      return { method: 'POST', path: `/v1/activations/${id}/evaluate/binary?${new URLSearchParams(entries).toString()}`, raw, headers: { 'content-type': type } };
    });
    await property.check('POST /v1/activations/{id}/evaluate/binary', request, (generated) => generated, {
      numRuns: 2000,
      invariant: (sent, response) => {
        if (response.status !== 200) return undefined;
        const count = Number(response.headers['x-count']);
        const blocks = String(response.headers['x-outputs'] ?? '').split(',').filter((name) => name !== '').length;
        const inputs = Buffer.isBuffer(sent.raw) ? sent.raw.length / 8 : Number.NaN;
        return count === inputs && response.payload.length === count * blocks * 8 ? undefined : `x-count ${count} × ${blocks} blocks ≠ ${response.payload.length} bytes for ${inputs} inputs`;
      },
    });
  }, 120_000);
});
