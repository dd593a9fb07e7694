import { describe, expect, it } from 'vitest';
import { activations, type ActivationId } from '../../src/activations/registry.js';
import { resolveActivation, type ResolvedActivation } from '../../src/activations/resolve.js';
import { breakpointsOf, featureScaleOf } from '../../src/theory/breakpoints.js';

const STEP = 2 ** -10;

/**
 * Points in [−8, 8] where φ jumps, φ′ jumps, or φ″ jumps, by finite differences
 * on a grid of step 2^−10: a smooth φ changes by ≤ |φ′|·h over a step, φ′ by
 * ≤ |φ″|·h, and φ″ (from differences of φ′) by ≤ |φ‴|·h; a jump of size J shows
 * up as J itself.
 */
function scanForBreaks(activation: ResolvedActivation): number[] {
  const kernel = activation.record.kernel(activation.params, { mode: 'eval', count: 1, uniform: () => 0.5 });
  const f = (x: number): number => kernel.value(x, 0);
  const df = (x: number): number => kernel.derivative(x, 0);
  const found: number[] = [];
  for (let x = -8; x <= 8; x += STEP) {
    const valueJump = Math.abs(f(x + STEP) - f(x)) > 4 * STEP * Math.max(1, Math.abs(df(x)), Math.abs(df(x + STEP)));
    const slopeJump = Math.abs(df(x + STEP) - df(x)) > 0.05;
    const curvatureJump =
      Math.abs((df(x + STEP) - df(x)) / STEP - (df(x) - df(x - STEP)) / STEP) > 0.2 &&
      Math.abs((df(x + 2 * STEP) - df(x + STEP)) / STEP - (df(x - STEP) - df(x - 2 * STEP)) / STEP) > 0.2;
    if (valueJump || slopeJump || curvatureJump) found.push(x);
  }
  return found;
}

function expectBreaksOnlyAt(activation: ResolvedActivation): void {
  const table = breakpointsOf(activation);
  const found = scanForBreaks(activation);
  for (const x of found) {
    expect(
      table.some((breakpoint) => Math.abs(breakpoint - x) <= 2 * STEP),
      `${activation.record.id}: a break near x = ${x} is missing from the table ${JSON.stringify(table)}`,
    ).toBe(true);
  }
  for (const breakpoint of table.filter((b) => Math.abs(b) < 7)) {
    expect(
      found.some((x) => Math.abs(breakpoint - x) <= 2 * STEP),
      `${activation.record.id}: the table lists x = ${breakpoint}, where nothing breaks`,
    ).toBe(true);
  }
}

describe('breakpointsOf', () => {
  it('lists exactly the points where a kernel at its defaults jumps in φ, φ′ or φ″', () => {
    for (const record of activations) expectBreaksOnlyAt(resolveActivation(record.id));
  });

  it('moves the breakpoints with the parameters that set them', () => {
    const cases: [ActivationId, Record<string, number>, number[]][] = [
      ['hardtanh', { minVal: -2, maxVal: 3 }, [-2, 3]],
      ['softshrink', { lambda: 1.5 }, [-1.5, 1.5]],
      ['hardshrink', { lambda: 0.25 }, [-0.25, 0.25]],
      ['threshold', { threshold: 0.7, value: -1 }, [0.7]],
      ['elu', { alpha: 0.5 }, [0]],
      ['softplus', { beta: 1, threshold: 2 }, [2]],
    ];
    for (const [id, params, expected] of cases) {
      const activation = resolveActivation(id, params);
      expect(breakpointsOf(activation), id).toEqual(expected);
      expectBreaksOnlyAt(activation);
    }
  });

  it("leaves out softplus's switch to x where the jump is negligible, as at the defaults", () => {
    expect(breakpointsOf(resolveActivation('softplus'))).toEqual([]);
    expect(breakpointsOf(resolveActivation('softplus', { beta: 2, threshold: 10 }))).toEqual([5]);
  });

  it('merges coinciding breakpoints: softshrink with λ = 0 has one', () => {
    expect(breakpointsOf(resolveActivation('softshrink', { lambda: 0 }))).toEqual([0]);
  });
});

describe('featureScaleOf', () => {
  it("follows the parameters that stretch x and is 1 where none does", () => {
    expect(featureScaleOf(resolveActivation('tanh'))).toBe(1);
    expect(featureScaleOf(resolveActivation('relu'))).toBe(1);
    expect(featureScaleOf(resolveActivation('sigmoid'))).toBe(2);
    expect(featureScaleOf(resolveActivation('softplus', { beta: 4 }))).toBe(0.5);
    expect(featureScaleOf(resolveActivation('swish', { beta: -0.5 }))).toBe(4);
    expect(featureScaleOf(resolveActivation('swish', { beta: 0 }))).toBe(1);
    expect(featureScaleOf(resolveActivation('celu', { alpha: -0.1 }))).toBe(0.1);
    expect(featureScaleOf(resolveActivation('gelu', { approximate: 'tanh' }))).toBe(1);
  });
});
