import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createEngine,
  disposeLinalg,
  gemm,
  initLinalg,
  linalgInfo,
  type LinalgEngineName,
  matmul,
  matmulTransA,
  matmulTransB,
  transpose,
} from '../../src/linalg/matmul.js';
import { createRandom } from '../../src/random.js';

/** Deterministic float32 data in [−2, 2) from the service's seeded generator. */
function randomMatrix(size: number, seed: number): Float32Array {
  const { uniform } = createRandom(seed);
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) out[i] = 4 * uniform() - 2;
  return out;
}

const at = (array: Float32Array, index: number): number => array[index] as number;

/**
 * Float64 reference of op(A)·op(B) and, per element, Σ|a||b|: the scale of the
 * float32 rounding error. Any summation order (blocked, FMA) stays within
 * γ_k·Σ|a||b| with γ_k ≈ k·2⁻²⁴, plus one rounding of the result.
 */
function reference(transA: boolean, transB: boolean, m: number, n: number, k: number, a: Float32Array, b: Float32Array) {
  const value = new Float64Array(m * n);
  const scale = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      let abs = 0;
      for (let p = 0; p < k; p++) {
        const term = at(a, transA ? p * m + i : i * k + p) * at(b, transB ? j * k + p : p * n + j);
        sum += term;
        abs += Math.abs(term);
      }
      value[i * n + j] = sum;
      scale[i * n + j] = abs;
    }
  }
  return { value, scale };
}

function expectClose(actual: Float32Array, transA: boolean, transB: boolean, m: number, n: number, k: number, a: Float32Array, b: Float32Array): void {
  const { value, scale } = reference(transA, transB, m, n, k, a, b);
  const u = 2 ** -24;
  let worst = 0;
  for (let index = 0; index < m * n; index++) {
    const bound = (k + 2) * u * (scale[index] as number) + Number.MIN_VALUE;
    const error = Math.abs(at(actual, index) - (value[index] as number));
    worst = Math.max(worst, error / bound);
  }
  // worst is the largest error as a fraction of the allowed bound.
  expect(worst).toBeLessThanOrEqual(1);
}

const SHAPES: readonly (readonly [number, number, number])[] = [
  [1, 1, 1],
  [1, 7, 1],
  [3, 5, 7],
  [17, 33, 9],
  [33, 1, 65],
  [64, 128, 32],
  [100, 300, 70],
];

const onnxRuntimeLoads = await createEngine('onnxruntime').then(
  (engine) => {
    engine.dispose();
    return true;
  },
  () => false,
);

const ENGINES: readonly LinalgEngineName[] = ['js', 'tfjs-wasm', 'onnxruntime'];

for (const name of ENGINES) {
  describe.skipIf(name === 'onnxruntime' && !onnxRuntimeLoads)(`linalg on the ${name} engine`, () => {
    beforeAll(async () => {
      disposeLinalg();
      const info = await initLinalg({ engine: name });
      expect(info.engine).toBe(name);
    });
    afterAll(() => disposeLinalg());

    it('reports the engine in use', () => {
      expect(linalgInfo()?.engine).toBe(name);
      expect(linalgInfo()?.threads).toBe(1);
    });

    for (const [m, k, n] of SHAPES) {
      it(`matches a float64 reference for ${m}×${k}·${k}×${n} in all four transpose modes`, () => {
        const a = randomMatrix(m * k, m * 1000 + k);
        const b = randomMatrix(k * n, n * 1000 + k + 7);
        for (const transA of [false, true]) {
          for (const transB of [false, true]) {
            expectClose(gemm(transA, transB, m, n, k, a, b), transA, transB, m, n, k, a, b);
          }
        }
      });
    }

    it('computes one layer forward and backward: A·W, Aᵀ·dZ, dZ·Wᵀ', () => {
      const batch = 32;
      const nIn = 48;
      const nOut = 40;
      const activations = randomMatrix(batch * nIn, 1);
      const weights = randomMatrix(nIn * nOut, 2);
      const gradZ = randomMatrix(batch * nOut, 3);
      expectClose(matmul(activations, batch, nIn, weights, nOut), false, false, batch, nOut, nIn, activations, weights);
      expectClose(matmulTransA(activations, batch, nIn, gradZ, nOut), true, false, nIn, nOut, batch, activations, gradZ);
      expectClose(matmulTransB(gradZ, batch, nOut, weights, nIn), false, true, batch, nIn, nOut, gradZ, weights);
    });

    it('writes into out, reads and writes subarray views, and leaves the rest of out alone', () => {
      const m = 5;
      const k = 6;
      const n = 4;
      const a = randomMatrix(m * k + 3, 11);
      const b = randomMatrix(k * n + 5, 12);
      const aView = a.subarray(3);
      const bView = b.subarray(1, 1 + k * n);
      const storage = new Float32Array(m * n + 10).fill(-7);
      const outView = storage.subarray(4, 4 + m * n + 2);
      const returned = matmul(aView, m, k, bView, n, outView);
      expect(returned).toBe(outView);
      expectClose(outView, false, false, m, n, k, aView, bView);
      expect(Array.from(storage.subarray(0, 4))).toEqual([-7, -7, -7, -7]);
      expect(Array.from(storage.subarray(4 + m * n))).toEqual(new Array(6).fill(-7));
    });

    it('accepts SharedArrayBuffer-backed arrays', () => {
      const m = 6;
      const k = 7;
      const n = 5;
      const a = new Float32Array(new SharedArrayBuffer(m * k * 4));
      const b = new Float32Array(new SharedArrayBuffer(k * n * 4));
      a.set(randomMatrix(m * k, 21));
      b.set(randomMatrix(k * n, 22));
      const out = new Float32Array(new SharedArrayBuffer(m * n * 4));
      matmul(a, m, k, b, n, out);
      expectClose(out, false, false, m, n, k, a, b);
    });

    it('handles empty dimensions: m or n = 0 writes nothing, k = 0 gives zeros', () => {
      expect(matmul(new Float32Array(0), 0, 3, new Float32Array(6), 2)).toHaveLength(0);
      expect(matmul(new Float32Array(6), 2, 3, new Float32Array(0), 0)).toHaveLength(0);
      const out = new Float32Array(4).fill(5);
      expect(Array.from(matmul(new Float32Array(0), 2, 0, new Float32Array(0), 2, out))).toEqual([0, 0, 0, 0]);
    });

    it('propagates NaN and infinities as IEEE arithmetic does', () => {
      // [[∞, 1], [NaN, 0], [1, 1]] · [[0, 1], [1, 1]]
      const a = new Float32Array([Infinity, 1, Number.NaN, 0, 1, 1]);
      const b = new Float32Array([0, 1, 1, 1]);
      const c = matmul(a, 3, 2, b, 2);
      expect(Number.isNaN(at(c, 0))).toBe(true); // ∞·0 + 1·1
      expect(at(c, 1)).toBe(Infinity);
      expect(Number.isNaN(at(c, 2))).toBe(true);
      expect(Number.isNaN(at(c, 3))).toBe(true);
      expect(Array.from(c.subarray(4))).toEqual([1, 2]);
    });
  });
}

describe('linalg argument checks and set-up', () => {
  beforeAll(async () => {
    disposeLinalg();
    await initLinalg({ engine: 'js' });
  });
  afterAll(() => disposeLinalg());

  it('rejects arrays that are too short, bad dimensions and an out that overlaps an input', () => {
    const a = new Float32Array(6);
    expect(() => matmul(a, 2, 3, new Float32Array(5), 2)).toThrow(/b has 5 elements, needs 6/);
    expect(() => matmul(a, 2, 3, new Float32Array(6), 2, new Float32Array(3))).toThrow(/out has 3 elements/);
    expect(() => matmul(a, 2.5, 3, new Float32Array(6), 2)).toThrow(RangeError);
    expect(() => matmul(a, -1, 3, new Float32Array(6), 2)).toThrow(RangeError);
    const shared = new Float32Array(16);
    expect(() => matmul(shared.subarray(0, 4), 2, 2, new Float32Array(4), 2, shared.subarray(2, 6))).toThrow(/overlap/);
    expect(() => matmul(shared.subarray(0, 4), 2, 2, new Float32Array(4), 2, shared.subarray(4, 8))).not.toThrow();
  });

  it('transposes with a blocked copy', () => {
    const rows = 37;
    const cols = 70;
    const a = randomMatrix(rows * cols, 5);
    const t = transpose(a, rows, cols);
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) expect(at(t, j * rows + i)).toBe(at(a, i * cols + j));
  });

  it('refuses products before initLinalg() and picks an engine on auto', async () => {
    disposeLinalg();
    expect(() => matmul(new Float32Array(1), 1, 1, new Float32Array(1), 1)).toThrow(/initLinalg/);
    const info = await initLinalg();
    expect(info.engine).toBe(onnxRuntimeLoads ? 'onnxruntime' : 'tfjs-wasm');
    expect(await initLinalg({ engine: 'js' })).toBe(info); // idempotent until disposed
    expect(Array.from(matmul(new Float32Array([1, 2]), 1, 2, new Float32Array([3, 4]), 1))).toEqual([11]);
  });
});
