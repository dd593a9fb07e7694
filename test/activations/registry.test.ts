import { describe, expect, it } from 'vitest';
import { activations, findActivation, type ActivationId } from '../../src/activations/registry.js';
import type { KernelContext } from '../../src/activations/types.js';

const context: KernelContext = { mode: 'eval', count: 1, uniform: () => 0.5 };

/** The activations whose negative branch has one slope a (PReLU-aware He corrects for it), with the parameter that sets it. */
const LEAKY_FAMILY: readonly (readonly [ActivationId, string])[] = [
  ['leaky_relu', 'negativeSlope'],
  ['prelu', 'alpha'],
];

describe('every registered activation record', () => {
  it('has an id and aliases that name no other record', () => {
    const names = activations.flatMap((record) => [record.id, ...record.aliases]);
    expect(new Set(names).size).toBe(names.length);
    for (const record of activations) expect(findActivation(record.id)).toBe(record);
  });

  it('lists each of its kinks among its breakpoints at the default parameters', () => {
    for (const record of activations) {
      const breakpoints = record.breakpoints?.(record.paramsSchema.parse({})) ?? [];
      for (const kink of record.kinks) expect(breakpoints, record.id).toContain(kink.x);
    }
  });

  it('declares kinks exactly when it calls itself not smooth', () => {
    for (const record of activations) expect(record.kinks.length > 0, record.id).toBe(!record.properties.smooth);
  });

  it('states a finite positive feature scale at its default parameters, or none', () => {
    for (const record of activations) {
      const scale = record.featureScale?.(record.paramsSchema.parse({}));
      if (scale !== undefined) expect(Number.isFinite(scale) && scale > 0, `${record.id}: ${scale}`).toBe(true);
    }
  });

  it('states a negative slope exactly for the leaky family (leaky_relu, prelu)', () => {
    const stating = activations.filter((record) => record.negativeSlope !== undefined).map((record) => record.id);
    expect(stating).toEqual(LEAKY_FAMILY.map(([id]) => id));
  });

  it("states as its negative slope its kernel's derivative for negative inputs, at any parameters", () => {
    for (const [id, slopeParameter] of LEAKY_FAMILY) {
      const record = findActivation(id);
      if (record === undefined) throw new Error(`${id} is not registered`);
      for (const given of [{}, { [slopeParameter]: 0.2 }, { [slopeParameter]: -0.5 }, { [slopeParameter]: 3 }]) {
        const params = record.paramsSchema.parse(given);
        const kernel = record.kernel(params, context);
        expect(record.negativeSlope?.(params), `${id} ${JSON.stringify(params)}`).toBe(kernel.derivative(-1.5, 0));
      }
    }
  });
});
