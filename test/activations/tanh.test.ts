import { describe, expect, it } from 'vitest';
import { tanh } from '../../src/activations/tanh.js';
import type { KernelContext } from '../../src/activations/types.js';
import { hostileInputs, numericalDerivative, ulpDistance } from '../support/numeric.js';

const context: KernelContext = {
  mode: 'eval',
  count: 0,
  uniform: () => {
    throw new Error('a deterministic activation must not draw random numbers');
  },
};
const kernel = tanh.kernel(tanh.paramsSchema.parse({}), context);
const f = (x: number): number => kernel.value(x, 0);
const df = (x: number): number => kernel.derivative(x, 0);

/** x, tanh x, sech²x: mpmath with mp.dps = 30, rounded to the nearest float64. */
const reference: readonly (readonly [number, number, number])[] = [
  [-20, -1, 1.6993417021166355e-17],
  [-3, -0.9950547536867305, 0.00986603716544019],
  [-0.5, -0.46211715726000974, 0.7864477329659274],
  [-1e-8, -1e-8, 0.9999999999999999],
  [1e-300, 1e-300, 1],
  [0.25, 0.24491866240370913, 0.940014848806378],
  [1, 0.7615941559557649, 0.4199743416140261],
  [19, 0.9999999999999999, 1.2556531168192118e-16],
  [30, 1, 3.502604305078608e-26],
  [350, 1, 3.943870617503908e-304],
  [370, 1, 1.675e-321],
];

describe('tanh', () => {
  it('matches mpmath to within 4 ulp in value and derivative, tails and tiny inputs included', () => {
    for (const [x, value, derivative] of reference) {
      expect(ulpDistance(f(x), value), `tanh(${x})`).toBeLessThanOrEqual(4);
      expect(ulpDistance(df(x), derivative), `tanh′(${x})`).toBeLessThanOrEqual(4);
    }
  });

  it('returns 1 as its derivative at 0, its maximum', () => {
    expect(df(0)).toBe(1);
    expect(tanh.maxDerivative).toBe(1);
    for (let x = -5; x <= 5; x += 0.01) expect(df(x)).toBeLessThanOrEqual(1);
  });

  it('keeps the derivative relative-accurate in the tails, where 1 − tanh²x would give 0', () => {
    expect(1 - f(20) ** 2).toBe(0);
    expect(df(20)).toBeGreaterThan(1e-17);
  });

  it('matches a numerical derivative to 1e−7 relative', () => {
    for (const x of [-8, -3, -1, -0.2, 0.1, 0.7, 2, 5, 8]) {
      const numerical = numericalDerivative(f, x);
      expect(Math.abs(df(x) - numerical), `tanh′(${x})`).toBeLessThanOrEqual(1e-7 * Math.abs(df(x)));
    }
  });

  it('never returns NaN or Infinity for a hostile input', () => {
    for (const x of hostileInputs) {
      expect(Number.isFinite(f(x)), `tanh(${x})`).toBe(true);
      expect(Number.isFinite(df(x)), `tanh′(${x})`).toBe(true);
    }
  });

  it('fills values and derivatives in bulk with exactly the numbers of value (Math.tanh) and derivative', () => {
    const inputs = [0, -0, 2 ** -28, -(2 ** -28), 1e-300, 0.3, -0.9999999999999999, 1, -1, 4.5, 21.999999999999996, 22, -22, 40, Infinity, -Infinity, Number.NaN];
    for (let i = 0; i < 20_000; i += 1) inputs.push(Math.sinh((i - 10_000) / 400) * (i % 2 === 0 ? 1 : 1e-3));
    const x = Float64Array.from(inputs);
    const values = new Float64Array(x.length);
    const derivatives = new Float64Array(x.length);
    kernel.valuesAndDerivatives?.(x, values, derivatives, x.length);
    x.forEach((input, i) => {
      expect(Object.is(values[i], Math.tanh(input)), `tanh(${input})`).toBe(true);
      expect(Object.is(derivatives[i], df(input)), `tanh′(${input})`).toBe(true);
    });
  });

  it('has no parameters and rejects unknown ones', () => {
    expect(tanh.paramsSchema.safeParse({}).data).toEqual({});
    expect(tanh.paramsSchema.safeParse({ alpha: 1 }).success).toBe(false);
  });
});
