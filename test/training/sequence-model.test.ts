/* eslint-disable @typescript-eslint/no-non-null-assertion -- plain arrays whose shapes the fixtures fix */
import { describe, expect, it } from 'vitest';
import { resolveActivation } from '../../src/activations/resolve.js';
import { createRandom } from '../../src/random.js';
import { float64Arithmetic } from '../../src/simulation/arithmetic.js';
import { SequenceModel, type Cell } from '../../src/training/sequence-model.js';

/**
 * The recurrent trainer's backpropagation through time against central
 * differences of a forward pass written here from PyTorch's equations
 * (torch.nn.RNN/LSTM/GRU, one layer, h₀ = 0) on plain arrays.
 */

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/** The loss (1/(2B)) Σ (y − target)² of PyTorch's cell and a linear head, from flat parameter arrays in the model's layout. */
function referenceLoss(cell: Cell, H: number, C: number, T: number, x: Float64Array, targets: Float64Array, cellWeights: Float64Array, cellBiases: Float64Array, head: Float64Array, headBias: number): number {
  const G = { rnn: 1, lstm: 4, gru: 3 }[cell];
  const GH = G * H;
  const rows = targets.length;
  let loss = 0;
  for (let b = 0; b < rows; b += 1) {
    let h = new Array<number>(H).fill(0);
    let c = new Array<number>(H).fill(0);
    for (let t = 0; t < T; t += 1) {
      const xt = [0, 1].map((k) => x[b * T * C + t * C + k]!);
      const gi = Array.from({ length: GH }, (_, g) => xt.reduce((s, v, k) => s + v * cellWeights[g * C + k]!, cellBiases[g]!));
      const gh = Array.from({ length: GH }, (_, g) => h.reduce((s, v, m) => s + v * cellWeights[GH * C + g * H + m]!, cellBiases[GH + g]!));
      if (cell === 'rnn') h = h.map((_, j) => Math.tanh(gi[j]! + gh[j]!));
      else if (cell === 'lstm') {
        const gate = (k: number, j: number) => gi[k * H + j]! + gh[k * H + j]!;
        c = c.map((value, j) => sigmoid(gate(1, j)) * value + sigmoid(gate(0, j)) * Math.tanh(gate(2, j)));
        h = c.map((value, j) => sigmoid(gate(3, j)) * Math.tanh(value));
      } else {
        h = h.map((value, j) => {
          const r = sigmoid(gi[j]! + gh[j]!);
          const z = sigmoid(gi[H + j]! + gh[H + j]!);
          const n = Math.tanh(gi[2 * H + j]! + r * gh[2 * H + j]!);
          return (1 - z) * n + z * value;
        });
      }
    }
    const y = h.reduce((s, v, m) => s + v * head[m]!, headBias);
    loss += (y - targets[b]!) ** 2;
  }
  return loss / (2 * rows);
}

describe('SequenceModel (float64)', () => {
  it.each(['rnn', 'lstm', 'gru'] as const)('backpropagates a %s through time as central differences of an independent forward pass', (cell) => {
    const H = 3;
    const C = 2;
    const T = 6;
    const rows = 4;
    const random = createRandom(9);
    const x = Float64Array.from({ length: rows * T * C }, () => random.uniform());
    const targets = Float64Array.from({ length: rows }, () => random.uniform());
    const model = new SequenceModel(float64Arithmetic, { cell, hiddenSize: H, activation: resolveActivation('tanh'), length: T, channels: C, outputWidth: 1 }, createRandom(4), rows);
    const { output } = model.forward(x, rows, 'train', () => 0.5);
    const gradient = Float64Array.from({ length: rows }, (_, b) => (output[b]! - targets[b]!) / rows);
    model.backward(x, rows, gradient);
    const [cellLayer, headLayer] = model.layers;
    const loss = () => referenceLoss(cell, H, C, T, x, targets, cellLayer!.weights.values, cellLayer!.biases!.values, headLayer!.weights.values, headLayer!.biases!.values[0]!);
    let largest = 0;
    for (const parameter of model.parameters) {
      for (let i = 0; i < parameter.values.length; i += 1) {
        const saved = parameter.values[i]!;
        const step = 1e-6;
        parameter.values[i] = saved + step;
        const up = loss();
        parameter.values[i] = saved - step;
        const down = loss();
        parameter.values[i] = saved;
        const numeric = (up - down) / (2 * step);
        largest = Math.max(largest, Math.abs(numeric - parameter.gradient[i]!) / Math.max(1e-6, Math.abs(numeric)));
      }
    }
    expect(largest).toBeLessThan(1e-5);
  });
});
