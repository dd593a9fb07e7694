import type { FloatArray } from '../simulation/statistics.js';
import type { Parameter } from './model.js';

/**
 * torch.optim's update rules, one parameter group, element by element in the
 * order PyTorch applies its in-place operations (so that a float64 run equals
 * PyTorch's float64 run to rounding):
 *
 * - sgd: θ ← θ − η·(g + λθ)
 * - momentum: b ← g + λθ at the first step, then b ← μ·b + (g + λθ); θ ← θ − η·b (dampening 0)
 * - nesterov: b as momentum; θ ← θ − η·((g + λθ) + μ·b)
 * - adam: g ← g + λθ; m ← β₁m + (1 − β₁)g; v ← β₂v + (1 − β₂)g²;
 *   θ ← θ − (η/(1 − β₁ᵗ))·m/(√v/√(1 − β₂ᵗ) + ε)
 *
 * Weight decay λ is added to the gradient (L2, not AdamW) for every trained
 * parameter: weights, biases and learnable activation parameters.
 */

export interface OptimizerSpec {
  type: 'sgd' | 'momentum' | 'nesterov' | 'adam';
  learningRate: number;
  momentum: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  weightDecay: number;
}

export interface Optimizer {
  /** Applies one update to every parameter from its `gradient` (left unchanged). */
  step(): void;
}

/** Optimizer state in the parameter's own precision, as PyTorch keeps it. */
const stateLike = (values: FloatArray): FloatArray => (values instanceof Float32Array ? new Float32Array(values.length) : new Float64Array(values.length));

export function createOptimizer(spec: OptimizerSpec, parameters: readonly Parameter[]): Optimizer {
  const { learningRate: lr, weightDecay: decay } = spec;
  if (spec.type === 'sgd') {
    return {
      step() {
        for (const { values, gradient } of parameters) sgdStep(values, gradient, lr, decay);
      },
    };
  }
  if (spec.type === 'momentum' || spec.type === 'nesterov') {
    const nesterov = spec.type === 'nesterov';
    const buffers = parameters.map(({ values }) => stateLike(values));
    let first = true;
    return {
      step() {
        parameters.forEach(({ values, gradient }, index) => momentumStep(values, gradient, buffers[index] as FloatArray, lr, decay, spec.momentum, nesterov, first));
        first = false;
      },
    };
  }
  const firstMoments = parameters.map(({ values }) => stateLike(values));
  const secondMoments = parameters.map(({ values }) => stateLike(values));
  let t = 0;
  return {
    step() {
      t += 1;
      const stepSize = lr / (1 - spec.beta1 ** t);
      const correction2 = Math.sqrt(1 - spec.beta2 ** t);
      parameters.forEach(({ values, gradient }, index) =>
        adamStep(values, gradient, firstMoments[index] as FloatArray, secondMoments[index] as FloatArray, decay, spec.beta1, spec.beta2, spec.epsilon, stepSize, correction2),
      );
    },
  };
}

// One loop per rule, the branches outside it: these run over every parameter at every step.

function sgdStep(values: FloatArray, gradient: FloatArray, lr: number, decay: number): void {
  const n = values.length;
  for (let i = 0; i < n; i += 1) {
    const theta = values[i] as number;
    values[i] = theta - lr * ((gradient[i] as number) + decay * theta);
  }
}

function momentumStep(values: FloatArray, gradient: FloatArray, buffer: FloatArray, lr: number, decay: number, mu: number, nesterov: boolean, first: boolean): void {
  const n = values.length;
  for (let i = 0; i < n; i += 1) {
    const theta = values[i] as number;
    const g = decay === 0 ? (gradient[i] as number) : (gradient[i] as number) + decay * theta;
    buffer[i] = first ? g : mu * (buffer[i] as number) + g;
    const b = buffer[i] as number;
    values[i] = theta - lr * (nesterov ? g + mu * b : b);
  }
}

function adamStep(
  values: FloatArray,
  gradient: FloatArray,
  m: FloatArray,
  v: FloatArray,
  decay: number,
  beta1: number,
  beta2: number,
  epsilon: number,
  stepSize: number,
  correction2: number,
): void {
  const n = values.length;
  for (let i = 0; i < n; i += 1) {
    const theta = values[i] as number;
    const g = decay === 0 ? (gradient[i] as number) : (gradient[i] as number) + decay * theta;
    m[i] = (m[i] as number) * beta1 + (1 - beta1) * g;
    v[i] = (v[i] as number) * beta2 + (1 - beta2) * g * g;
    values[i] = theta - (stepSize * (m[i] as number)) / (Math.sqrt(v[i] as number) / correction2 + epsilon);
  }
}

/**
 * torch.nn.utils.clip_grad_norm_: the norm of the per-tensor norms, and every
 * gradient multiplied by min(1, maxNorm/(norm + 1e-6)). Returns the norm before clipping.
 */
export function clipGradientNorm(parameters: readonly Parameter[], maxNorm: number): number {
  let squares = 0;
  for (const { gradient } of parameters) {
    let tensorSquares = 0;
    for (let i = 0; i < gradient.length; i += 1) tensorSquares += (gradient[i] as number) ** 2;
    squares += tensorSquares;
  }
  const norm = Math.sqrt(squares);
  const coefficient = Math.min(1, maxNorm / (norm + 1e-6));
  if (coefficient < 1) {
    for (const { gradient } of parameters) for (let i = 0; i < gradient.length; i += 1) gradient[i] = (gradient[i] as number) * coefficient;
  }
  return norm;
}
