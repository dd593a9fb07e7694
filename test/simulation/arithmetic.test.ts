import { beforeAll, describe, expect, it } from 'vitest';
import { initLinalg } from '../../src/linalg/matmul.js';
import { float32Arithmetic, float64Arithmetic, type Arithmetic } from '../../src/simulation/arithmetic.js';
import type { FloatArray } from '../../src/simulation/statistics.js';

// A (2×3) and B (3×2), small integers: every product is exact in both precisions.
const a = [1, 2, 3, 4, 5, 6];
const b = [7, 8, 9, 10, 11, 12];
const aTimesB = [58, 64, 139, 154];

beforeAll(async () => {
  await initLinalg();
});

describe.each([
  ['float32', float32Arithmetic],
  ['float64', float64Arithmetic],
] as [string, Arithmetic<FloatArray>][])('%s arithmetic', (precision, arithmetic) => {
  const from = (values: number[]): FloatArray => {
    const array = arithmetic.allocate(values.length);
    array.set(values);
    return array;
  };

  it('names its precision and allocates arrays of it', () => {
    expect(arithmetic.precision).toBe(precision);
    expect(arithmetic.allocate(3)).toBeInstanceOf(precision === 'float32' ? Float32Array : Float64Array);
  });

  it('multiplies A·B', () => {
    const out = arithmetic.allocate(4);
    arithmetic.product(from(a), 2, 3, from(b), 2, out);
    expect(Array.from(out)).toEqual(aTimesB);
  });

  it('multiplies Aᵀ·B and A·Bᵀ without a transposed copy from the caller', () => {
    // Aᵀ·C with A 2×3 and C 2×2 (rows shared); D·Eᵀ with D 2×3 and E 2×3 (inner shared).
    const transA = arithmetic.allocate(6);
    arithmetic.productTransA(from(a), 2, 3, from([1, 0, 0, 1]), 2, transA);
    expect(Array.from(transA)).toEqual([1, 4, 2, 5, 3, 6]);
    const transB = arithmetic.allocate(4);
    arithmetic.productTransB(from(a), 2, 3, from(a), 2, transB);
    expect(Array.from(transB)).toEqual([14, 32, 32, 77]);
  });

  it('takes float64 weights as an operand in its own precision', () => {
    const weights = Float64Array.from([0.1, 0.2, 0.3]);
    const operand = arithmetic.operand(weights, 2, arithmetic.allocate(3));
    expect(operand[0]).toBe(precision === 'float32' ? Math.fround(0.1) : 0.1);
    expect(operand[1]).toBe(precision === 'float32' ? Math.fround(0.2) : 0.2);
  });
});
