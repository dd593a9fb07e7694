import fc from 'fast-check';
import { beforeAll, describe, it } from 'vitest';
import type { ContractRequest } from '../support/contract-client.js';
import { activationReference, dangerousKey, finiteDouble, junk, nearValid, parametersOf, postJson, serialise, type CatalogueEntry } from './arbitraries.js';
import { usePropertyApp } from './harness.js';

/** Charts over random and near-valid queries and bodies; few points per curve, since every valid one is rendered. */

const property = usePropertyApp();
let catalogue: CatalogueEntry[] = [];

beforeAll(async () => {
  const response = await property.send({ method: 'GET', path: '/v1/activations' });
  catalogue = (response.body as { activations: CatalogueEntry[] }).activations;
});

/** Titles: any text, markup, the length limit, and the names of Object.prototype members (once a 500 from Vega). */
const title = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 40 }), dangerousKey, fc.constantFrom('<script>alert(1)</script>', ']]><x/>', '&amp;', '"quoted" \'single\'', '\u202Eevil', 'x'.repeat(200), 'x'.repeat(201)));
const bound = fc.oneof({ arbitrary: fc.double({ min: -50, max: 50, noNaN: true }), weight: 6 }, { arbitrary: finiteDouble, weight: 1 });
/** start < stop mostly; equal or reversed now and then. */
const range = fc.oneof(
  { arbitrary: fc.tuple(bound, bound).filter(([a, b]) => a !== b).map(([a, b]) => ({ start: Math.min(a, b), stop: Math.max(a, b) })), weight: 8 },
  { arbitrary: fc.tuple(bound, bound).map(([start, stop]) => ({ start, stop })), weight: 1 },
);
const size = fc.integer({ min: 80, max: 300 });

/** A chart answered for a title must not carry markup from it. */
const svgInvariant = (request: ContractRequest, body: unknown): string | undefined =>
  typeof body === 'string' && /<script/i.test(body) ? `${request.path}: the SVG carries a <script> element` : undefined;


const optionKeys = new Set(['start', 'stop', 'points', 'curves', 'format', 'width', 'height', 'title', 'scale']);

describe('GET /v1/activations/{id}/plot, over random and near-valid queries', () => {
  it('never answers 5xx, answers every error as a documented problem, and draws no markup from the query', async () => {
    const query = fc.constantFrom(...catalogue).chain((entry) =>
      fc.tuple(
        fc.constantFrom(entry.id, ...entry.aliases),
        fc.tuple(range, fc.record(
          {
            points: fc.integer({ min: 2, max: 20 }),
            curves: fc.subarray(['value', 'derivative'], { minLength: 1 }).map((curves) => curves.join(',')),
            width: size,
            height: size,
            title,
            format: fc.oneof({ arbitrary: fc.constant('svg'), weight: 20 }, { arbitrary: fc.constant('png'), weight: 1 }),
            scale: fc.double({ min: 0.25, max: 1, noNaN: true }),
          },
          { requiredKeys: [] },
        )).map(([{ start, stop }, options]) => ({ start, stop, ...options })),
        parametersOf(entry),
        // One change to the query: none, a value replaced, a key added (or repeated), or a key removed.
        fc.oneof(
          { arbitrary: fc.constant({ kind: 'none' as const }), weight: 2 },
          { arbitrary: fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), value: junk }), weight: 3 },
          { arbitrary: fc.record({ kind: fc.constant('add' as const), key: fc.oneof(dangerousKey, fc.string({ maxLength: 8 }), fc.constantFrom(...optionKeys)), value: junk }), weight: 2 },
          { arbitrary: fc.record({ kind: fc.constant('remove' as const), at: fc.nat() }), weight: 1 },
        ),
      ),
    );
    const toRequest = ([id, options, params, change]: [string, Record<string, unknown>, Record<string, unknown>, { kind: string; at?: number; key?: string; value?: unknown }]): ContractRequest => {
      const entries: [string, string][] = Object.entries({ ...options, ...params }).map(([key, value]) => [key, String(value)]);
      const at = entries.length === 0 ? 0 : (change.at ?? 0) % entries.length;
      const text = (value: unknown): string => (typeof value === 'string' ? value : serialise(value));
      if (change.kind === 'replace' && entries[at]) entries[at] = [entries[at][0], text(change.value)];
      if (change.kind === 'add' && change.key !== undefined) entries.push([change.key, text(change.value)]);
      if (change.kind === 'remove') entries.splice(at, 1);
      return { method: 'GET', path: `/v1/activations/${id}/plot?${new URLSearchParams(entries).toString()}` };
    };
    await property.check('GET /v1/activations/{id}/plot', query, toRequest, {
      numRuns: 600,
      invariant: (request, response) => svgInvariant(request, response.body),
    });
  }, 120_000);
});

describe('POST /v1/plots/activations, over random and near-valid bodies', () => {
  it('never answers 5xx, answers every error as a documented problem, and keeps the prototype clean', async () => {
    const body = fc.tuple(range, fc.record(
      {
        activations: fc.array(activationReference(catalogue), { minLength: 1, maxLength: 4 }),
        layout: fc.constantFrom('panels', 'overlay'),
        curves: fc.subarray(['value', 'derivative'], { minLength: 1 }),
        points: fc.integer({ min: 2, max: 20 }),
        title,
        width: size,
        height: size,
      },
      { requiredKeys: ['activations'] },
    )).map(([{ start, stop }, rest]) => ({ ...rest, start, stop }));
    const query = fc.oneof({ arbitrary: fc.constant(''), weight: 20 }, { arbitrary: fc.constantFrom('?format=png&scale=0.5', '?format=svg', '?format=gif'), weight: 1 });
    await property.check('POST /v1/plots/activations', fc.tuple(query, nearValid(body)), ([search, generated]) => postJson(`/v1/plots/activations${search}`, generated), {
      numRuns: 600,
      invariant: (request, response) => svgInvariant(request, response.body),
    });
  }, 120_000);
});
