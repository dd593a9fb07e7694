import improvedZiggurat from '@stdlib/random-base-improved-ziggurat';
import randu from '@stdlib/random-base-randu';

/**
 * The one seeded source of randomness: a 32-bit Mersenne Twister (stdlib's
 * mt19937, 53-bit uniform doubles) and normals from the improved Ziggurat
 * method driven by the same stream. Same seed, same numbers, bit for bit, on
 * every platform.
 */

/** Largest seed the API accepts (Number.MAX_SAFE_INTEGER). */
export const MAX_SEED = Number.MAX_SAFE_INTEGER;
/** The seed used when a request gives none. */
export const DEFAULT_SEED = 42;

export interface Random {
  /** Uniform on [0, 1). */
  uniform: () => number;
  /** Standard normal. */
  normal: () => number;
}

const TWO_TO_32 = 2 ** 32;

export function createRandom(seed: number): Random {
  if (!Number.isSafeInteger(seed) || seed < 0) throw new RangeError(`seed must be an integer in [0, ${MAX_SEED}]`);
  // A two-word seed array covers every safe integer (mt19937 rejects the scalar seed 0).
  const uniform = randu.factory({ name: 'mt19937', seed: [seed % TWO_TO_32, Math.floor(seed / TWO_TO_32)] });
  const normal = improvedZiggurat.factory({ prng: uniform });
  return { uniform, normal };
}
