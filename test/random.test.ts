import erfc from '@stdlib/math-base-special-erfc';
import { describe, expect, it } from 'vitest';
import { createRandom, fillWords } from '../src/random.js';
import { ZIGGURAT_F, ZIGGURAT_R, ZIGGURAT_X } from '../src/random-ziggurat.js';

/** Standard normal CDF. */
const normalCdf = (x: number): number => 0.5 * erfc(-x / Math.SQRT2);

/** Kolmogorov–Smirnov statistic of sorted samples against a CDF. */
function ksStatistic(sorted: Float64Array, cdf: (x: number) => number): number {
  const n = sorted.length;
  let largest = 0;
  for (let i = 0; i < n; i += 1) {
    const expected = cdf(sorted[i] as number);
    largest = Math.max(largest, Math.abs((i + 1) / n - expected), Math.abs(expected - i / n));
  }
  return largest;
}

function moments(values: Float64Array): { mean: number; variance: number } {
  let sum = 0;
  for (const value of values) sum += value;
  const mean = sum / values.length;
  let squares = 0;
  for (const value of values) squares += (value - mean) ** 2;
  return { mean, variance: squares / values.length };
}

const SAMPLES = 1_000_000;
/** 5 standard errors: far beyond chance for a good generator, and the seed is fixed, so the check cannot flake. */
const STANDARD_ERRORS = 5;
/** The KS critical value at the 0.1 % level, √(−ln(0.0005)/2)/√n. */
const KS_CRITICAL = 1.9495 / Math.sqrt(SAMPLES);

describe('createRandom', () => {
  it('is xoshiro128** as the reference C implementation computes it', () => {
    // xoshiro128starstar.c from state {1, 2, 3, 4}.
    const words = new Int32Array(8);
    fillWords(new Int32Array([1, 2, 3, 4]), words, 8);
    expect(Array.from(words, (word) => word >>> 0)).toEqual([11520, 0, 5927040, 70819200, 2031721883, 1637235492, 1287239034, 3734860849]);
  });

  it('seeds with SplitMix64 and makes 53-bit uniforms from two outputs', () => {
    // SplitMix64(42) gives the state {803958421, 3184996902, 2993090819, 686809907}, whose first
    // xoshiro128** outputs are 1776835114 and 4165204688 (the C reference).
    expect(createRandom(42).uniform()).toBe(((1776835114 >>> 5) * 2 ** 26 + (4165204688 >>> 6)) * 2 ** -53);
  });

  it('gives the same numbers for the same seed, and pins them (a changed generator changes every drawn answer)', () => {
    const draw = (seed: number) => {
      const random = createRandom(seed);
      return [random.uniform(), random.uniform(), random.normal(), random.normal(), random.normal()];
    };
    expect(draw(42)).toEqual(draw(42));
    expect(draw(42)).toEqual([0.4137016681565887, 0.003983993377814743, 0.23879482684346282, 0.03386305462292118, 0.7042740676699316]);
    expect(draw(43)).not.toEqual(draw(42));
  });

  it('fills arrays with exactly the numbers, in the order, of one call per element, and leaves the stream where they would', () => {
    const bulk = createRandom(9);
    const single = createRandom(9);
    const normals = new Float64Array(5000);
    bulk.fillNormal(normals, 4000, 0.5, 1000);
    const uniforms = new Float32Array(3000);
    bulk.fillSymmetricUniform(uniforms, 3000, 2);
    for (let i = 1000; i < 5000; i += 1) expect(normals[i]).toBe(0.5 * single.normal());
    expect(normals.subarray(0, 1000).every((value) => value === 0)).toBe(true);
    for (let i = 0; i < 3000; i += 1) expect(uniforms[i]).toBe(Math.fround(2 * (2 * single.uniform() - 1)));
    expect(bulk.normal()).toBe(single.normal());
  });

  it('accepts every safe integer seed and rejects the rest with a RangeError', () => {
    expect(createRandom(0).uniform()).not.toBe(createRandom(1).uniform());
    expect(Number.isFinite(createRandom(Number.MAX_SAFE_INTEGER).normal())).toBe(true);
    for (const seed of [-1, 0.5, Number.MAX_SAFE_INTEGER + 1, Number.NaN]) expect(() => createRandom(seed)).toThrow(RangeError);
  });

  it('draws uniforms on [0, 1) with the mean, variance and distribution of U(0, 1) (seed 5, 10⁶ draws)', () => {
    const random = createRandom(5);
    const values = Float64Array.from({ length: SAMPLES }, () => random.uniform());
    const { mean, variance } = moments(values);
    expect(values.every((value) => value >= 0 && value < 1)).toBe(true);
    expect(Math.abs(mean - 0.5)).toBeLessThan(STANDARD_ERRORS * Math.sqrt(1 / 12 / SAMPLES));
    // Var of the sample variance of U(0, 1): (1/80 − 1/144)/n.
    expect(Math.abs(variance - 1 / 12)).toBeLessThan(STANDARD_ERRORS * Math.sqrt((1 / 80 - 1 / 144) / SAMPLES));
    expect(ksStatistic(values.sort(), (x) => Math.min(1, Math.max(0, x)))).toBeLessThan(KS_CRITICAL);
  });

  it('draws normals with the mean, variance, tails and distribution of N(0, 1) (seed 6, 10⁶ draws)', () => {
    const values = new Float64Array(SAMPLES);
    createRandom(6).fillNormal(values, SAMPLES, 1);
    const { mean, variance } = moments(values);
    expect(Math.abs(mean)).toBeLessThan(STANDARD_ERRORS / Math.sqrt(SAMPLES));
    expect(Math.abs(variance - 1)).toBeLessThan(STANDARD_ERRORS * Math.sqrt(2 / SAMPLES));
    // The ziggurat's tail beyond R is drawn by its own method: its share must be 2(1 − Φ(R)).
    const tailProbability = 2 * normalCdf(-ZIGGURAT_R);
    const inTail = values.filter((value) => Math.abs(value) > ZIGGURAT_R).length;
    expect(Math.abs(inTail - SAMPLES * tailProbability)).toBeLessThan(STANDARD_ERRORS * Math.sqrt(SAMPLES * tailProbability));
    const positive = values.filter((value) => value > 0).length;
    expect(Math.abs(positive - SAMPLES / 2)).toBeLessThan(STANDARD_ERRORS * Math.sqrt(SAMPLES / 4));
    expect(ksStatistic(values.sort(), normalCdf)).toBeLessThan(KS_CRITICAL);
  });
});

describe('the ziggurat tables', () => {
  it('are the recurrence of Marsaglia & Tsang for 256 layers of exp(−x²/2), to the last bit or two', () => {
    const f = (x: number) => Math.exp(-0.5 * x * x);
    const v = 0.00492867323399;
    const x = [v / f(ZIGGURAT_R), ZIGGURAT_R];
    for (let i = 2; i < 256; i += 1) x.push(Math.sqrt(-2 * Math.log(v / (x[i - 1] as number) + f(x[i - 1] as number))));
    x.push(0);
    expect(ZIGGURAT_X).toHaveLength(257);
    expect(ZIGGURAT_F).toHaveLength(257);
    x.forEach((value, i) => {
      expect(Math.abs((ZIGGURAT_X[i] as number) - value)).toBeLessThanOrEqual(4 * Number.EPSILON * value);
      expect(Math.abs((ZIGGURAT_F[i] as number) - f(value))).toBeLessThanOrEqual(4 * Number.EPSILON * f(value));
    });
    // Every layer has the same area V: the rectangles X[i]·(F[i+1] − F[i]) for i ≥ 1, and the base strip by
    // construction; to 2e−9 of V, as V's twelve digits allow (the top layer collects the error).
    for (let i = 1; i < 256; i += 1) {
      expect(Math.abs((ZIGGURAT_X[i] as number) * ((ZIGGURAT_F[i + 1] as number) - (ZIGGURAT_F[i] as number)) - v)).toBeLessThan(2e-9 * v);
    }
  });
});
