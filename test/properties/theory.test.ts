import fc from 'fast-check';
import { beforeAll, describe, it } from 'vitest';
import { openApiDocument } from '../support/contract.js';
import { activationReference, nearValid, postJson, type CatalogueEntry } from './arbitraries.js';
import { usePropertyApp } from './harness.js';

const property = usePropertyApp();
let catalogue: CatalogueEntry[] = [];

beforeAll(async () => {
  const response = await property.send({ method: 'GET', path: '/v1/activations' });
  catalogue = (response.body as { activations: CatalogueEntry[] }).activations;
});

const variance = fc.oneof({ arbitrary: fc.double({ min: 0, max: 5, noNaN: true }), weight: 8 }, { arbitrary: fc.double({ min: 0, max: 1000, noNaN: true }), weight: 1 }, { arbitrary: fc.constantFrom(0, 1, 2, 1000), weight: 1 });

describe.runIf(openApiDocument.paths['/v1/theory/mean-field'])('POST /v1/theory/mean-field, over random and near-valid bodies', () => {
  it('never answers 5xx, answers every error as a documented problem, and keeps the prototype clean', async () => {
    const body = fc.record(
      {
        activation: activationReference(catalogue),
        sigmaW2: variance,
        sigmaB2: variance,
        depth: fc.integer({ min: 1, max: 60 }),
        initialLength: fc.oneof(fc.double({ min: 1e-6, max: 10, noNaN: true }), fc.constantFrom(1e6, 5e-324)),
        nodeCount: fc.integer({ min: 8, max: 64 }),
      },
      { requiredKeys: ['activation', 'sigmaW2'] },
    );
    await property.check('POST /v1/theory/mean-field', nearValid(body), (generated) => postJson('/v1/theory/mean-field', generated), { numRuns: 2000 });
  }, 120_000);
});

describe.runIf(openApiDocument.paths['/v1/theory/phase-diagram'])('POST /v1/theory/phase-diagram, over random and near-valid bodies', () => {
  it('never answers 5xx, answers every error as a documented problem, and keeps the prototype clean', async () => {
    // Small grids: the default (36 × 26) is left to the contract suite.
    const axis = fc.tuple(fc.double({ min: 0, max: 5, noNaN: true }), fc.double({ min: 0.01, max: 5, noNaN: true }), fc.integer({ min: 2, max: 4 })).map(([start, width, count]) => ({ start, stop: start + width, count }));
    const body = fc.record(
      { activation: activationReference(catalogue), sigmaW2: axis, sigmaB2: axis, nodeCount: fc.integer({ min: 8, max: 32 }) },
      { requiredKeys: ['activation', 'sigmaW2', 'sigmaB2'] },
    );
    const query = fc.oneof({ arbitrary: fc.constant(''), weight: 30 }, { arbitrary: fc.constantFrom('?format=svg', '?format=png&scale=0.5'), weight: 1 });
    await property.check('POST /v1/theory/phase-diagram', fc.tuple(query, nearValid(body)), ([search, generated]) => postJson(`/v1/theory/phase-diagram${search}`, generated), { numRuns: 1000 });
  }, 120_000);
});
