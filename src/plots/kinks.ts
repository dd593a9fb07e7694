import type { ResolvedActivation } from '../activations/resolve.js';
import type { ScalarKernel } from '../activations/types.js';

/**
 * Finds where an activation's value or derivative jumps, at the parameters
 * actually given. The records list their kinks at the default parameters only
 * (hardtanh's move with minVal/maxVal, ELU has one at 0 only when alpha ≠ 1),
 * and their breakpoints include φ″ jumps that no chart shows, so the chart
 * finds the jumps itself from the kernel: every grid cell across which a curve changes
 * is bisected down to two adjacent doubles. A smooth curve's change shrinks
 * with the cell and the search stops early; a jump survives to the last bit.
 * Of the two doubles the one with the shorter decimal form is taken as the
 * kink (0 rather than 5e-324, 1 rather than 0.9999999999999999): kinks sit
 * at parameter values, which are short decimals.
 */

/** A curve near a kink: the limits from either side and what the kernel returns at the kink itself. */
export interface OneSidedValues {
  left: number;
  at: number;
  right: number;
}

export interface Kink {
  x: number;
  value: OneSidedValues;
  derivative: OneSidedValues;
}

/** Smaller differences than this (relative to the values, absolute below 1) are not jumps. */
const RELATIVE_JUMP = 1e-9;

/** More than enough halvings to go from any cell to two adjacent doubles (the denormals near 0 take ~1075). */
const MAX_HALVINGS = 2200;

export function isJump(a: number, b: number): boolean {
  return Math.abs(a - b) > RELATIVE_JUMP * Math.max(1, Math.abs(a), Math.abs(b));
}

const bits = new Float64Array(1);
const integerBits = new BigInt64Array(bits.buffer);

/** The next double after x towards +∞ (direction 1) or −∞ (direction −1); x finite. */
function adjacentDouble(x: number, direction: 1 | -1): number {
  if (x === 0) return direction * Number.MIN_VALUE;
  bits[0] = x;
  integerBits[0] = (integerBits[0] as bigint) + ((x > 0) === (direction > 0) ? 1n : -1n);
  return bits[0] as number;
}

function shorterDecimal(a: number, b: number): number {
  return String(b).length < String(a).length ? b : a;
}

/** Where in [a, b] the curve jumps, or undefined if it does not. */
function locateJump(curve: (x: number) => number, a: number, b: number): number | undefined {
  let low = a;
  let high = b;
  let lowValue = curve(low);
  let highValue = curve(high);
  for (let halving = 0; halving < MAX_HALVINGS; halving++) {
    if (!isJump(lowValue, highValue)) return undefined;
    const middle = low / 2 + high / 2;
    if (middle <= low || middle >= high) return shorterDecimal(low, high);
    const middleValue = curve(middle);
    // Keep the half that changes more: a jump keeps its size however small the half.
    if (Math.abs(middleValue - lowValue) >= Math.abs(highValue - middleValue)) {
      high = middle;
      highValue = middleValue;
    } else {
      low = middle;
      lowValue = middleValue;
    }
  }
  return undefined;
}

function around(curve: (x: number) => number, x: number): OneSidedValues {
  return { left: curve(adjacentDouble(x, -1)), at: curve(x), right: curve(adjacentDouble(x, 1)) };
}

/** Kinks of `resolved` between consecutive points of the sorted grid `xs` (evaluation mode). */
export function findKinks({ record, params }: ResolvedActivation, xs: ArrayLike<number>): Kink[] {
  const kernel: ScalarKernel = record.kernel(params, { mode: 'eval', count: 1, uniform: () => 0.5 });
  const value = (x: number) => kernel.value(x, 0);
  const derivative = (x: number) => kernel.derivative(x, 0);
  const found = new Set<number>();
  for (const curve of [value, derivative]) {
    let previous = curve(xs[0] as number);
    for (let index = 1; index < xs.length; index++) {
      const current = curve(xs[index] as number);
      if (isJump(previous, current)) {
        const x = locateJump(curve, xs[index - 1] as number, xs[index] as number);
        if (x !== undefined) found.add(x === 0 ? 0 : x);
      }
      previous = current;
    }
  }
  return [...found]
    .sort((a, b) => a - b)
    .map((x) => ({ x, value: around(value, x), derivative: around(derivative, x) }));
}
