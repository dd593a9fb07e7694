import { describe, expect, it } from 'vitest';
import { createRandom } from '../../src/random.js';
import {
  DEFAULT_NORMAL_STD,
  DEFAULT_UNIFORM_BOUND,
  heNegativeSlope,
  InitializationError,
  initializeWeights,
  initializeWeightsInto,
  type InitSpec,
} from '../../src/simulation/init.js';

const FAN_IN = 400;
const FAN_OUT = 300;

function moments(values: Float64Array): { mean: number; std: number; maxAbs: number } {
  let sum = 0;
  let maxAbs = 0;
  for (const value of values) {
    sum += value;
    maxAbs = Math.max(maxAbs, Math.abs(value));
  }
  const mean = sum / values.length;
  let squares = 0;
  for (const value of values) squares += (value - mean) ** 2;
  return { mean, std: Math.sqrt(squares / values.length), maxAbs };
}

/** 120 000 draws: the sample std is within ~0.3 % of the true one (1σ); 2 % is a wide margin. */
const STD_TOLERANCE = 0.02;

describe('initializeWeights', () => {
  const normalCases: [InitSpec, number, number?][] = [
    [{ scheme: 'xavier_normal' }, Math.sqrt(2 / (FAN_IN + FAN_OUT))],
    [{ scheme: 'xavier_normal', gain: 5 / 3 }, (5 / 3) * Math.sqrt(2 / (FAN_IN + FAN_OUT))],
    [{ scheme: 'he_normal' }, Math.sqrt(2 / FAN_IN)],
    [{ scheme: 'he_normal' }, Math.sqrt(2 / (1.25 * FAN_IN)), 0.5],
    [{ scheme: 'lecun_normal' }, Math.sqrt(1 / FAN_IN)],
    [{ scheme: 'normal', std: 0.3 }, 0.3],
    [{ scheme: 'normal' }, DEFAULT_NORMAL_STD],
    [{ scheme: 'normal', std: 0.3, gain: 2 }, 0.6],
  ];

  it.each(normalCases)('draws %o with the standard deviation of the spec (%f)', (spec, std, slope) => {
    const weights = initializeWeights(spec, FAN_IN, FAN_OUT, createRandom(1), slope);
    expect(weights).toHaveLength(FAN_IN * FAN_OUT);
    const stats = moments(weights);
    expect(Math.abs(stats.mean)).toBeLessThan(5 * (std / Math.sqrt(weights.length)));
    expect(Math.abs(stats.std / std - 1)).toBeLessThan(STD_TOLERANCE);
  });

  const uniformCases: [InitSpec, number, number?][] = [
    [{ scheme: 'xavier_uniform' }, Math.sqrt(6 / (FAN_IN + FAN_OUT))],
    [{ scheme: 'he_uniform' }, Math.sqrt(6 / FAN_IN)],
    [{ scheme: 'he_uniform' }, Math.sqrt(6 / (1.04 * FAN_IN)), 0.2],
    [{ scheme: 'he_uniform', gain: 0.5 }, 0.5 * Math.sqrt(6 / FAN_IN)],
    [{ scheme: 'lecun_uniform' }, Math.sqrt(3 / FAN_IN)],
    [{ scheme: 'uniform', bound: 0.2 }, 0.2],
    [{ scheme: 'uniform' }, DEFAULT_UNIFORM_BOUND],
  ];

  it.each(uniformCases)('draws %o uniformly within the bound of the spec (%f)', (spec, bound, slope) => {
    const weights = initializeWeights(spec, FAN_IN, FAN_OUT, createRandom(2), slope);
    const stats = moments(weights);
    expect(stats.maxAbs).toBeLessThanOrEqual(bound);
    expect(stats.maxAbs).toBeGreaterThan(0.999 * bound);
    expect(Math.abs(stats.std / (bound / Math.sqrt(3)) - 1)).toBeLessThan(STD_TOLERANCE);
  });

  it.each([
    [200, 200],
    [300, 100],
    [100, 300],
  ])('makes orthogonal %i × %i weights with WᵀW (or WWᵀ) = g²I to 1e−12', (fanIn, fanOut) => {
    const gain = 1.7;
    const weights = initializeWeights({ scheme: 'orthogonal', gain }, fanIn, fanOut, createRandom(3));
    const tall = fanIn >= fanOut;
    const size = Math.min(fanIn, fanOut);
    const inner = Math.max(fanIn, fanOut);
    const at = (k: number, i: number): number => (tall ? (weights[k * fanOut + i] as number) : (weights[i * fanOut + k] as number));
    let largestError = 0;
    for (let i = 0; i < size; i += 1) {
      for (let j = 0; j <= i; j += 1) {
        let sum = 0;
        for (let k = 0; k < inner; k += 1) sum += at(k, i) * at(k, j);
        largestError = Math.max(largestError, Math.abs(sum - (i === j ? gain * gain : 0)));
      }
    }
    expect(largestError).toBeLessThan(1e-12);
  });

  it('makes g·I for identity and zeros for zeros', () => {
    const identity = initializeWeights({ scheme: 'identity', gain: 2 }, 3, 3, createRandom(1));
    expect([...identity]).toEqual([2, 0, 0, 0, 2, 0, 0, 0, 2]);
    expect([...initializeWeights({ scheme: 'zeros' }, 2, 3, createRandom(1))]).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('rejects identity on a non-square layer with an InitializationError', () => {
    expect(() => initializeWeights({ scheme: 'identity' }, 3, 4, createRandom(1))).toThrow(InitializationError);
    expect(() => initializeWeights({ scheme: 'identity' }, 3, 4, createRandom(1))).toThrow(/square layer, got 3 × 4/);
  });

  it('rejects a negative std or a non-finite gain', () => {
    expect(() => initializeWeights({ scheme: 'normal', std: -1 }, 2, 2, createRandom(1))).toThrow(InitializationError);
    expect(() => initializeWeights({ scheme: 'he_normal', gain: Infinity }, 2, 2, createRandom(1))).toThrow(InitializationError);
  });

  it('draws the same weights from the same seed, bit for bit, and others from another', () => {
    const spec: InitSpec = { scheme: 'orthogonal' };
    expect(initializeWeights(spec, 20, 10, createRandom(5))).toEqual(initializeWeights(spec, 20, 10, createRandom(5)));
    expect(initializeWeights(spec, 20, 10, createRandom(5))).not.toEqual(initializeWeights(spec, 20, 10, createRandom(6)));
  });

  it('writes the same draws, rounded, into a Float32Array', () => {
    const spec: InitSpec = { scheme: 'xavier_normal' };
    const exact = initializeWeights(spec, 30, 20, createRandom(9));
    const single = initializeWeightsInto(spec, 30, 20, createRandom(9), 0, new Float32Array(600));
    expect([...single]).toEqual([...exact].map(Math.fround));
  });
});

describe('heNegativeSlope', () => {
  it('takes the slope of leaky_relu and prelu and 0 for everything else', () => {
    expect(heNegativeSlope('leaky_relu', { negativeSlope: 0.1 })).toBe(0.1);
    expect(heNegativeSlope('prelu', { alpha: 0.25 })).toBe(0.25);
    expect(heNegativeSlope('relu', {})).toBe(0);
    expect(heNegativeSlope('rrelu', { lower: 0.125, upper: 0.25 })).toBe(0);
  });
});
