import fc from 'fast-check';
import { beforeAll, describe, it } from 'vitest';
import { openApiDocument } from '../support/contract.js';
import { activationReference, finiteDouble, nearValid, postJson, type CatalogueEntry } from './arbitraries.js';
import { usePropertyApp } from './harness.js';

/**
 * Simulations over tiny random networks (depth ≤ 4, width ≤ 6, batch ≤ 6)
 * under SIMULATION_MAX_GFLOP = 0.002, so that what a mutation blows up is
 * refused by the cost estimate (422) instead of run.
 */

const property = usePropertyApp();

let catalogue: CatalogueEntry[] = [];

beforeAll(async () => {
  const response = await property.send({ method: 'GET', path: '/v1/activations' });
  catalogue = (response.body as { activations: CatalogueEntry[] }).activations;
});

const schemes = (openApiDocument.components?.schemas?.['InitScheme'] as { enum: string[] }).enum;
const init = fc.oneof(
  fc.constantFrom(...schemes),
  fc.record(
    { scheme: fc.constantFrom(...schemes), gain: fc.double({ min: 0.01, max: 4, noNaN: true }), std: fc.double({ min: 0.001, max: 2, noNaN: true }), bound: fc.double({ min: 0.001, max: 2, noNaN: true }) },
    { requiredKeys: ['scheme'] },
  ),
);
/** Mostly moderate numbers (networks that run), now and then any finite double (networks that overflow). */
const entry = fc.oneof({ arbitrary: fc.double({ min: -3, max: 3, noNaN: true }), weight: 12 }, { arbitrary: finiteDouble, weight: 1 });
const matrix = (rows: number, columns: number) => fc.array(fc.array(entry, { minLength: columns, maxLength: columns }), { minLength: rows, maxLength: rows });
const seed = fc.oneof(fc.nat(), fc.constant(2 ** 32 - 1));
const precision = fc.constantFrom('float32', 'float64');
/** Now and then a chart instead of JSON (the renderers see generated results too). */
const pictureQuery = fc.oneof({ arbitrary: fc.constant(''), weight: 30 }, { arbitrary: fc.constantFrom('?format=svg', '?format=svg&chart=statistics', '?format=png&scale=0.5', '?format=json'), weight: 1 });

function shorthandNetwork() {
  return fc.record(
    {
      depth: fc.integer({ min: 1, max: 4 }),
      width: fc.integer({ min: 1, max: 6 }),
      activation: activationReference(catalogue),
      inputSize: fc.integer({ min: 1, max: 6 }),
      init,
      bias: fc.boolean(),
      batchNorm: fc.boolean(),
      residual: fc.boolean(),
    },
    { requiredKeys: ['depth', 'width', 'activation'] },
  );
}

/** Explicit layers, with weights of the right shape (mostly). */
function explicitNetwork() {
  return fc
    .tuple(fc.integer({ min: 1, max: 4 }), fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 3 }))
    .chain(([inputSize, widths]) =>
      fc.record({
        inputSize: fc.constant(inputSize),
        layers: fc.tuple(
          ...widths.map((width, index) =>
            fc.record(
              {
                width: fc.constant(width),
                activation: activationReference(catalogue),
                init,
                bias: fc.boolean(),
                batchNorm: fc.boolean(),
                residual: fc.boolean(),
                weights: matrix(index === 0 ? inputSize : (widths[index - 1] as number), width),
                biases: fc.array(entry, { minLength: width, maxLength: width }),
              },
              { requiredKeys: ['width', 'activation'] },
            ),
          ),
        ),
      }),
    )
    .map((network) => ({
      ...network,
      // Mostly consistent layers: biases only with a bias, residual only where the width is kept.
      layers: network.layers.map((layer, index) => {
        const { biases, residual, ...rest } = layer;
        const inputWidth = index === 0 ? network.inputSize : network.layers[index - 1]?.width;
        return {
          ...rest,
          ...(biases !== undefined && layer.bias !== false ? { biases } : {}),
          ...(residual !== undefined ? { residual: residual && inputWidth === layer.width } : {}),
        };
      }),
    }));
}

describe('POST /v1/simulations/feedforward, over random and near-valid bodies', () => {
  it('never answers 5xx, answers every error as a documented problem, and keeps the prototype clean', async () => {
    const body = fc.oneof(shorthandNetwork(), explicitNetwork()).chain((network) => {
      const inputSize = 'layers' in network ? network.inputSize : (network.inputSize ?? network.width);
      return fc.record(
        {
          network: fc.constant(network),
          input: fc.oneof(
            fc.record({ batchSize: fc.integer({ min: 1, max: 6 }), distribution: fc.constantFrom('normal', 'uniform'), scale: fc.double({ min: 0.01, max: 10, noNaN: true }) }, { requiredKeys: [] }),
            fc.integer({ min: 1, max: 4 }).chain((rows) => fc.record({ values: matrix(rows, inputSize) })),
          ),
          loss: fc.record({ type: fc.constantFrom('mse', 'sum') }, { requiredKeys: [] }),
          trials: fc.integer({ min: 1, max: 3 }),
          seed,
          precision,
        },
        { requiredKeys: ['network'] },
      );
    });
    await property.check('POST /v1/simulations/feedforward', fc.tuple(pictureQuery, nearValid(body)), ([query, generated]) => postJson(`/v1/simulations/feedforward${query}`, generated), { numRuns: 2500 });
  }, 120_000);
});

describe('POST /v1/simulations/recurrent, over random and near-valid bodies', () => {
  it('never answers 5xx, answers every error as a documented problem, and keeps the prototype clean', async () => {
    const body = fc.record(
      {
        cell: fc.constantFrom('rnn', 'lstm'),
        inputSize: fc.integer({ min: 1, max: 5 }),
        hiddenSize: fc.integer({ min: 1, max: 6 }),
        steps: fc.integer({ min: 1, max: 6 }),
        activation: activationReference(catalogue),
        recurrentInit: init,
        inputInit: init,
        forgetBias: fc.double({ min: -5, max: 5, noNaN: true }),
        batchSize: fc.integer({ min: 1, max: 4 }),
        seed,
        precision,
      },
      { requiredKeys: ['cell', 'inputSize', 'hiddenSize', 'steps'] },
    );
    await property.check('POST /v1/simulations/recurrent', fc.tuple(pictureQuery, nearValid(body)), ([query, generated]) => postJson(`/v1/simulations/recurrent${query}`, generated), { numRuns: 2000 });
  }, 120_000);
});

describe.runIf(openApiDocument.paths['/v1/simulations/jacobian'])('POST /v1/simulations/jacobian, over random and near-valid bodies', () => {
  it('never answers 5xx, answers every error as a documented problem, and keeps the prototype clean', async () => {
    const body = fc.oneof(shorthandNetwork(), explicitNetwork()).chain((network) => {
      const inputSize = 'layers' in network ? network.inputSize : (network.inputSize ?? network.width);
      return fc.record(
        {
          network: fc.constant(network),
          biasStd: fc.double({ min: 0, max: 3, noNaN: true }),
          input: fc.oneof(fc.record({ variance: fc.double({ min: 0.01, max: 10, noNaN: true }) }), fc.record({ values: fc.array(entry, { minLength: inputSize, maxLength: inputSize }) })),
          histogram: fc.record({ bins: fc.integer({ min: 1, max: 50 }), scale: fc.constantFrom('log10', 'linear') }, { requiredKeys: [] }),
          everyLayer: fc.boolean(),
          precision,
          seed,
        },
        { requiredKeys: ['network'] },
      );
    });
    await property.check('POST /v1/simulations/jacobian', fc.tuple(pictureQuery, nearValid(body)), ([query, generated]) => postJson(`/v1/simulations/jacobian${query}`, generated), { numRuns: 2000 });
  }, 120_000);
});
