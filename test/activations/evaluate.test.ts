import { describe, expect, it } from 'vitest';
import { evaluateActivation, gridPoints, NonFiniteResultError, plainBatch, type EvaluationOptions } from '../../src/activations/evaluate.js';
import { resolveActivation } from '../../src/activations/resolve.js';

const everything: EvaluationOptions = { outputs: ['value', 'derivative', 'paramGradients'], mode: 'eval', seed: 7 };

describe('gridPoints', () => {
  it('spans start to stop exactly, evenly', () => {
    const points = gridPoints(-1, 1, 5);
    expect(Array.from(points)).toEqual([-1, -0.5, 0, 0.5, 1]);
  });

  it('ends exactly on stop even when the steps round', () => {
    const points = gridPoints(0.1, 0.7, 7);
    expect(points[6]).toBe(0.7);
    expect(points[0]).toBe(0.1);
  });

  it('cannot overflow between the largest finite ends', () => {
    const points = gridPoints(-Number.MAX_VALUE, Number.MAX_VALUE, 3);
    expect(Array.from(points)).toEqual([-Number.MAX_VALUE, 0, Number.MAX_VALUE]);
  });

  it('gives the one point of a one-point grid, and nothing for none', () => {
    expect(Array.from(gridPoints(2.5, 2.5, 1))).toEqual([2.5]);
    expect(gridPoints(0, 1, 0, plainBatch)).toEqual([]);
  });

  it('writes the same numbers into a plain array as into a Float64Array', () => {
    const typed = gridPoints(-7.3, 11.9, 1001);
    const plain = gridPoints(-7.3, 11.9, 1001, plainBatch);
    expect(Array.isArray(plain)).toBe(true);
    expect(plain).toEqual(Array.from(typed));
  });
});

describe('evaluateActivation', () => {
  const x = [-3, -0.5, 0, 0.5, 3];

  it('fills Float64Arrays by default and plain arrays when asked, bit for bit the same', () => {
    const prelu = resolveActivation('prelu', { alpha: 0.1 });
    const typed = evaluateActivation(prelu, x, everything);
    const plain = evaluateActivation(prelu, x, everything, plainBatch);
    expect(typed.value).toBeInstanceOf(Float64Array);
    expect(Array.isArray(plain.value)).toBe(true);
    expect(plain.value).toEqual(Array.from(typed.value ?? []));
    expect(plain.derivative).toEqual(Array.from(typed.derivative ?? []));
    expect(plain.paramGradients).toEqual({ alpha: Array.from(typed.paramGradients?.['alpha'] ?? []) });
    expect(plain.paramGradients?.['alpha']).toEqual([-3, -0.5, 0, 0, 0]);
  });

  it('computes only the outputs asked for', () => {
    const evaluation = evaluateActivation(resolveActivation('tanh'), x, { ...everything, outputs: ['derivative'] }, plainBatch);
    expect(Object.keys(evaluation)).toEqual(['derivative']);
  });

  it('draws RReLU slopes in train mode from the seed, the same either way', () => {
    const rrelu = resolveActivation('rrelu');
    const train: EvaluationOptions = { outputs: ['value'], mode: 'train', seed: 11 };
    const first = evaluateActivation(rrelu, [-1, -1, -1, -1], train, plainBatch).value;
    expect(evaluateActivation(rrelu, [-1, -1, -1, -1], train).value).toEqual(Float64Array.from(first ?? []));
    expect(new Set(first).size).toBeGreaterThan(1);
  });

  it('refuses a result beyond float64, naming the activation, the output and the index', () => {
    const steep = resolveActivation('leaky_relu', { negativeSlope: 1e10 });
    let thrown: unknown;
    try {
      evaluateActivation(steep, [1, -1e300], { ...everything, outputs: ['value'] }, plainBatch);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(NonFiniteResultError);
    expect(thrown).toMatchObject({ activationId: 'leaky_relu', output: 'value', index: 1 });
  });
});
