import { ZIGGURAT_F, ZIGGURAT_R, ZIGGURAT_X } from './random-ziggurat.js';

/**
 * The one seeded source of randomness: xoshiro128** (Blackman & Vigna 2018,
 * 128 bits of state, period 2^128 − 1, 32-bit integer arithmetic only) seeded
 * by SplitMix64 of the seed; uniforms with 53 random bits from two outputs,
 * normals from the 256-layer ziggurat (random-ziggurat.ts) on one 52-bit
 * uniform and an 8-bit layer index per attempt. Same seed, same numbers, bit
 * for bit, on every platform: the fast path is integer operations and one
 * float64 multiplication; the rare wedge and tail steps (1.5 % of the
 * attempts) call Math.exp and Math.log, which V8 computes with its own port of
 * fdlibm on every platform (not the C library's).
 *
 * The fill methods write many draws at once, reading the generator's outputs
 * from a buffer refilled 1024 at a time (about 9 ns a normal, 5 ns a uniform, on
 * the 2-core host; stdlib's took 55 and 35): they give exactly the numbers, in
 * the same order, that as many calls of `normal()` or `uniform()` would, and
 * leave the stream where those calls would.
 *
 * This generator replaced stdlib's mt19937 with the improved ziggurat: every
 * drawn answer changed once then (the speed issue); since, it is fixed.
 */

/** Largest seed the API accepts (Number.MAX_SAFE_INTEGER). */
export const MAX_SEED = Number.MAX_SAFE_INTEGER;
/** The seed used when a request gives none. */
export const DEFAULT_SEED = 42;

export type DrawTarget = Float32Array | Float64Array;

export interface Random {
  /** Uniform on [0, 1), multiples of 2^−53. */
  uniform: () => number;
  /** Standard normal. */
  normal: () => number;
  /** out[offset + i] = scale · normal() for i < count. */
  fillNormal: (out: DrawTarget, count: number, scale: number, offset?: number) => void;
  /** out[offset + i] = bound · (2 · uniform() − 1) for i < count: U(−bound, bound). */
  fillSymmetricUniform: (out: DrawTarget, count: number, bound: number, offset?: number) => void;
}

const MASK_64 = (1n << 64n) - 1n;
const TWO_TO_MINUS_53 = 2 ** -53;
const TWO_TO_26 = 2 ** 26;

/** SplitMix64 (Steele, Lea & Flood 2014), the seeding Vigna recommends for the xoshiro family: four 32-bit words. */
function seedState(seed: number): Int32Array {
  let counter = BigInt(seed);
  const state = new Int32Array(4);
  for (let word = 0; word < 4; word += 2) {
    counter = (counter + 0x9e3779b97f4a7c15n) & MASK_64;
    let z = counter;
    z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK_64;
    z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK_64;
    z ^= z >> 31n;
    state[word] = Number(BigInt.asIntN(32, z));
    state[word + 1] = Number(BigInt.asIntN(32, z >> 32n));
  }
  // The all-zero state is xoshiro's one fixed point.
  if (state.every((word) => word === 0)) state[0] = 1;
  return state;
}

/** Outputs generated at a time into a stream's buffer (even: every draw takes two). */
const BUFFERED_WORDS = 1024;

/**
 * words[i] = the next xoshiro128** outputs (as signed 32-bit integers) for i < count, advancing
 * the state; the one place the generator's step is written:
 *   output = rotl(s1 · 5, 7) · 9
 *   t = s1 << 9; s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = rotl(s3, 11)
 */
export function fillWords(state: Int32Array, words: Int32Array, count: number): void {
  let s0 = state[0] as number;
  let s1 = state[1] as number;
  let s2 = state[2] as number;
  let s3 = state[3] as number;
  for (let i = 0; i < count; i += 1) {
    const multiplied = Math.imul(s1, 5);
    words[i] = Math.imul((multiplied << 7) | (multiplied >>> 25), 9);
    const shifted = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= shifted;
    s3 = (s3 << 11) | (s3 >>> 21);
  }
  state[0] = s0;
  state[1] = s1;
  state[2] = s2;
  state[3] = s3;
}

/**
 * The generator's outputs, made BUFFERED_WORDS at a time and read in pairs by every draw (a
 * uniform, a ziggurat attempt, a wedge test), so that bulk fills and single draws take the
 * same words in the same order.
 */
interface Stream {
  state: Int32Array;
  words: Int32Array;
  /** Index of the next unread word (even). */
  next: number;
}

/** The index of the next unread word, refilling the buffer first when it is used up. */
function unread(stream: Stream): number {
  if (stream.next === BUFFERED_WORDS) {
    fillWords(stream.state, stream.words, BUFFERED_WORDS);
    stream.next = 0;
  }
  return stream.next;
}

/** Uniform on [0, 1) from the next pair: 27 bits of the first word, 26 of the second. */
function uniformFrom(stream: Stream): number {
  const next = unread(stream);
  const words = stream.words;
  stream.next = next + 2;
  return (((words[next] as number) >>> 5) * TWO_TO_26 + ((words[next + 1] as number) >>> 6)) * TWO_TO_MINUS_53;
}

/**
 * The slow steps of one ziggurat attempt that fell outside the layer's inner rectangle
 * (x = u·X[layer], u in (−1, 1)): the wedge test, or the tail beyond R (Marsaglia 1964)
 * from the base strip. NaN when the attempt is rejected and a new one must be drawn.
 */
function outsideRectangle(stream: Stream, layer: number, u: number, x: number): number {
  if (layer === 0) {
    let tail: number;
    let height: number;
    do {
      tail = -Math.log(1 - uniformFrom(stream)) / ZIGGURAT_R;
      height = -Math.log(1 - uniformFrom(stream));
    } while (height + height < tail * tail);
    return u < 0 ? -(ZIGGURAT_R + tail) : ZIGGURAT_R + tail;
  }
  const lower = ZIGGURAT_F[layer] as number;
  const upper = ZIGGURAT_F[layer + 1] as number;
  return upper + (lower - upper) * uniformFrom(stream) < Math.exp(-0.5 * x * x) ? x : Number.NaN;
}

function fillNormalFrom(stream: Stream, out: DrawTarget, count: number, scale: number, offset: number): void {
  const words = stream.words;
  const widths = ZIGGURAT_X;
  let i = offset;
  const end = offset + count;
  while (i < end) {
    let next = unread(stream);
    // One ziggurat attempt per pair of buffered words, until the array or the buffer ends.
    while (i < end && next < BUFFERED_WORDS) {
      const first = words[next] as number;
      const second = words[next + 1] as number;
      next += 2;
      const layer = first & 0xff;
      // 52 bits (32 of the second word, the top 20 of the first) as a uniform in (−1, 1), symmetric, never 0.
      const u = ((second >>> 0) * 1048576 + (first >>> 12) + 0.5) * 4.440892098500626e-16 - 1;
      const x = u * (widths[layer] as number);
      if (Math.abs(x) < (widths[layer + 1] as number)) {
        out[i] = scale * x;
        i += 1;
      } else {
        stream.next = next;
        const value = outsideRectangle(stream, layer, u, x);
        next = stream.next;
        if (value === value) {
          out[i] = scale * value;
          i += 1;
        }
      }
    }
    stream.next = next;
  }
}

function fillSymmetricUniformFrom(stream: Stream, out: DrawTarget, count: number, bound: number, offset: number): void {
  const words = stream.words;
  const end = offset + count;
  let i = offset;
  while (i < end) {
    let next = unread(stream);
    const stop = Math.min(end, i + (BUFFERED_WORDS - next) / 2);
    for (; i < stop; i += 1) {
      // As uniformFrom.
      const draw = (((words[next] as number) >>> 5) * 67108864 + ((words[next + 1] as number) >>> 6)) * 1.1102230246251565e-16;
      next += 2;
      out[i] = bound * (2 * draw - 1);
    }
    stream.next = next;
  }
}

export function createRandom(seed: number): Random {
  if (!Number.isSafeInteger(seed) || seed < 0) throw new RangeError(`seed must be an integer in [0, ${MAX_SEED}]`);
  const stream: Stream = { state: seedState(seed), words: new Int32Array(BUFFERED_WORDS), next: BUFFERED_WORDS };
  const single = new Float64Array(1);
  return {
    uniform: () => uniformFrom(stream),
    normal: () => {
      fillNormalFrom(stream, single, 1, 1, 0);
      return single[0] as number;
    },
    fillNormal: (out, count, scale, offset = 0) => fillNormalFrom(stream, out, count, scale, offset),
    fillSymmetricUniform: (out, count, bound, offset = 0) => fillSymmetricUniformFrom(stream, out, count, bound, offset),
  };
}
