import { beforeAll, describe, expect, it } from 'vitest';
import { resolveActivation } from '../../../src/activations/resolve.js';
import { initLinalg } from '../../../src/linalg/matmul.js';
import { NetworkShapeError } from '../../../src/simulation/errors.js';
import { type RecurrentResult, type RecurrentSpec, simulateRecurrent } from '../../../src/simulation/recurrent/index.js';

/**
 * Explicit weights in PyTorch's layout, checked against a reference written
 * here from PyTorch's equations (torch.nn.RNN, LSTM and GRU, one layer,
 * h_0 = c_0 = 0): plain number arrays, one sequence at a time, column-vector
 * products W·x as PyTorch writes them, forward and backward through time with
 * no rescaling. It shares nothing with the simulator but the equations.
 */

beforeAll(async () => {
  await initLinalg();
});

type Vector = number[];
type Matrix = number[][];
type Cell = 'rnn' | 'lstm' | 'gru';

interface TorchWeights {
  weightIh: Matrix;
  weightHh: Matrix;
  biasIh: Vector;
  biasHh: Vector;
}

interface Reference {
  loss: number;
  /** ‖∂L/∂h_t‖_F over the batch, t = 1 … T. */
  hiddenGradientNorms: number[];
  /** LSTM: ‖∂L/∂c_t‖_F. */
  cellGradientNorms: number[];
  /** Per step, each gate's mean over the batch and the units, in PyTorch's gate order. */
  gateMeans: number[][];
  hiddenMeans: number[];
}

const sigma = (x: number): number => 1 / (1 + Math.exp(-x));
const times = (matrix: Matrix, vector: Vector): Vector => matrix.map((row) => row.reduce((sum, w, k) => sum + w * (vector[k] as number), 0));
const timesTransposed = (matrix: Matrix, vector: Vector): Vector =>
  (matrix[0] as Vector).map((_, column) => matrix.reduce((sum, row, r) => sum + (row[column] as number) * (vector[r] as number), 0));
const plus = (...vectors: Vector[]): Vector => (vectors[0] as Vector).map((_, k) => vectors.reduce((sum, vector) => sum + (vector[k] as number), 0));
const block = (vector: Vector, gate: number, size: number): Vector => vector.slice(gate * size, (gate + 1) * size);
const frobenius = (rows: Vector[]): number => Math.sqrt(rows.flat().reduce((sum, value) => sum + value * value, 0));
const mean = (values: number[]): number => values.reduce((sum, value) => sum + value, 0) / values.length;

/** One sequence's states at one step, what the backward pass needs. */
interface StepRecord {
  previousHidden: Vector;
  previousCell: Vector;
  cell: Vector;
  /** The gate activations in PyTorch's order (RNN: h itself). */
  gates: Vector[];
  /** GRU: W_hn h + b_hn. */
  candidateRecurrent: Vector;
}

/**
 * x[t][b] the inputs, targets[b] = Y. φ is tanh or relu for the RNN (PyTorch's
 * two nonlinearities).
 */
function reference(cell: Cell, weights: TorchWeights, x: Matrix[], targets: Matrix, nonlinearity: 'tanh' | 'relu' = 'tanh'): Reference {
  const hiddenSize = weights.weightHh[0]?.length as number;
  const batchSize = targets.length;
  const steps = x.length;
  const records: StepRecord[][] = [];
  let hidden: Matrix = targets.map(() => new Array<number>(hiddenSize).fill(0));
  let cells: Matrix = targets.map(() => new Array<number>(hiddenSize).fill(0));
  for (let t = 0; t < steps; t += 1) {
    const stepRecords: StepRecord[] = [];
    const nextHidden: Matrix = [];
    const nextCells: Matrix = [];
    for (let b = 0; b < batchSize; b += 1) {
      const h = hidden[b] as Vector;
      const c = cells[b] as Vector;
      const inputPart = plus(times(weights.weightIh, x[t]?.[b] as Vector), weights.biasIh);
      const hiddenPart = plus(times(weights.weightHh, h), weights.biasHh);
      const sum = plus(inputPart, hiddenPart);
      if (cell === 'rnn') {
        const next = sum.map((a) => (nonlinearity === 'tanh' ? Math.tanh(a) : Math.max(0, a)));
        stepRecords.push({ previousHidden: h, previousCell: c, cell: c, gates: [next], candidateRecurrent: [] });
        nextHidden.push(next);
        nextCells.push(c);
      } else if (cell === 'lstm') {
        const [i, f, g, o] = [0, 1, 2, 3].map((gate) => block(sum, gate, hiddenSize).map(gate === 2 ? Math.tanh : sigma)) as [Vector, Vector, Vector, Vector];
        const nextCell = c.map((value, k) => (f[k] as number) * value + (i[k] as number) * (g[k] as number));
        stepRecords.push({ previousHidden: h, previousCell: c, cell: nextCell, gates: [i, f, g, o], candidateRecurrent: [] });
        nextHidden.push(nextCell.map((value, k) => (o[k] as number) * Math.tanh(value)));
        nextCells.push(nextCell);
      } else {
        const r = plus(block(inputPart, 0, hiddenSize), block(hiddenPart, 0, hiddenSize)).map(sigma);
        const z = plus(block(inputPart, 1, hiddenSize), block(hiddenPart, 1, hiddenSize)).map(sigma);
        const candidateRecurrent = block(hiddenPart, 2, hiddenSize);
        const n = block(inputPart, 2, hiddenSize).map((value, k) => Math.tanh(value + (r[k] as number) * (candidateRecurrent[k] as number)));
        stepRecords.push({ previousHidden: h, previousCell: c, cell: c, gates: [r, z, n], candidateRecurrent });
        nextHidden.push(n.map((value, k) => (1 - (z[k] as number)) * value + (z[k] as number) * (h[k] as number)));
        nextCells.push(c);
      }
    }
    records.push(stepRecords);
    hidden = nextHidden;
    cells = nextCells;
  }
  const finalHidden = hidden;
  const loss = finalHidden.reduce((sum, h, b) => sum + h.reduce((rowSum, value, k) => rowSum + (value - (targets[b]?.[k] as number)) ** 2, 0), 0) / (2 * batchSize);

  const hiddenGradientNorms = new Array<number>(steps).fill(0);
  const cellGradientNorms = new Array<number>(steps).fill(0);
  let hiddenGradient: Matrix = finalHidden.map((h, b) => h.map((value, k) => (value - (targets[b]?.[k] as number)) / batchSize));
  const carriedCellGradient: Matrix = targets.map(() => new Array<number>(hiddenSize).fill(0));
  for (let t = steps - 1; t >= 0; t -= 1) {
    hiddenGradientNorms[t] = frobenius(hiddenGradient);
    const previousHiddenGradient: Matrix = [];
    const cellGradient: Matrix = [];
    for (let b = 0; b < batchSize; b += 1) {
      const record = records[t]?.[b] as StepRecord;
      const dh = hiddenGradient[b] as Vector;
      if (cell === 'rnn') {
        const next = record.gates[0] as Vector;
        const derivative = next.map((value) => (nonlinearity === 'tanh' ? 1 - value * value : value > 0 ? 1 : 0));
        previousHiddenGradient.push(timesTransposed(weights.weightHh, dh.map((value, k) => value * (derivative[k] as number))));
      } else if (cell === 'lstm') {
        const [i, f, g, o] = record.gates as [Vector, Vector, Vector, Vector];
        const dc = dh.map((value, k) => value * (o[k] as number) * (1 - Math.tanh(record.cell[k] as number) ** 2) + (carriedCellGradient[b]?.[k] as number));
        cellGradient.push(dc);
        const di = dc.map((value, k) => value * (g[k] as number) * (i[k] as number) * (1 - (i[k] as number)));
        const df = dc.map((value, k) => value * (record.previousCell[k] as number) * (f[k] as number) * (1 - (f[k] as number)));
        const dg = dc.map((value, k) => value * (i[k] as number) * (1 - (g[k] as number) ** 2));
        const dout = dh.map((value, k) => value * Math.tanh(record.cell[k] as number) * (o[k] as number) * (1 - (o[k] as number)));
        previousHiddenGradient.push(timesTransposed(weights.weightHh, [...di, ...df, ...dg, ...dout]));
        (carriedCellGradient[b] as Vector).splice(0, hiddenSize, ...dc.map((value, k) => value * (f[k] as number)));
      } else {
        const [r, z, n] = record.gates as [Vector, Vector, Vector];
        const dn = dh.map((value, k) => value * (1 - (z[k] as number)) * (1 - (n[k] as number) ** 2));
        const dz = dh.map((value, k) => value * ((record.previousHidden[k] as number) - (n[k] as number)) * (z[k] as number) * (1 - (z[k] as number)));
        const dr = dn.map((value, k) => value * (record.candidateRecurrent[k] as number) * (r[k] as number) * (1 - (r[k] as number)));
        const dCandidateRecurrent = dn.map((value, k) => value * (r[k] as number));
        const throughWeights = timesTransposed(weights.weightHh, [...dr, ...dz, ...dCandidateRecurrent]);
        previousHiddenGradient.push(throughWeights.map((value, k) => value + (dh[k] as number) * (z[k] as number)));
      }
    }
    if (cell === 'lstm') cellGradientNorms[t] = frobenius(cellGradient);
    hiddenGradient = previousHiddenGradient;
  }

  const gateMeans = records.map((stepRecords) => {
    if (cell === 'rnn') return [];
    const gateCount = cell === 'lstm' ? 4 : 3;
    return Array.from({ length: gateCount }, (_, gate) => mean(stepRecords.flatMap((record) => record.gates[gate] as Vector)));
  });
  // h_t = the next step's previous hidden state, and the final hidden state for t = T.
  const hiddenMeans = records.map((_, t) => mean((t + 1 < steps ? (records[t + 1] as StepRecord[]).map((record) => record.previousHidden) : finalHidden).flat()));
  return { loss, hiddenGradientNorms, cellGradientNorms, gateMeans, hiddenMeans };
}

/** Uniform numbers in (−scale, scale) from a fixed linear congruential sequence: test data, not a random source of the service. */
function numbers(seed: number): (scale: number) => number {
  let state = seed;
  return (scale) => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return scale * (2 * (state / 2 ** 31) - 1);
  };
}

const sizes = { inputSize: 4, hiddenSize: 5, steps: 12, batchSize: 3 } as const;
const gateCounts: Record<Cell, number> = { rnn: 1, lstm: 4, gru: 3 };

function torchWeights(cell: Cell, seed: number, scale = 0.6): TorchWeights {
  const draw = numbers(seed);
  const rows = gateCounts[cell] * sizes.hiddenSize;
  const matrix = (columns: number): Matrix => Array.from({ length: rows }, () => Array.from({ length: columns }, () => draw(scale)));
  return { weightIh: matrix(sizes.inputSize), weightHh: matrix(sizes.hiddenSize), biasIh: Array.from({ length: rows }, () => draw(0.5)), biasHh: Array.from({ length: rows }, () => draw(0.5)) };
}

const draw = numbers(2024);
const inputValues: Matrix[] = Array.from({ length: sizes.steps }, () => Array.from({ length: sizes.batchSize }, () => Array.from({ length: sizes.inputSize }, () => draw(1.5))));
const targets: Matrix = Array.from({ length: sizes.batchSize }, () => Array.from({ length: sizes.hiddenSize }, () => draw(1)));

function explicitSpec(cell: Cell, weights: TorchWeights, extra: Partial<RecurrentSpec> = {}): RecurrentSpec {
  const common = { inputSize: sizes.inputSize, hiddenSize: sizes.hiddenSize, steps: sizes.steps, weights, input: { values: inputValues }, loss: { targets }, ...extra };
  return cell === 'rnn' ? ({ ...common, cell, activation: resolveActivation('tanh') } as RecurrentSpec) : ({ ...common, cell } as RecurrentSpec);
}

const relative = (actual: number, expected: number): number => Math.abs(actual - expected) / Math.abs(expected);

/** The largest relative deviation of every compared figure. */
function largestDeviation(result: RecurrentResult, expected: Reference): number {
  const deviations = [relative(result.summary.loss, expected.loss)];
  result.steps.forEach((step, index) => {
    deviations.push(relative(step.gradientNorm as number, expected.hiddenGradientNorms[index] as number));
    deviations.push(Math.abs((step.log10GradientNorm as number) - Math.log10(expected.hiddenGradientNorms[index] as number)));
    deviations.push(Math.abs(step.hidden.mean - (expected.hiddenMeans[index] as number)));
    if ('cellGradientNorm' in step) deviations.push(relative(step.cellGradientNorm as number, expected.cellGradientNorms[index] as number));
    if ('gates' in step) Object.values(step.gates).forEach((value, gate) => deviations.push(relative(value, expected.gateMeans[index]?.[gate] as number)));
  });
  return Math.max(...deviations);
}

describe('simulateRecurrent with explicit weights, inputs and targets', () => {
  describe('against a float64 reference written from PyTorch\'s equations', () => {
    it.each([
      ['a tanh RNN', 'rnn'],
      ['an LSTM', 'lstm'],
      ['a GRU', 'gru'],
    ] as const)('reproduces %s: every ‖∂L/∂h_t‖, the loss and the gate means to 1e−12', (_name, cell) => {
      const weights = torchWeights(cell, 7);
      const result = simulateRecurrent(explicitSpec(cell, weights));
      expect(result.precision).toBe('float64');
      expect(result.steps).toHaveLength(sizes.steps);
      expect(largestDeviation(result, reference(cell, weights, inputValues, targets))).toBeLessThan(1e-12);
    });

    it('reproduces a ReLU RNN, PyTorch\'s other nonlinearity, to 1e−12', () => {
      const weights = torchWeights('rnn', 8);
      const result = simulateRecurrent({ ...explicitSpec('rnn', weights), cell: 'rnn', activation: resolveActivation('relu') });
      expect(largestDeviation(result, reference('rnn', weights, inputValues, targets, 'relu'))).toBeLessThan(1e-12);
    });

    it('reproduces the LSTM\'s ‖∂L/∂c_t‖ at every step to 1e−12', () => {
      const weights = torchWeights('lstm', 9);
      const result = simulateRecurrent(explicitSpec('lstm', weights));
      const expected = reference('lstm', weights, inputValues, targets);
      result.steps.forEach((step, index) => {
        expect(relative('cellGradientNorm' in step ? (step.cellGradientNorm as number) : NaN, expected.cellGradientNorms[index] as number)).toBeLessThan(1e-12);
      });
    });

    it('reproduces a GRU with large weights (saturated gates, a gradient that vanishes over the steps) to 1e−12', () => {
      const weights = torchWeights('gru', 10, 2.5);
      const result = simulateRecurrent(explicitSpec('gru', weights));
      const expected = reference('gru', weights, inputValues, targets);
      expect(largestDeviation(result, expected)).toBeLessThan(1e-12);
      expect(result.summary.log10GradientRatio).toBeCloseTo(Math.log10((expected.hiddenGradientNorms[0] as number) / (expected.hiddenGradientNorms[sizes.steps - 1] as number)), 11);
    });
  });

  describe('PyTorch\'s layout', () => {
    it('keeps the GRU\'s b_hn inside the reset gate\'s product, as PyTorch does', () => {
      const weights = torchWeights('gru', 11);
      const result = simulateRecurrent(explicitSpec('gru', weights));
      // Moving b_hn out of r ⊙ (W_hn h + b_hn) into the input side (the form of Cho et al.'s paper) gives another network.
      const hiddenSize = sizes.hiddenSize;
      const moved: TorchWeights = {
        ...weights,
        biasIh: weights.biasIh.map((value, k) => (k >= 2 * hiddenSize ? value + (weights.biasHh[k] as number) : value)),
        biasHh: weights.biasHh.map((value, k) => (k >= 2 * hiddenSize ? 0 : value)),
      };
      expect(relative(result.summary.loss, reference('gru', weights, inputValues, targets).loss)).toBeLessThan(1e-12);
      expect(relative(result.summary.loss, reference('gru', moved, inputValues, targets).loss)).toBeGreaterThan(1e-3);
    });

    it('uses only the sum b_ih + b_hh in the RNN and the LSTM', () => {
      for (const cell of ['rnn', 'lstm'] as const) {
        const weights = torchWeights(cell, 12);
        const summed = { ...weights, biasIh: weights.biasIh.map((value, k) => value + (weights.biasHh[k] as number)), biasHh: weights.biasHh.map(() => 0) };
        expect(relative(simulateRecurrent(explicitSpec(cell, summed)).summary.loss, simulateRecurrent(explicitSpec(cell, weights)).summary.loss)).toBeLessThan(1e-14);
      }
    });

    it('treats absent biases as zeros (PyTorch\'s bias=False)', () => {
      const { weightIh, weightHh } = torchWeights('gru', 13);
      const rows = weightIh.length;
      const zeros = { weightIh, weightHh, biasIh: new Array<number>(rows).fill(0), biasHh: new Array<number>(rows).fill(0) };
      expect(simulateRecurrent(explicitSpec('gru', { weightIh, weightHh } as TorchWeights))).toEqual(simulateRecurrent(explicitSpec('gru', zeros)));
    });
  });

  describe('what is given and what is drawn', () => {
    it('does not depend on the seed when the weights, inputs and targets are all given', () => {
      const weights = torchWeights('lstm', 14);
      const first = simulateRecurrent(explicitSpec('lstm', weights, { seed: 1 }));
      const second = simulateRecurrent(explicitSpec('lstm', weights, { seed: 2 }));
      expect({ ...second, seed: 1 }).toEqual(first);
    });

    it('takes the batch size from input.values (a batchSize beside them must agree)', () => {
      const weights = torchWeights('gru', 15);
      expect(simulateRecurrent(explicitSpec('gru', weights))).toEqual(simulateRecurrent(explicitSpec('gru', weights, { batchSize: sizes.batchSize })));
    });

    it('draws what is not given from the seed: explicit weights with random inputs and targets', () => {
      const weights = torchWeights('gru', 16);
      const drawn = { cell: 'gru', inputSize: sizes.inputSize, hiddenSize: sizes.hiddenSize, steps: sizes.steps, batchSize: 2, weights } as const;
      expect(simulateRecurrent({ ...drawn, seed: 3 })).toEqual(simulateRecurrent({ ...drawn, seed: 3 }));
      expect(simulateRecurrent({ ...drawn, seed: 3 }).summary.loss).not.toBe(simulateRecurrent({ ...drawn, seed: 4 }).summary.loss);
    });

    it('runs explicit weights in float32 when asked, close to float64 on a log scale', () => {
      const weights = torchWeights('gru', 17);
      const exact = simulateRecurrent(explicitSpec('gru', weights));
      const fast = simulateRecurrent(explicitSpec('gru', weights, { precision: 'float32' }));
      expect(fast.precision).toBe('float32');
      fast.steps.forEach((step, index) => expect(step.log10GradientNorm).toBeCloseTo(exact.steps[index]?.log10GradientNorm as number, 5));
    });
  });

  describe('shape errors, each naming the request field', () => {
    const weights = torchWeights('gru', 18);
    const fieldOf = (spec: RecurrentSpec): string => {
      try {
        simulateRecurrent(spec);
      } catch (error) {
        if (error instanceof NetworkShapeError) return error.field;
        throw error;
      }
      throw new Error('expected a NetworkShapeError');
    };

    it.each([
      ['weightIh with the LSTM\'s 4·H rows for a GRU', { weights: { ...weights, weightIh: torchWeights('lstm', 1).weightIh } }, 'weights.weightIh'],
      ['a weightHh row one number short', { weights: { ...weights, weightHh: weights.weightHh.map((row, index) => (index === 3 ? row.slice(1) : row)) } }, 'weights.weightHh'],
      ['a biasIh of H numbers instead of 3·H', { weights: { ...weights, biasIh: weights.biasIh.slice(0, sizes.hiddenSize) } }, 'weights.biasIh'],
      ['a non-finite biasHh', { weights: { ...weights, biasHh: weights.biasHh.map((value, index) => (index === 0 ? Number.NaN : value)) } }, 'weights.biasHh'],
      ['input.values with one block fewer than steps', { input: { values: inputValues.slice(1) } }, 'input.values'],
      ['an input block with a row too many', { input: { values: inputValues.map((values, t) => (t === 2 ? [...values, values[0] as Vector] : values)) } }, 'input.values.2'],
      ['an input row of the wrong width', { input: { values: inputValues.map((values, t) => (t === 5 ? values.map((row) => row.slice(1)) : values)) } }, 'input.values.5'],
      ['a batchSize other than the batch of input.values', { batchSize: 4 }, 'batchSize'],
      ['targets of the wrong width', { loss: { targets: targets.map((row) => row.slice(1)) } }, 'loss.targets'],
      ['targets for a different batch', { loss: { targets: targets.slice(1) } }, 'loss.targets'],
      ['a recurrentInit beside given weights', { recurrentInit: { scheme: 'orthogonal' } }, 'recurrentInit'],
    ] as const)('refuses %s', (_name, change, field) => {
      expect(fieldOf({ ...explicitSpec('gru', weights), ...change } as RecurrentSpec)).toBe(field);
    });

    it('refuses an LSTM forgetBias beside given weights, whose biases are used as given', () => {
      expect(fieldOf({ ...explicitSpec('lstm', torchWeights('lstm', 19)), cell: 'lstm', forgetBias: 1 } as RecurrentSpec)).toBe('forgetBias');
    });

    it('refuses targets for a random batch of another size', () => {
      const spec = { cell: 'gru', inputSize: sizes.inputSize, hiddenSize: sizes.hiddenSize, steps: sizes.steps, batchSize: 5, loss: { targets } } as const;
      expect(fieldOf(spec)).toBe('loss.targets');
    });
  });
});
