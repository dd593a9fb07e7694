import { describe, expect, it } from 'vitest';
import { activations, findActivation } from '../../src/activations/registry.js';

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
});
