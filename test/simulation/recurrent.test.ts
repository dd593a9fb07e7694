import { beforeAll, describe, expect, it } from 'vitest';
import { resolveActivation } from '../../src/activations/resolve.js';
import { initLinalg } from '../../src/linalg/matmul.js';
import {
  estimateRecurrentCost,
  type LstmSpec,
  RecurrentOverflowError,
  type RecurrentResult,
  type RecurrentSpec,
  type RnnSpec,
  simulateRecurrent,
} from '../../src/simulation/recurrent/index.js';
import { EXPLODING_LOG10_RATIO, VANISHING_LOG10_RATIO } from '../../src/simulation/thresholds.js';

beforeAll(async () => {
  await initLinalg();
});

const tanh = resolveActivation('tanh');

/** The analytic ∂L/∂h_t (or ∂L/∂c_t) for every t, unscaled, from the simulator's observer. */
function analyticGradients(spec: RecurrentSpec, state: 'hidden' | 'cell'): Map<number, Float64Array> {
  const gradients = new Map<number, Float64Array>();
  simulateRecurrent(spec, {
    observer: (t, gradient) => {
      const scaled = state === 'hidden' ? gradient.hidden : gradient.cell;
      if (scaled === undefined) throw new Error('the observer saw no cell gradient');
      gradients.set(t, Float64Array.from(scaled, (value) => value * 2 ** gradient.log2Scale));
    },
  });
  return gradients;
}

/** ∂L/∂(state at t) by central differences: the perturbation is injected into the state at step t. */
function finiteDifferenceGradient(spec: RecurrentSpec, t: number, state: 'hidden' | 'cell'): Float64Array {
  const size = (spec.batchSize ?? 0) * spec.hiddenSize;
  const step = 1e-5;
  const gradient = new Float64Array(size);
  const lossWith = (index: number, shift: number): number => {
    const delta = new Float64Array(size);
    delta[index] = shift;
    return simulateRecurrent(spec, { injection: { t, state, delta } }).summary.loss;
  };
  for (let index = 0; index < size; index += 1) gradient[index] = (lossWith(index, step) - lossWith(index, -step)) / (2 * step);
  return gradient;
}

function relativeError(actual: Float64Array, expected: Float64Array): number {
  let difference = 0;
  let reference = 0;
  expected.forEach((value, k) => {
    difference += ((actual[k] as number) - value) ** 2;
    reference += value ** 2;
  });
  return Math.sqrt(difference / reference);
}

/** A figure the test expects to be present. */
function definite(value: number | null | undefined): number {
  if (value === null || value === undefined) throw new Error('expected a number');
  return value;
}

function norm(values: Float64Array): number {
  return Math.sqrt(values.reduce((sum, value) => sum + value * value, 0));
}

/** The largest error over every step, and the reported norms checked against the finite differences on the way. */
function largestGradientError(spec: RecurrentSpec, state: 'hidden' | 'cell'): number {
  const analytic = analyticGradients(spec, state);
  const steps = simulateRecurrent(spec).steps;
  let largest = 0;
  for (let t = 1; t <= spec.steps; t += 1) {
    const numeric = finiteDifferenceGradient(spec, t, state);
    largest = Math.max(largest, relativeError(analytic.get(t) ?? new Float64Array(0), numeric));
    const step = steps[t - 1];
    const reported = state === 'hidden' ? step?.gradientNorm : step && 'cellGradientNorm' in step ? step.cellGradientNorm : undefined;
    expect(reported).toBeCloseTo(norm(numeric), 8);
  }
  return largest;
}

/** log10 ‖∂L/∂h_{t−1}‖ − log10 ‖∂L/∂h_t‖ for t = T … 2: the gain of each step back. */
function gainsGoingBack(result: RecurrentResult): number[] {
  const log10 = result.steps.map((step) => definite(step.log10GradientNorm));
  return log10.slice(0, -1).map((value, index) => value - (log10[index + 1] as number));
}

const tiny = { inputSize: 3, hiddenSize: 4, steps: 6, batchSize: 2, seed: 7, precision: 'float64' } as const;
const hundredSteps = { inputSize: 8, hiddenSize: 32, batchSize: 8, steps: 100, seed: 3 } as const;

describe('simulateRecurrent', () => {
  describe('gradients through time, against central finite differences (float64)', () => {
    it('gets ∂L/∂h_t of a tiny tanh RNN right at every step to 1e−6', () => {
      expect(largestGradientError({ ...tiny, cell: 'rnn', activation: tanh }, 'hidden')).toBeLessThan(1e-6);
    });

    it('gets ∂L/∂h_t of a tiny GELU RNN with Gaussian weights right at every step to 1e−6', () => {
      const spec: RnnSpec = { ...tiny, cell: 'rnn', activation: resolveActivation('gelu'), recurrentInit: { scheme: 'normal', std: 0.8 } };
      expect(largestGradientError(spec, 'hidden')).toBeLessThan(1e-6);
    });

    it('gets ∂L/∂h_t and ∂L/∂c_t of a tiny LSTM right at every step to 1e−6', () => {
      const spec: LstmSpec = { ...tiny, cell: 'lstm' };
      expect(largestGradientError(spec, 'hidden')).toBeLessThan(1e-6);
      expect(largestGradientError(spec, 'cell')).toBeLessThan(1e-6);
    });

    it('gets ∂L/∂h_t of a tiny GRU right at every step to 1e−6', () => {
      expect(largestGradientError({ ...tiny, cell: 'gru' }, 'hidden')).toBeLessThan(1e-6);
    });

    it('gets ∂L/∂h_t of a GRU with large Gaussian recurrent weights (gates far from ½) right to 1e−6', () => {
      expect(largestGradientError({ ...tiny, cell: 'gru', recurrentInit: { scheme: 'normal', std: 1.5 }, seed: 13 }, 'hidden')).toBeLessThan(1e-6);
    });

    it('gets the gradients of an LSTM with a negative forget bias and uniform weights right to 1e−6', () => {
      const spec: LstmSpec = { ...tiny, cell: 'lstm', forgetBias: -2, recurrentInit: { scheme: 'uniform', bound: 0.7 }, seed: 11 };
      expect(largestGradientError(spec, 'hidden')).toBeLessThan(1e-6);
      expect(largestGradientError(spec, 'cell')).toBeLessThan(1e-6);
    });
  });

  describe('recurrent bounds', () => {
    it('cannot let the gradient grow going back through tanh and an orthogonal W_h of gain 0.9', () => {
      const gain = 0.9;
      const result = simulateRecurrent({ ...hundredSteps, cell: 'rnn', activation: tanh, recurrentInit: { scheme: 'orthogonal', gain } });
      // |tanh′| ≤ 1 and ‖W_hᵀ‖₂ = g, so every step back multiplies the norm by at most g (float32 products: 1e−5 slack).
      for (const stepGain of gainsGoingBack(result)) expect(stepGain).toBeLessThanOrEqual(Math.log10(gain) + 1e-5);
      expect(result.summary.verdict).toBe('vanishing');
    });

    it('grows the gradient by the gain at every step through a linear activation and an orthogonal W_h of gain 1.1', () => {
      const gain = 1.1;
      const spec: RnnSpec = { ...hundredSteps, steps: 60, cell: 'rnn', activation: resolveActivation('identity'), recurrentInit: { scheme: 'orthogonal', gain } };
      const result = simulateRecurrent(spec);
      for (const stepGain of gainsGoingBack(result)) expect(stepGain).toBeCloseTo(Math.log10(gain), 5);
      expect(result.summary.meanLog10GainPerStep).toBeCloseTo(Math.log10(gain), 6);
      expect(result.summary.log10GradientRatio).toBeGreaterThan(EXPLODING_LOG10_RATIO);
      expect(result.summary.verdict).toBe('exploding');
    });

    it('calls a ratio between the thresholds stable', () => {
      const spec: RnnSpec = { ...hundredSteps, steps: 20, cell: 'rnn', activation: resolveActivation('identity') };
      const { summary } = simulateRecurrent(spec);
      expect(summary.log10GradientRatio).toBeGreaterThan(VANISHING_LOG10_RATIO);
      expect(summary.log10GradientRatio).toBeLessThan(EXPLODING_LOG10_RATIO);
      expect(summary.verdict).toBe('stable');
    });
  });

  describe('LSTM and RNN over 100 steps', () => {
    it('keeps far more gradient at t = 1 in an LSTM with forget bias 1 than with forget bias −3', () => {
      const open = simulateRecurrent({ ...hundredSteps, cell: 'lstm', forgetBias: 1 });
      const shut = simulateRecurrent({ ...hundredSteps, cell: 'lstm', forgetBias: -3 });
      // About 10^−6.5 against 10^−60 with this seed.
      expect(definite(open.summary.log10GradientRatio) - definite(shut.summary.log10GradientRatio)).toBeGreaterThan(30);
      expect(open.steps[0]?.gates.forget).toBeGreaterThan(0.6);
      expect(shut.steps[0]?.gates.forget).toBeLessThan(0.1);
    });

    it('lets the gradient of a tanh RNN vanish more than that of an LSTM with forget bias 1', () => {
      const rnn = simulateRecurrent({ ...hundredSteps, cell: 'rnn', activation: tanh });
      const lstm = simulateRecurrent({ ...hundredSteps, cell: 'lstm' });
      // About 10^−14.4 against 10^−6.5 with this seed.
      expect(definite(lstm.summary.log10GradientRatio) - definite(rnn.summary.log10GradientRatio)).toBeGreaterThan(4);
    });
  });

  describe('range', () => {
    it('reports exact finite log10 norms for a 1000-step sigmoid RNN whose plain norms underflow to 0', () => {
      const spec: RnnSpec = { inputSize: 4, hiddenSize: 16, batchSize: 4, steps: 1000, seed: 1, cell: 'rnn', activation: resolveActivation('sigmoid') };
      const result = simulateRecurrent(spec);
      const first = result.steps[0];
      expect(first?.gradientNorm).toBe(0);
      expect(first?.log10GradientNorm).toBeLessThan(-400);
      for (const step of result.steps) {
        expect(Number.isFinite(step.log10GradientNorm)).toBe(true);
        expect(Number.isFinite(step.gradientNorm)).toBe(true);
      }
      expect(result.summary.log10GradientRatio).toBeLessThan(-400);
      expect(result.summary.meanLog10GainPerStep).toBeLessThan(-0.4);
      // The float64 run agrees: the rescaling loses nothing.
      const exact = simulateRecurrent({ ...spec, precision: 'float64' });
      expect(exact.steps[0]?.log10GradientNorm).toBeCloseTo(definite(first?.log10GradientNorm), 3);
    });

    it('reports an exact log10 and a null plain norm for a gradient that explodes past float64', () => {
      // tanh with an orthogonal W_h of gain 3 is chaotic: about +0.11 decades per step back.
      const spec: RnnSpec = { inputSize: 4, hiddenSize: 48, batchSize: 4, steps: 4000, seed: 1, cell: 'rnn', activation: tanh, recurrentInit: { scheme: 'orthogonal', gain: 3 } };
      const result = simulateRecurrent(spec);
      expect(result.steps[0]?.gradientNorm).toBeNull();
      expect(result.steps[0]?.log10GradientNorm).toBeGreaterThan(320);
      expect(result.summary.verdict).toBe('exploding');
    });

    it('reports a null log10, never NaN, for a gradient that is exactly zero, and calls it vanishing', () => {
      const result = simulateRecurrent({ ...hundredSteps, steps: 5, cell: 'rnn', activation: tanh, recurrentInit: { scheme: 'zeros' } });
      expect(result.steps.map((step) => step.log10GradientNorm).slice(0, 4)).toEqual([null, null, null, null]);
      expect(result.steps[0]?.gradientNorm).toBe(0);
      expect(result.summary).toMatchObject({ log10GradientRatio: null, meanLog10GainPerStep: null, verdict: 'vanishing' });
    });

    it('throws RecurrentOverflowError when the hidden state leaves the float32 range', () => {
      const spec: RnnSpec = { ...hundredSteps, steps: 300, cell: 'rnn', activation: resolveActivation('identity'), recurrentInit: { scheme: 'orthogonal', gain: 2 } };
      expect(() => simulateRecurrent(spec)).toThrow(RecurrentOverflowError);
    });
  });

  describe('precision and reproducibility', () => {
    it('gives bit-identical results for the same spec and seed', () => {
      for (const spec of [{ ...hundredSteps, cell: 'lstm' }, { ...hundredSteps, cell: 'rnn', activation: tanh }] satisfies RecurrentSpec[]) {
        expect(simulateRecurrent(spec)).toStrictEqual(simulateRecurrent(spec));
      }
    });

    it('draws other data and weights for another seed', () => {
      const spec: LstmSpec = { ...hundredSteps, steps: 10, cell: 'lstm' };
      expect(simulateRecurrent({ ...spec, seed: 4 }).summary.loss).not.toBe(simulateRecurrent(spec).summary.loss);
    });

    it('agrees with float64 on every log10 norm to 1e−5 over 100 steps', () => {
      for (const spec of [{ ...hundredSteps, cell: 'lstm' }, { ...hundredSteps, cell: 'rnn', activation: tanh }] satisfies RecurrentSpec[]) {
        const single = simulateRecurrent(spec);
        const double = simulateRecurrent({ ...spec, precision: 'float64' });
        single.steps.forEach((step, index) => {
          expect(step.log10GradientNorm).toBeCloseTo(definite(double.steps[index]?.log10GradientNorm), 5);
        });
      }
    });
  });

  describe('per-step report', () => {
    it('numbers the steps 1 … T and keeps the LSTM gate means in their ranges', () => {
      const result = simulateRecurrent({ ...hundredSteps, steps: 12, cell: 'lstm' });
      expect(result).toMatchObject({ cell: 'lstm', seed: hundredSteps.seed, precision: 'float32' });
      expect(result.steps.map((step) => step.t)).toEqual(Array.from({ length: 12 }, (_, index) => index + 1));
      for (const { gates, hidden, cellGradientNorm, log10CellGradientNorm } of result.steps) {
        for (const gate of [gates.input, gates.forget, gates.output]) {
          expect(gate).toBeGreaterThan(0);
          expect(gate).toBeLessThan(1);
        }
        expect(Math.abs(gates.candidate)).toBeLessThan(1);
        expect(hidden.std).toBeGreaterThan(0);
        expect(Math.log10(definite(cellGradientNorm))).toBeCloseTo(definite(log10CellGradientNorm), 10);
      }
    });

    it('counts saturated units: a sigmoid RNN driven by large inputs saturates, a linear one never does', () => {
      const loud = simulateRecurrent({ ...hundredSteps, steps: 5, cell: 'rnn', activation: resolveActivation('sigmoid'), inputInit: { scheme: 'normal', std: 10 } });
      const linear = simulateRecurrent({ ...hundredSteps, steps: 5, cell: 'rnn', activation: resolveActivation('identity') });
      expect(loud.steps[4]?.fractionSaturated).toBeGreaterThan(0.5);
      expect(linear.steps.every((step) => step.fractionSaturated === 0)).toBe(true);
    });

    it('rejects a non-positive size', () => {
      expect(() => simulateRecurrent({ ...hundredSteps, steps: 0, cell: 'lstm' })).toThrow(RangeError);
    });
  });
});

describe('estimateRecurrentCost', () => {
  it('grows with the steps and counts four gate products for the LSTM', () => {
    const rnn = estimateRecurrentCost({ ...hundredSteps, cell: 'rnn', activation: tanh });
    const longer = estimateRecurrentCost({ ...hundredSteps, steps: 200, cell: 'rnn', activation: tanh });
    const lstm = estimateRecurrentCost({ ...hundredSteps, cell: 'lstm' });
    expect(longer.flops).toBeGreaterThan(1.9 * rnn.flops);
    expect(longer.bytes).toBeGreaterThan(1.5 * rnn.bytes);
    expect(lstm.flops).toBeGreaterThan(4 * rnn.flops);
    expect(lstm.bytes).toBeGreaterThan(3 * rnn.bytes);
  });
});
