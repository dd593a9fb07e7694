/**
 * Fitting the cost model's rates to measured times (bench/cost.ts), and
 * pricing with fitted rates. Pure functions: no I/O, no timing.
 */
import type { Work } from '../../src/requests/cost.js';
import { calibration } from '../../src/requests/calibration.js';

export type Rates = { -readonly [Key in keyof typeof calibration]: number };

/** The rates that price time (bytesPerPass prices memory and is not fitted here). */
type TimeRate = Exclude<keyof Rates, 'bytesPerPass'>;

/** One column of the design matrix: a part of the Work, and the rate it sets (seconds per unit = 1 / rate, or seconds as they are). */
interface Term {
  rate: TimeRate;
  /** Units of this term in a Work. */
  units: (work: Work) => number;
  /** true: the rate is "per second" (units / rate = seconds); false: the rate is seconds per unit. */
  perSecond: boolean;
}

const terms: Term[] = [
  { rate: 'fixedSeconds', units: () => 1, perSecond: false },
  { rate: 'engineFlopsPerSecond', units: (work) => work.engineFlops, perSecond: true },
  { rate: 'scalarFlopsPerSecond', units: (work) => work.scalarFlops, perSecond: true },
  { rate: 'decompositionFlopsPerSecond', units: (work) => work.decompositionFlops, perSecond: true },
  { rate: 'elementOpsPerSecond', units: (work) => work.elementOps, perSecond: true },
  { rate: 'secondsPerPass', units: (work) => work.passes, perSecond: false },
  { rate: 'chartSeconds', units: (work) => (work.chartMarks > 0 ? 1 : 0), perSecond: false },
  { rate: 'secondsPerChartMark', units: (work) => work.chartMarks, perSecond: false },
  { rate: 'secondsPerPixel', units: (work) => work.pixels, perSecond: false },
  { rate: 'secondsPerAnswerByte', units: (work) => work.answerBytes, perSecond: false },
];

/** Estimated seconds of a Work under `rates` (the formula of src/requests/cost.ts priceOf). */
export function secondsOf(work: Work, rates: Rates): number {
  return terms.reduce((total, term) => {
    const units = term.units(work);
    if (units === 0) return total;
    return total + (term.perSecond ? units / rates[term.rate] : units * rates[term.rate]);
  }, 0);
}

export interface Observation {
  work: Work;
  seconds: number;
}

/**
 * The rates that minimise the squared *relative* error Σ((estimate − real)/real)²
 * over the observations, every seconds-per-unit coefficient ≥ 0 (non-negative
 * least squares by cyclic coordinate descent; ten unknowns). A term no
 * observation exercises keeps its current rate. A rate fitted to 0 (its term
 * explained by the others) is kept at its current value too, so that a request
 * made mostly of it is still priced.
 */
export function fitRates(observations: readonly Observation[], current: Rates): Rates {
  const columns = terms.map((term) => observations.map((observation) => term.units(observation.work) / observation.seconds));
  const used = columns.map((column) => column.some((value) => value > 0));
  const coefficients = terms.map((term) => (term.perSecond ? 1 / current[term.rate] : current[term.rate]));
  const residual = observations.map((_, row) => 1 - columns.reduce((total, column, index) => total + (column[row] as number) * (coefficients[index] as number), 0));
  for (let sweep = 0; sweep < 5000; sweep++) {
    let largestStep = 0;
    columns.forEach((column, index) => {
      if (!used[index]) return;
      let dot = 0;
      let squared = 0;
      for (let row = 0; row < column.length; row++) {
        dot += (column[row] as number) * (residual[row] as number);
        squared += (column[row] as number) ** 2;
      }
      const before = coefficients[index] as number;
      const after = Math.max(0, before + dot / squared);
      const step = after - before;
      if (step === 0) return;
      coefficients[index] = after;
      for (let row = 0; row < column.length; row++) residual[row] = (residual[row] as number) - step * (column[row] as number);
      largestStep = Math.max(largestStep, Math.abs(step) / Math.max(after, before));
    });
    if (largestStep < 1e-9) break;
  }
  const fitted = { ...current };
  terms.forEach((term, index) => {
    const coefficient = coefficients[index] as number;
    if (!used[index] || coefficient === 0) return;
    fitted[term.rate] = term.perSecond ? 1 / coefficient : coefficient;
  });
  return fitted;
}

/** Rates rounded to three significant figures, as a block to paste into src/requests/calibration.ts. */
export function ratesBlock(rates: Rates): string {
  return Object.entries(rates)
    .map(([name, value]) => `  ${name}: ${Number(value.toPrecision(3)).toExponential().replace('e+0', '').replace('e+', 'e').replace(/\.?0+e/, 'e')},`)
    .join('\n');
}
