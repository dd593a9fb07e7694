import type { ResolvedActivation } from '../activations/resolve.js';
import type { ScalarKernel } from '../activations/types.js';
import type { Random } from '../random.js';
import type { Arithmetic } from '../simulation/arithmetic.js';
import type { FloatArray } from '../simulation/statistics.js';
import { SATURATION_DERIVATIVE } from '../simulation/thresholds.js';
import type { DenseLayer, Mode, Parameter, PassCounts, TrainableModel } from './model.js';

/**
 * A recurrent network for sequence regression (the adding problem): one RNN,
 * LSTM or GRU cell run over T steps, and a linear head on the last hidden
 * state. PyTorch's equations and layout (torch.nn.RNN/LSTM/GRU, one layer,
 * h₀ = 0): gates = x_t·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh with the gates stacked
 * i, f, g, o (LSTM) or r, z, n (GRU, where r multiplies (W_hn h + b_hn));
 * every weight and bias drawn from U(−1/√H, 1/√H) as PyTorch does, the head's
 * too (torch.nn.Linear's bound is 1/√fanIn = 1/√H as well).
 *
 * The model is one "layer" for the cell (its weights [W_ih; W_hh] and biases
 * [b_ih; b_hh] as one tensor each: what the history reports) and one for the
 * head. Its input rows are whole sequences: T·C numbers, step by step.
 */

export type Cell = 'rnn' | 'lstm' | 'gru';

export interface SequenceModelSpec {
  cell: Cell;
  hiddenSize: number;
  /** The RNN's φ (default tanh); the LSTM and GRU use σ and tanh. */
  activation: ResolvedActivation;
  /** T and the channels C of every step. */
  length: number;
  channels: number;
  outputWidth: number;
}

export const GATES: Record<Cell, number> = { rnn: 1, lstm: 4, gru: 3 };

/** Steps of the through-time gradient an entry reports at most (evenly spaced, the last always). */
export const MAX_THROUGH_TIME_POINTS = 200;

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/** ‖∂L/∂h_t‖ for t = 1 … T of the last backward pass. */
export interface ThroughTime {
  norms: Float64Array;
}

export class SequenceModel<T extends FloatArray> implements TrainableModel<T> {
  readonly layers: DenseLayer<T>[];
  readonly parameters: Parameter<T>[];
  readonly outputWidth: number;
  readonly countsPerExample: { zeros: number; saturated: number }[];
  readonly throughTime: ThroughTime;
  private readonly gates: number;
  private readonly hidden: number;
  /** h_t per step t = 0 … T (h_0 = 0), rows × H each. */
  private readonly states: T[];
  /** Per step: the gate activations (rnn: φ′; lstm: i, f, g, o; gru: r, z, n), rows × G·H. */
  private readonly gateValues: T[];
  /** LSTM: c_t per step (c_0 = 0); GRU: W_hn h + b_hn per step. */
  private readonly cells: T[];
  private readonly stepInput: T;
  private readonly inputPart: T;
  private readonly hiddenPart: T;
  private readonly gradientH: T;
  private readonly gradientC: T;
  private readonly gradientGatesInput: T;
  private readonly gradientGatesHidden: T;
  private readonly scratchIh: T;
  private readonly scratchHh: T;
  private readonly kernel: ScalarKernel;

  constructor(
    readonly arithmetic: Arithmetic<T>,
    readonly spec: SequenceModelSpec,
    random: Random,
    readonly rows: number,
  ) {
    const { hiddenSize: H, channels: C, length } = spec;
    const G = GATES[spec.cell];
    this.gates = G;
    this.hidden = H;
    this.outputWidth = spec.outputWidth;
    const allocate = (n: number): T => arithmetic.allocate(n);
    const bound = 1 / Math.sqrt(H);
    const draw = (values: T): T => {
      random.fillSymmetricUniform(values, values.length, bound);
      return values;
    };
    const tensor = (name: string, values: T): Parameter<T> => ({ name, values, gradient: allocate(values.length) });
    // PyTorch's order of registration: weight_ih, weight_hh, bias_ih, bias_hh; then the head.
    const cellWeights = allocate(G * H * (C + H));
    draw(cellWeights);
    const cellBiases = draw(allocate(2 * G * H));
    const headWeights = draw(allocate(H * spec.outputWidth));
    const headBiases = draw(allocate(spec.outputWidth));
    const layer = (index: number, fanIn: number, width: number, weights: T, biases: T, name: string, activation: ResolvedActivation): DenseLayer<T> => ({
      index,
      fanIn,
      width,
      activation,
      batchNorm: false,
      layerNorm: false,
      residual: false,
      residualNorm: null,
      weights: tensor(`${name} weights`, weights),
      biases: tensor(`${name} biases`, biases),
      learned: {},
      runningMean: null,
      runningVariance: null,
    });
    this.layers = [layer(1, C + H, G * H, cellWeights, cellBiases, spec.cell, spec.activation), layer(2, H, spec.outputWidth, headWeights, headBiases, 'head', spec.activation)];
    this.parameters = this.layers.flatMap((entry) => [entry.weights, entry.biases as Parameter<T>]);
    this.states = Array.from({ length: length + 1 }, () => allocate(rows * H));
    this.gateValues = Array.from({ length }, () => allocate(rows * G * H));
    this.cells = spec.cell === 'rnn' ? [] : Array.from({ length: length + 1 }, () => allocate(rows * H));
    this.stepInput = allocate(rows * C);
    this.inputPart = allocate(rows * G * H);
    this.hiddenPart = allocate(rows * G * H);
    this.gradientH = allocate(rows * H);
    this.gradientC = allocate(rows * H);
    this.gradientGatesInput = allocate(rows * G * H);
    this.gradientGatesHidden = allocate(rows * G * H);
    this.scratchIh = allocate(G * H * C);
    this.scratchHh = allocate(G * H * H);
    this.kernel = spec.activation.record.kernel(spec.activation.params, { mode: 'eval', count: 1, uniform: () => 0.5 });
    this.throughTime = { norms: new Float64Array(length) };
    // The cell's hidden values at every step, and every gate nonlinearity at every step.
    this.countsPerExample = [
      { zeros: H * length, saturated: H * length * (spec.cell === 'rnn' ? 1 : G) },
      { zeros: spec.outputWidth, saturated: spec.outputWidth },
    ];
  }

  learnedValues(): Record<string, number> {
    return {};
  }

  /**
   * The cell as one matrix in the hidden layers' orientation (x·W): C + H rows
   * of G·H numbers, [W_ih W_hh]ᵀ, so that row k < C is column k of PyTorch's
   * weight_ih_l0 and row C + m column m of weight_hh_l0; biases [b_ih, b_hh].
   */
  trainedWeights(): { weights: number[][]; biases: number[] | null }[] {
    const { channels: C } = this.spec;
    const H = this.hidden;
    const GH = this.gates * H;
    const { weightIh, weightHh, biasIh, biasHh } = this.views();
    const weights = Array.from({ length: C + H }, (_, k) => Array.from({ length: GH }, (__, g) => (k < C ? (weightIh[g * C + k] as number) : (weightHh[g * H + (k - C)] as number))));
    const head = this.layers[1] as DenseLayer<T>;
    const headWeights = Array.from({ length: H }, (_, m) => Array.from(head.weights.values.subarray(m * this.outputWidth, (m + 1) * this.outputWidth)));
    return [
      { weights, biases: [...Array.from(biasIh), ...Array.from(biasHh)] },
      { weights: headWeights, biases: Array.from((head.biases as Parameter<T>).values) },
    ];
  }

  /** log10 ‖∂L/∂h_t‖ of the last backward pass at (at most) 200 steps t, and log10 ‖∂L/∂h_1‖/‖∂L/∂h_T‖. */
  throughTimeFigures(): { steps: number[]; log10Norms: (number | null)[]; log10Ratio: number | null } {
    const norms = this.throughTime.norms;
    const count = norms.length;
    const stride = Math.max(1, Math.ceil(count / MAX_THROUGH_TIME_POINTS));
    const steps: number[] = [];
    for (let t = 1; t <= count; t += stride) steps.push(t);
    if (steps.at(-1) !== count) steps.push(count);
    const log10 = (value: number): number | null => (value > 0 && Number.isFinite(value) ? Math.log10(value) : null);
    const first = log10(norms[0] as number);
    const last = log10(norms[count - 1] as number);
    return { steps, log10Norms: steps.map((t) => log10(norms[t - 1] as number)), log10Ratio: first === null || last === null ? null : first - last };
  }

  private views(): { weightIh: T; weightHh: T; biasIh: T; biasHh: T } {
    const { channels: C } = this.spec;
    const GH = this.gates * this.hidden;
    const cell = this.layers[0] as DenseLayer<T>;
    const weights = cell.weights.values;
    const biases = (cell.biases as Parameter<T>).values;
    return { weightIh: weights.subarray(0, GH * C) as T, weightHh: weights.subarray(GH * C) as T, biasIh: biases.subarray(0, GH) as T, biasHh: biases.subarray(GH) as T };
  }

  /**
   * Runs the cell over every step and the head on h_T. Counts: the cell's
   * hidden values exactly 0 and its saturated nonlinearities (|φ′| < 0.01 of
   * φ, σ or tanh at every gate and step); the head's outputs exactly 0.
   */
  forward(x: T, rows: number, _mode: Mode, _uniform: () => number, withSlopes = true): { output: T; counts: PassCounts } {
    const { channels: C, length: steps, cell } = this.spec;
    const H = this.hidden;
    const G = this.gates;
    const GH = G * H;
    const { weightIh, weightHh, biasIh, biasHh } = this.views();
    const kernel = this.kernel;
    let zeros = 0;
    let saturated = 0;
    (this.states[0] as T).fill(0, 0, rows * H);
    if (cell === 'lstm') (this.cells[0] as T).fill(0, 0, rows * H);
    for (let t = 0; t < steps; t += 1) {
      const stepInput = this.stepInput;
      for (let b = 0; b < rows; b += 1) for (let c = 0; c < C; c += 1) stepInput[b * C + c] = x[b * steps * C + t * C + c] as number;
      const previous = this.states[t] as T;
      const next = this.states[t + 1] as T;
      const gates = this.gateValues[t] as T;
      const inputPart = this.inputPart;
      const hiddenPart = this.hiddenPart;
      this.arithmetic.productTransB(stepInput, rows, C, weightIh, GH, inputPart);
      this.arithmetic.productTransB(previous, rows, H, weightHh, GH, hiddenPart);
      for (let b = 0; b < rows; b += 1) {
        const row = b * GH;
        for (let k = 0; k < GH; k += 1) {
          inputPart[row + k] = (inputPart[row + k] as number) + (biasIh[k] as number);
          hiddenPart[row + k] = (hiddenPart[row + k] as number) + (biasHh[k] as number);
        }
      }
      for (let b = 0; b < rows; b += 1) {
        const row = b * GH;
        const state = b * H;
        for (let j = 0; j < H; j += 1) {
          let h: number;
          if (cell === 'rnn') {
            const pre = (inputPart[row + j] as number) + (hiddenPart[row + j] as number);
            h = kernel.value(pre, 0);
            if (withSlopes) {
              const slope = kernel.derivative(pre, 0);
              gates[row + j] = slope;
              if (Math.abs(slope) < SATURATION_DERIVATIVE) saturated += 1;
            }
          } else if (cell === 'lstm') {
            const i = sigmoid((inputPart[row + j] as number) + (hiddenPart[row + j] as number));
            const f = sigmoid((inputPart[row + H + j] as number) + (hiddenPart[row + H + j] as number));
            const g = Math.tanh((inputPart[row + 2 * H + j] as number) + (hiddenPart[row + 2 * H + j] as number));
            const o = sigmoid((inputPart[row + 3 * H + j] as number) + (hiddenPart[row + 3 * H + j] as number));
            gates[row + j] = i;
            gates[row + H + j] = f;
            gates[row + 2 * H + j] = g;
            gates[row + 3 * H + j] = o;
            const c = f * ((this.cells[t] as T)[state + j] as number) + i * g;
            (this.cells[t + 1] as T)[state + j] = c;
            const storedC = (this.cells[t + 1] as T)[state + j] as number;
            h = o * Math.tanh(storedC);
            if (withSlopes) saturated += saturatedOf(i * (1 - i)) + saturatedOf(f * (1 - f)) + saturatedOf(1 - g * g) + saturatedOf(o * (1 - o));
          } else {
            const r = sigmoid((inputPart[row + j] as number) + (hiddenPart[row + j] as number));
            const z = sigmoid((inputPart[row + H + j] as number) + (hiddenPart[row + H + j] as number));
            const hn = hiddenPart[row + 2 * H + j] as number;
            const n = Math.tanh((inputPart[row + 2 * H + j] as number) + r * hn);
            gates[row + j] = r;
            gates[row + H + j] = z;
            gates[row + 2 * H + j] = n;
            (this.cells[t + 1] as T)[state + j] = hn;
            h = (1 - z) * n + z * (previous[state + j] as number);
            if (withSlopes) saturated += saturatedOf(r * (1 - r)) + saturatedOf(z * (1 - z)) + saturatedOf(1 - n * n);
          }
          next[state + j] = h;
          if (next[state + j] === 0) zeros += 1;
        }
      }
    }
    // The head: y = h_T·W + b.
    const head = this.layers[1] as DenseLayer<T>;
    const output = this.inputPart.subarray(0, rows * this.outputWidth) as T;
    this.arithmetic.product(this.states[steps] as T, rows, H, head.weights.values, this.outputWidth, output);
    const headBiases = (head.biases as Parameter<T>).values;
    let headZeros = 0;
    for (let b = 0; b < rows; b += 1) {
      for (let j = 0; j < this.outputWidth; j += 1) {
        output[b * this.outputWidth + j] = (output[b * this.outputWidth + j] as number) + (headBiases[j] as number);
        if (output[b * this.outputWidth + j] === 0) headZeros += 1;
      }
    }
    return { output, counts: { zeros: [zeros, headZeros], saturated: [saturated, 0] } };
  }

  /** Backpropagation through time of the last training forward pass; ‖∂L/∂h_t‖ per step into throughTime. */
  backward(x: T, rows: number, outputGradient: T): void {
    const { channels: C, length: steps, cell } = this.spec;
    const H = this.hidden;
    const G = this.gates;
    const GH = G * H;
    const { weightHh } = this.views();
    const cellLayer = this.layers[0] as DenseLayer<T>;
    const head = this.layers[1] as DenseLayer<T>;
    const last = this.states[steps] as T;
    // Head: ∂L/∂W = h_Tᵀ·g, ∂L/∂b = Σ g, ∂L/∂h_T = g·Wᵀ.
    this.arithmetic.productTransA(last, rows, H, outputGradient, this.outputWidth, head.weights.gradient);
    columnSums(outputGradient, rows, this.outputWidth, (head.biases as Parameter<T>).gradient);
    const dh = this.gradientH;
    this.arithmetic.productTransB(outputGradient, rows, this.outputWidth, head.weights.values, H, dh);
    const dc = this.gradientC;
    dc.fill(0, 0, rows * H);
    cellLayer.weights.gradient.fill(0);
    (cellLayer.biases as Parameter<T>).gradient.fill(0);
    const gradientIh = cellLayer.weights.gradient.subarray(0, GH * C) as T;
    const gradientHh = cellLayer.weights.gradient.subarray(GH * C) as T;
    const biasGradient = (cellLayer.biases as Parameter<T>).gradient;
    const dgi = this.gradientGatesInput;
    const dgh = this.gradientGatesHidden;
    for (let t = steps - 1; t >= 0; t -= 1) {
      let squares = 0;
      for (let i = 0; i < rows * H; i += 1) squares += (dh[i] as number) ** 2;
      this.throughTime.norms[t] = Math.sqrt(squares);
      const previous = this.states[t] as T;
      const gates = this.gateValues[t] as T;
      for (let b = 0; b < rows; b += 1) {
        const row = b * GH;
        const state = b * H;
        for (let j = 0; j < H; j += 1) {
          const gradient = dh[state + j] as number;
          if (cell === 'rnn') {
            const d = gradient * (gates[row + j] as number);
            dgi[row + j] = d;
            dgh[row + j] = d;
            dh[state + j] = 0;
          } else if (cell === 'lstm') {
            const i = gates[row + j] as number;
            const f = gates[row + H + j] as number;
            const g = gates[row + 2 * H + j] as number;
            const o = gates[row + 3 * H + j] as number;
            const c = (this.cells[t + 1] as T)[state + j] as number;
            const tanhC = Math.tanh(c);
            const dC = (dc[state + j] as number) + gradient * o * (1 - tanhC * tanhC);
            const di = dC * g * i * (1 - i);
            const df = dC * ((this.cells[t] as T)[state + j] as number) * f * (1 - f);
            const dg = dC * i * (1 - g * g);
            const dO = gradient * tanhC * o * (1 - o);
            dgi[row + j] = di;
            dgh[row + j] = di;
            dgi[row + H + j] = df;
            dgh[row + H + j] = df;
            dgi[row + 2 * H + j] = dg;
            dgh[row + 2 * H + j] = dg;
            dgi[row + 3 * H + j] = dO;
            dgh[row + 3 * H + j] = dO;
            dc[state + j] = dC * f;
            dh[state + j] = 0;
          } else {
            const r = gates[row + j] as number;
            const z = gates[row + H + j] as number;
            const n = gates[row + 2 * H + j] as number;
            const hn = (this.cells[t + 1] as T)[state + j] as number;
            const dn = gradient * (1 - z);
            const dz = gradient * ((previous[state + j] as number) - n);
            const dan = dn * (1 - n * n);
            const dar = dan * hn * r * (1 - r);
            const daz = dz * z * (1 - z);
            dgi[row + j] = dar;
            dgh[row + j] = dar;
            dgi[row + H + j] = daz;
            dgh[row + H + j] = daz;
            dgi[row + 2 * H + j] = dan;
            dgh[row + 2 * H + j] = dan * r;
            // The direct path h' = … + z ⊙ h.
            dh[state + j] = gradient * z;
          }
        }
      }
      // Weight and bias gradients of this step, and ∂L/∂h_{t−1} += dgh·W_hh.
      const stepInput = this.stepInput;
      for (let b = 0; b < rows; b += 1) for (let c = 0; c < C; c += 1) stepInput[b * C + c] = x[b * steps * C + t * C + c] as number;
      this.arithmetic.productTransA(dgi, rows, GH, stepInput, C, this.scratchIh);
      this.arithmetic.productTransA(dgh, rows, GH, previous, H, this.scratchHh);
      for (let k = 0; k < GH * C; k += 1) gradientIh[k] = (gradientIh[k] as number) + (this.scratchIh[k] as number);
      for (let k = 0; k < GH * H; k += 1) gradientHh[k] = (gradientHh[k] as number) + (this.scratchHh[k] as number);
      for (let b = 0; b < rows; b += 1) {
        for (let k = 0; k < GH; k += 1) {
          biasGradient[k] = (biasGradient[k] as number) + (dgi[b * GH + k] as number);
          biasGradient[GH + k] = (biasGradient[GH + k] as number) + (dgh[b * GH + k] as number);
        }
      }
      const back = this.inputPart.subarray(0, rows * H) as T;
      this.arithmetic.product(dgh, rows, GH, weightHh, H, back);
      for (let i = 0; i < rows * H; i += 1) dh[i] = (dh[i] as number) + (back[i] as number);
    }
  }
}

const saturatedOf = (slope: number): number => (Math.abs(slope) < SATURATION_DERIVATIVE ? 1 : 0);

function columnSums(matrix: FloatArray, rows: number, width: number, out: FloatArray): void {
  out.fill(0, 0, width);
  for (let b = 0; b < rows; b += 1) for (let j = 0; j < width; j += 1) out[j] = (out[j] as number) + (matrix[b * width + j] as number);
}
