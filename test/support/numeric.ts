/** Numeric helpers for tests: finite differences and distances in units in the last place. */

/**
 * f'(x) by Richardson-extrapolated central differences: D(h) = (f(x+h) − f(x−h)) / 2h
 * has error c₂h² + c₄h⁴ + …, so (4·D(h/2) − D(h)) / 3 cancels the h² term.
 * Use it away from corners; accurate to about 1e−10 relative for smooth f.
 */
export function numericalDerivative(f: (x: number) => number, x: number): number {
  const h = 1e-3 * Math.max(1, Math.abs(x));
  const central = (step: number): number => (f(x + step) - f(x - step)) / (2 * step);
  return (4 * central(h / 2) - central(h)) / 3;
}

const scratch = new DataView(new ArrayBuffer(8));

/** The float64 bit pattern as a signed integer on a monotone scale (−0 and +0 both map to 0). */
function orderedBits(value: number): bigint {
  scratch.setFloat64(0, value);
  const bits = scratch.getBigInt64(0);
  return bits < 0n ? -(bits & 0x7fffffffffffffffn) : bits;
}

/** How many representable float64 values lie between a and b (0 when equal; Infinity if either is NaN). */
export function ulpDistance(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return Infinity;
  const distance = orderedBits(a) - orderedBits(b);
  return Number(distance < 0n ? -distance : distance);
}

/** The next float64 above x (for finite x). */
export function nextUp(x: number): number {
  if (x === 0) return Number.MIN_VALUE;
  scratch.setFloat64(0, x);
  const bits = scratch.getBigInt64(0);
  scratch.setBigInt64(0, x > 0 ? bits + 1n : bits - 1n);
  return scratch.getFloat64(0);
}

/** The next float64 below x (for finite x). */
export const nextDown = (x: number): number => -nextUp(-x);

/** Inputs that break naive formulas: zeros, subnormals, tiny, moderate, huge, and the extremes. */
export const hostileInputs: readonly number[] = [
  0, -0, Number.MIN_VALUE, -Number.MIN_VALUE, 1e-310, -1e-310, 1e-300, -1e-300, 1e-100, -1e-100,
  1e-20, -1e-20, 1e-8, -1e-8, 1e-3, -1e-3, 0.5, -0.5, 1, -1, 3, -3, 6, -6, 20, -20, 30, -30,
  50, -50, 100, -100, 700, -700, 710, -710, 746, -746, 1e5, -1e5, 1e15, -1e15, 1e100, -1e100,
  1e300, -1e300, Number.MAX_VALUE, -Number.MAX_VALUE,
];
