import { describe, expect, it } from 'vitest';
import { catalogue } from '../../src/activations/catalogue.js';
import { gridPoints } from '../../src/activations/evaluate.js';
import { resolveActivation } from '../../src/activations/resolve.js';
import { findKinks } from '../../src/plots/kinks.js';

const grid = gridPoints(-7, 7, 401);

describe('findKinks', () => {
  it.each(catalogue.map((descriptor) => [descriptor.id, descriptor] as const))(
    'finds exactly the catalogue’s kinks of %s at the default parameters, with the derivative it returns there',
    (id, descriptor) => {
      const kinks = findKinks(resolveActivation(id), grid);
      expect(kinks.map(({ x, derivative }) => ({ x, derivative: derivative.at }))).toEqual(
        descriptor.kinks.map(({ x, derivative }) => ({ x, derivative })),
      );
    },
  );

  it('gives relu’s one-sided limits at 0: derivative 0 from the left and at 0, 1 from the right', () => {
    expect(findKinks(resolveActivation('relu'), grid)).toEqual([
      { x: 0, value: { left: 0, at: 0, right: Number.MIN_VALUE }, derivative: { left: 0, at: 0, right: 1 } },
    ]);
  });

  it('follows kinks that move with the parameters', () => {
    const kinks = findKinks(resolveActivation('hardtanh', { minVal: -2.3, maxVal: 0.7 }), grid);
    expect(kinks.map(({ x }) => x)).toEqual([-2.3, 0.7]);
  });

  it('finds the corner that ELU has only when alpha ≠ 1', () => {
    expect(findKinks(resolveActivation('elu', { alpha: 0.5 }), grid).map(({ x, derivative }) => [x, derivative.left, derivative.right])).toEqual([[0, 0.5, 1]]);
    expect(findKinks(resolveActivation('elu'), grid)).toEqual([]);
  });

  it('finds a jump narrower than a grid cell', () => {
    expect(findKinks(resolveActivation('hardshrink', { lambda: 0.001 }), grid).map(({ x }) => x)).toEqual([-0.001, 0.001]);
  });

  it('finds none in a steep but smooth curve', () => {
    expect(findKinks(resolveActivation('softplus', { beta: 1000 }), grid)).toEqual([]);
  });
});
