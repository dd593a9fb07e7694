/**
 * Measures the accuracy of every activation record against the independent high-precision
 * reference (test/support/high-precision.ts: the spec's definitions in decimal.js at 64 digits,
 * correctly rounded to float64) and prints, per activation setting, the worst error of the value
 * and of the derivative in ulp and where it occurs, and the overall maximum.
 *
 *   npx tsx scripts/measure-accuracy.ts [--points 200000] [--workers 2] [--reference-check 200]
 *
 * Inputs (deterministic): a log-spaced sweep of ±1e−300 … ±1e300 (≈ 40 %), a dense uniform sweep
 * of [−40, 40] (≈ 35 %), seeded pseudo-random inputs of mixed scales (≈ 20 %), dense windows around
 * the interior zeros of the derivatives (≈ 5 %), plus every corner (zeros, subnormals, kinks and
 * their float neighbours, ±MAX_VALUE).
 *
 * Where f' has an interior zero (silu, swish, gelu, mish), f' = a + b cancels and its relative
 * error is unbounded right at the zero for any float64 evaluation; the table then gives the
 * derivative's worst ulp over all inputs (including the zero, so it can be huge), the worst ulp
 * outside ±0.5 of the zero, and inside that window the worst absolute error in units of
 * 2⁻⁵²·(|a| + |b|) (what the accuracy test bounds by 4).
 *
 * --reference-check N recomputes N of the inputs for every setting at 128 digits and counts the
 * float64 results that differ from the 64-digit ones (it should print 0).
 */
import { fork } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { activations } from '../src/activations/registry.js';
import type { ScalarKernel } from '../src/activations/types.js';
import { reference, referenceCases, type ReferenceCase } from '../test/support/high-precision.js';
import { hostileInputs, nextDown, nextUp, ulpDistance } from '../test/support/numeric.js';
import { createRandom } from '../src/random.js';

const ZERO_WINDOW = 0.5;
const EPSILON = 2 ** -52;
const BOUND_ULP = 4;

interface Worst {
  error: number;
  x: number;
  got: number;
  want: number;
}

interface CaseStats {
  value: Worst;
  derivative: Worst;
  /** Outside ±ZERO_WINDOW of the derivative's interior zero (same as `derivative` when there is none). */
  derivativeOutside: Worst;
  /** Inside the window: |error| / (2⁻⁵²·(|a| + |b|)). */
  derivativeInsideScaled: Worst;
  valueOverBound: number;
  derivativeOverBound: number;
  points: number;
}

interface WorkerInput {
  index: number;
  workers: number;
  points: number;
  referenceCheck: number;
}

interface WorkerOutput {
  stats: CaseStats[];
  referenceChecked: number;
  referenceDisagreements: string[];
}

// ---------------------------------------------------------------------------
// Inputs

/** Deterministic uniforms in [0, 1) from the service's one seeded generator. */
function seeded(seed: number): () => number {
  const { uniform } = createRandom(seed);
  return uniform;
}


function inputs(count: number): number[] {
  const xs: number[] = [];
  // Corners.
  const corners = new Set<number>(hostileInputs);
  for (const k of [0, 0.5, -0.5, 1, -1, 3, -3, 6, 10, 20, 30, -30, 40, -40]) {
    for (const x of [k, nextUp(k), nextDown(k), nextUp(nextUp(k)), nextDown(nextDown(k))]) corners.add(x);
  }
  for (const x of [2 ** -1022, 2 ** -1023, 1e-320, 2 * Number.MIN_VALUE, 3 * Number.MIN_VALUE, 6 * Number.MIN_VALUE]) {
    corners.add(x);
    corners.add(-x);
  }
  xs.push(...corners);
  // Log sweep: exponent uniform on [−300, 300], both signs.
  const logCount = Math.floor(count * 0.4);
  for (let i = 0; i < logCount / 2; i++) {
    const x = 10 ** (-300 + (600 * (i + 0.5)) / (logCount / 2));
    xs.push(x, -x);
  }
  // Dense sweep of [−40, 40].
  const denseCount = Math.floor(count * 0.35);
  for (let i = 0; i < denseCount; i++) xs.push(-40 + (80 * (i + 0.5)) / denseCount);
  // Derivative-zero windows: ±0.6 around each zero.
  const zeros = [...new Set(referenceCases.flatMap((c) => (c.derivativeZero === undefined ? [] : [c.derivativeZero])))];
  const windowCount = Math.floor((count * 0.05) / zeros.length);
  for (const zero of zeros) for (let i = 0; i < windowCount; i++) xs.push(zero - 0.6 + (1.2 * (i + 0.5)) / windowCount);
  // Seeded pseudo-random inputs of mixed scales.
  const uniform = seeded(20_240_611);
  while (xs.length < count) {
    const kind = xs.length % 4;
    if (kind === 0) xs.push(-45 + 90 * uniform());
    else if (kind === 1) xs.push((uniform() < 0.5 ? -1 : 1) * 10 ** (-300 + 600 * uniform()));
    else if (kind === 2) xs.push((2 * uniform() - 1) * 10 ** (-8 + 11 * uniform()));
    else xs.push((uniform() < 0.5 ? -1 : 1) * (700 + 100 * uniform()));
  }
  return xs;
}

// ---------------------------------------------------------------------------
// Measurement

const emptyWorst = (): Worst => ({ error: -1, x: NaN, got: NaN, want: NaN });

function kernelOf(testCase: ReferenceCase): ScalarKernel {
  const record = activations.find((candidate) => candidate.id === testCase.id);
  if (record === undefined) throw new Error(`the registry has no record ${testCase.id}`);
  return record.kernel(record.paramsSchema.parse({ ...testCase.params }), { mode: 'eval', count: 1, uniform: Math.random });
}

function note(worst: Worst, error: number, x: number, got: number, want: number): void {
  if (error > worst.error || Number.isNaN(error)) Object.assign(worst, { error, x, got, want });
}

function measure(input: WorkerInput): WorkerOutput {
  const xs = inputs(input.points).filter((_, i) => i % input.workers === input.index);
  const kernels = referenceCases.map(kernelOf);
  const stats: CaseStats[] = referenceCases.map(() => ({
    value: emptyWorst(),
    derivative: emptyWorst(),
    derivativeOutside: emptyWorst(),
    derivativeInsideScaled: emptyWorst(),
    valueOverBound: 0,
    derivativeOverBound: 0,
    points: 0,
  }));
  const started = Date.now();
  xs.forEach((x, n) => {
    referenceCases.forEach((testCase, c) => {
      const kernel = kernels[c];
      const s = stats[c];
      if (kernel === undefined || s === undefined) return;
      const want = reference(testCase.id, testCase.params, x);
      const value = kernel.value(x, 0);
      const derivative = kernel.derivative(x, 0);
      const valueUlp = ulpDistance(value, want.value);
      const derivativeUlp = ulpDistance(derivative, want.derivative);
      s.points++;
      note(s.value, valueUlp, x, value, want.value);
      note(s.derivative, derivativeUlp, x, derivative, want.derivative);
      if (valueUlp > BOUND_ULP) s.valueOverBound++;
      const zero = testCase.derivativeZero;
      if (zero !== undefined && Math.abs(x - zero) <= ZERO_WINDOW) {
        const scaled = Math.abs(derivative - want.derivative) / (EPSILON * want.derivativeTerms);
        note(s.derivativeInsideScaled, Number.isNaN(scaled) ? Infinity : scaled, x, derivative, want.derivative);
        if (derivativeUlp > BOUND_ULP && !(scaled <= BOUND_ULP)) s.derivativeOverBound++;
      } else {
        note(s.derivativeOutside, derivativeUlp, x, derivative, want.derivative);
        if (derivativeUlp > BOUND_ULP) s.derivativeOverBound++;
      }
    });
    if (input.index === 0 && n % 2000 === 1999) {
      const done = (n + 1) / xs.length;
      const eta = ((Date.now() - started) / done - (Date.now() - started)) / 1000;
      process.stderr.write(`\r  ${(100 * done).toFixed(1)} % (about ${eta.toFixed(0)} s left)   `);
    }
  });
  // Reference self-consistency: the same float64 at 128 digits as at 64.
  const disagreements: string[] = [];
  const sample = xs.filter((_, i) => i % Math.max(1, Math.floor(xs.length / Math.max(1, input.referenceCheck / input.workers))) === 0);
  let checked = 0;
  for (const x of sample.slice(0, Math.ceil(input.referenceCheck / input.workers))) {
    for (const testCase of referenceCases) {
      const at64 = reference(testCase.id, testCase.params, x);
      const at128 = reference(testCase.id, testCase.params, x, 128);
      checked++;
      if (at64.value !== at128.value) disagreements.push(`${testCase.label} value at ${x}`);
      if (at64.derivative !== at128.derivative) disagreements.push(`${testCase.label} derivative at ${x}`);
    }
  }
  return { stats, referenceChecked: checked, referenceDisagreements: disagreements };
}

// ---------------------------------------------------------------------------
// Merge and print

function merge(a: Worst, b: Worst): Worst {
  return b.error > a.error || Number.isNaN(b.error) ? b : a;
}

const formatError = (w: Worst): string => (w.error < 0 ? '–' : Number.isFinite(w.error) ? String(w.error) : String(w.error));
const formatScaled = (w: Worst): string => (w.error < 0 ? '–' : w.error.toFixed(2));
const formatAt = (w: Worst): string =>
  w.error <= 0 ? '' : `x = ${w.x}: got ${w.got}, true ${w.want}`;

function parseArgs(): { points: number; workers: number; referenceCheck: number } {
  const args = process.argv.slice(2);
  const option = (name: string, fallback: number): number => {
    const i = args.indexOf(`--${name}`);
    const raw = i >= 0 ? args[i + 1] : undefined;
    const value = raw === undefined ? fallback : Number(raw);
    if (!Number.isFinite(value) || value < 0) throw new Error(`--${name} needs a non-negative number`);
    return value;
  };
  return {
    points: option('points', 200_000),
    workers: Math.max(1, Math.floor(option('workers', Math.min(2, availableParallelism())))),
    referenceCheck: option('reference-check', 200),
  };
}

async function main(): Promise<void> {
  const { points, workers, referenceCheck } = parseArgs();
  const started = Date.now();
  process.stderr.write(`Measuring ${referenceCases.length} activation settings at ${points} inputs with ${workers} worker(s)…\n`);
  // One child process per worker (tsx's loader is passed on through execArgv; worker threads would not get it on Node 20).
  const outputs = await Promise.all(
    Array.from(
      { length: workers },
      (_, index) =>
        new Promise<WorkerOutput>((resolve, reject) => {
          const input: WorkerInput = { index, workers, points, referenceCheck };
          const child = fork(fileURLToPath(import.meta.url), ['--worker', JSON.stringify(input)], {
            execArgv: process.execArgv,
          });
          let output: WorkerOutput | undefined;
          child.once('message', (message) => {
            output = message as WorkerOutput;
          });
          child.once('error', reject);
          child.once('exit', (code) => {
            if (code === 0 && output !== undefined) resolve(output);
            else reject(new Error(`worker ${index} exited with code ${code}`));
          });
        }),
    ),
  );
  process.stderr.write('\n');

  const merged = referenceCases.map((_, c) => {
    const parts = outputs.map((o) => o.stats[c]).filter((s): s is CaseStats => s !== undefined);
    return parts.reduce((a, b) => ({
      value: merge(a.value, b.value),
      derivative: merge(a.derivative, b.derivative),
      derivativeOutside: merge(a.derivativeOutside, b.derivativeOutside),
      derivativeInsideScaled: merge(a.derivativeInsideScaled, b.derivativeInsideScaled),
      valueOverBound: a.valueOverBound + b.valueOverBound,
      derivativeOverBound: a.derivativeOverBound + b.derivativeOverBound,
      points: a.points + b.points,
    }));
  });
  const inputsMeasured = merged[0]?.points ?? 0;

  console.log(
    `Accuracy of ${referenceCases.length} activation settings over ${inputsMeasured} inputs each ` +
      `(reference: decimal.js at 64 digits, correctly rounded to float64; errors in ulp).`,
  );
  console.log('');
  const width = Math.max(...referenceCases.map((c) => c.label.length));
  console.log(`${'activation'.padEnd(width)}  ${'value'.padStart(6)}  ${'deriv.'.padStart(6)}  ${'>4ulp'.padStart(6)}  where`);
  referenceCases.forEach((testCase, c) => {
    const s = merged[c];
    if (s === undefined) return;
    const over = s.valueOverBound + s.derivativeOverBound;
    console.log(
      `${testCase.label.padEnd(width)}  ${formatError(s.value).padStart(6)}  ${formatError(s.derivativeOutside).padStart(6)}  ${String(over).padStart(6)}  ` +
        `value ${formatAt(s.value) || 'exact everywhere'}`,
    );
    console.log(`${''.padEnd(width + 28)}derivative ${formatAt(s.derivativeOutside) || 'exact everywhere'}`);
    if (testCase.derivativeZero !== undefined) {
      console.log(
        `${''.padEnd(width + 28)}within ±${ZERO_WINDOW} of the zero of f' at ${testCase.derivativeZero.toFixed(4)}: ` +
          `${formatScaled(s.derivativeInsideScaled)}·2⁻⁵²·(|a| + |b|) at ${formatAt(s.derivativeInsideScaled) || '–'}` +
          ` (in ulp, including the zero itself: ${formatError(s.derivative)})`,
      );
    }
  });

  const worstOf = (pick: (s: CaseStats) => Worst): { worst: Worst; label: string } =>
    merged.reduce<{ worst: Worst; label: string }>(
      (acc, s, c) => {
        const w = pick(s);
        return w.error > acc.worst.error || Number.isNaN(w.error) ? { worst: w, label: referenceCases[c]?.label ?? '?' } : acc;
      },
      { worst: emptyWorst(), label: '' },
    );
  const value = worstOf((s) => s.value);
  const derivative = worstOf((s) => s.derivativeOutside);
  const inside = worstOf((s) => s.derivativeInsideScaled);
  const overTotal = merged.reduce((n, s) => n + s.valueOverBound + s.derivativeOverBound, 0);
  console.log('');
  console.log(`Overall maximum, value:      ${formatError(value.worst)} ulp (${value.label}, ${formatAt(value.worst)})`);
  console.log(
    `Overall maximum, derivative: ${formatError(derivative.worst)} ulp (${derivative.label}, ${formatAt(derivative.worst)})` +
      ` — outside ±${ZERO_WINDOW} of the interior zeros of f'`,
  );
  console.log(
    `Near the interior zeros of f': ${formatScaled(inside.worst)}·2⁻⁵²·(|a| + |b|) (${inside.label}, ${formatAt(inside.worst)})`,
  );
  console.log(`Results beyond ${BOUND_ULP} ulp (the accuracy test's bound): ${overTotal}`);
  const checked = outputs.reduce((n, o) => n + o.referenceChecked, 0);
  const disagreements = outputs.flatMap((o) => o.referenceDisagreements);
  if (checked > 0) {
    console.log(
      `Reference self-check: ${checked} results recomputed at 128 digits, ${disagreements.length} differ from 64 digits` +
        (disagreements.length > 0 ? `: ${disagreements.slice(0, 10).join('; ')}` : '.'),
    );
  }
  console.log(`(${((Date.now() - started) / 1000).toFixed(0)} s)`);
}

const workerFlag = process.argv.indexOf('--worker');
if (workerFlag >= 0) {
  const input = JSON.parse(process.argv[workerFlag + 1] ?? '{}') as WorkerInput;
  const output = measure(input);
  process.send?.(output, () => process.disconnect());
} else {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
