import type { FeedforwardResponse, RecurrentResponse } from '../../src/plots/simulation-charts.js';

/** Simulation responses shaped like the endpoints' (the tests parse them with the response schemas). */

interface FeedforwardOptions {
  depth: number;
  trials?: number;
  activation?: string;
  /** log10 ‖∂L/∂W^l‖ for layer l (1-based); null for an exactly-zero norm. */
  log10WeightNorm?: (layer: number) => number | null;
}

export function feedforwardResult({ depth, trials = 1, activation = 'tanh', log10WeightNorm = (layer) => -0.5 * (depth - layer) }: FeedforwardOptions): FeedforwardResponse {
  const layers = Array.from({ length: depth }, (_, index) => {
    const layer = index + 1;
    const log10 = log10WeightNorm(layer);
    const plain = (value: number | null) => (value === null ? 0 : value < -300 ? 0 : 10 ** value);
    const spread = (value: number | null) => (value === null ? { std: null, min: null, max: null } : { std: 0.2, min: value - 0.3, max: value + 0.25 });
    const shifted = (by: number) => (log10 === null ? null : log10 + by);
    return {
      index: layer,
      width: 64,
      activation,
      preactivation: { mean: 0.01 * layer, std: 1 / Math.sqrt(layer) },
      output: { mean: 0.02, std: 0.8 / Math.sqrt(layer), fractionZero: activation === 'relu' ? 0.5 : 0, fractionSaturated: Math.min(1, 0.02 * layer) },
      gradient: {
        preactivationNorm: plain(shifted(-0.3)),
        outputNorm: plain(shifted(-0.2)),
        weightNorm: plain(log10),
        biasNorm: plain(shifted(-0.4)),
        log10PreactivationNorm: shifted(-0.3),
        log10OutputNorm: shifted(-0.2),
        log10WeightNorm: log10,
        log10BiasNorm: shifted(-0.4),
      },
      ...(trials > 1
        ? {
            spread: {
              log10PreactivationNorm: spread(shifted(-0.3)),
              log10OutputNorm: spread(shifted(-0.2)),
              log10WeightNorm: spread(log10),
              log10BiasNorm: spread(shifted(-0.4)),
            },
          }
        : {}),
    };
  });
  const first = layers[0]?.gradient.log10WeightNorm ?? null;
  const last = layers.at(-1)?.gradient.log10WeightNorm ?? null;
  const ratio = first === null || last === null ? null : first - last;
  return {
    layers,
    loss: 0.5,
    summary: {
      log10GradientRatio: ratio,
      meanLog10GainPerLayer: ratio === null || depth < 2 ? null : ratio / (depth - 1),
      verdict: ratio === null || ratio < -1 ? 'vanishing' : ratio > 1 ? 'exploding' : 'stable',
    },
    seed: 42,
    trials,
    precision: 'float32',
  };
}

export function recurrentResult(cell: 'rnn' | 'lstm', steps: number, log10Norm: (t: number) => number | null = (t) => -0.1 * (steps - t)): RecurrentResponse {
  const ratio = (log10Norm(1) ?? 0) - (log10Norm(steps) ?? 0);
  return {
    cell,
    steps: Array.from({ length: steps }, (_, index) => {
      const t = index + 1;
      const log10 = log10Norm(t);
      const base = { t, gradientNorm: log10 === null ? 0 : 10 ** log10, log10GradientNorm: log10, hidden: { mean: 0, std: 0.5 } };
      return cell === 'rnn'
        ? { ...base, fractionSaturated: 0.1 }
        : {
            ...base,
            cellGradientNorm: log10 === null ? 0 : 10 ** (log10 + 0.3),
            log10CellGradientNorm: log10 === null ? null : log10 + 0.3,
            gates: { input: 0.5, forget: 0.73, candidate: 0, output: 0.5 },
          };
    }),
    summary: { log10GradientRatio: ratio, meanLog10GainPerStep: steps > 1 ? ratio / (steps - 1) : null, verdict: ratio < -1 ? 'vanishing' : ratio > 1 ? 'exploding' : 'stable', loss: 1 },
    seed: 42,
    precision: 'float32',
  };
}
