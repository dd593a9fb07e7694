/**
 * Brent's method (Brent 1973, "Algorithms for Minimization without
 * Derivatives", ch. 4; the zeroin of Forsythe–Malcolm–Moler): a root of f in
 * [a, b] where f(a) and f(b) differ in sign (or one is 0), by inverse quadratic
 * interpolation or secant steps guarded by bisection. The bracket always holds
 * the root, so it converges whatever f looks like; on a straight line the first
 * secant step lands on the root.
 *
 * Stops when the bracket is narrower than 2·(2ε|b| + absoluteTolerance), ε the
 * float64 epsilon, or when f(b) = 0. Returns the end with the smaller |f|.
 */
export function brentRoot(
  f: (x: number) => number,
  lower: number,
  upper: number,
  fLower: number = f(lower),
  fUpper: number = f(upper),
  absoluteTolerance = 0,
): number {
  if (fLower === 0) return lower;
  if (fUpper === 0) return upper;
  if (Math.sign(fLower) === Math.sign(fUpper)) {
    throw new RangeError(`brentRoot: f(${lower}) and f(${upper}) have the same sign`);
  }
  let a = lower;
  let fa = fLower;
  let b = upper;
  let fb = fUpper;
  let c = a;
  let fc = fa;
  let step = b - a;
  let previousStep = step;
  for (let iteration = 0; iteration < 200; iteration += 1) {
    if (Math.sign(fb) === Math.sign(fc)) {
      c = a;
      fc = fa;
      step = b - a;
      previousStep = step;
    }
    if (Math.abs(fc) < Math.abs(fb)) {
      a = b;
      b = c;
      c = a;
      fa = fb;
      fb = fc;
      fc = fa;
    }
    const tolerance = 2 * Number.EPSILON * Math.abs(b) + absoluteTolerance;
    const half = (c - b) / 2;
    if (Math.abs(half) <= tolerance || fb === 0) return b;
    if (Math.abs(previousStep) >= tolerance && Math.abs(fa) > Math.abs(fb)) {
      // Inverse quadratic interpolation through (a, b, c), or the secant through (a, b) when a = c.
      const s = fb / fa;
      let p: number;
      let q: number;
      if (a === c) {
        p = 2 * half * s;
        q = 1 - s;
      } else {
        const r = fb / fc;
        const t = fa / fc;
        p = s * (2 * half * t * (t - r) - (b - a) * (r - 1));
        q = (t - 1) * (r - 1) * (s - 1);
      }
      if (p > 0) q = -q;
      else p = -p;
      if (2 * p < Math.min(3 * half * q - Math.abs(tolerance * q), Math.abs(previousStep * q))) {
        previousStep = step;
        step = p / q;
      } else {
        step = half;
        previousStep = step;
      }
    } else {
      step = half;
      previousStep = step;
    }
    a = b;
    fa = fb;
    b += Math.abs(step) > tolerance ? step : half > 0 ? tolerance : -tolerance;
    fb = f(b);
  }
  return b;
}
