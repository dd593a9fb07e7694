import { describe, expect, it } from 'vitest';
import { PlotInputError } from '../../src/plots/chart-input.js';
import type { ChartSpec } from '../../src/plots/render.js';
import {
  activationStatisticsChartSpec,
  feedforwardGradientChart,
  feedforwardGradientChartSpec,
  recurrentGradientChartSpec,
} from '../../src/plots/simulation-charts.js';
import { feedforwardResponseSchema, recurrentResponseSchema } from '../../src/schemas/simulations.js';
import { feedforwardResult, recurrentResult } from './fixtures.js';
import { renderChecked as render } from './svg.js';


/** Layers of a layered spec, by mark type. */
function layersOf(spec: ChartSpec, type: string): { data: { values: Record<string, unknown>[] } }[] {
  const layers = ('layer' in spec ? spec.layer : []) as { mark: { type: string }; data: { values: Record<string, unknown>[] } }[];
  return layers.filter(({ mark }) => mark.type === type);
}

const thirtyLayers = feedforwardResult({ depth: 30, trials: 4 });

describe('fixtures', () => {
  it('are valid responses', () => {
    expect(() => feedforwardResponseSchema.parse(thirtyLayers)).not.toThrow();
    expect(() => recurrentResponseSchema.parse(recurrentResult('lstm', 5))).not.toThrow();
  });
});

describe('feedforwardGradientChart', () => {
  it('plots the weight-gradient norm per layer on a decade axis, titled and labelled', async () => {
    const { texts } = await render(feedforwardGradientChartSpec({ result: feedforwardResult({ depth: 30 }) }));
    expect(texts).toEqual(expect.arrayContaining(['Gradient norm per layer', 'layer', 'gradient norm ‖∂L/∂Wˡ‖', '10⁰', '10⁻¹⁰']));
    expect(texts.find((text) => text.startsWith('tanh · 30 layers'))).toContain('verdict: vanishing, log₁₀ gradient ratio first/last −14.5');
  });

  it('shades the spread over trials (min–max by default, or ± std)', async () => {
    const range = feedforwardGradientChartSpec({ result: thirtyLayers });
    const band = layersOf(range, 'area')[0]?.data.values[0];
    expect(band).toEqual({ position: 1, series: '‖∂L/∂Wˡ‖', low: -14.5 - 0.3, high: -14.5 + 0.25 });
    const std = layersOf(feedforwardGradientChartSpec({ result: thirtyLayers, band: 'std' }), 'area')[0]?.data.values[0];
    expect(std).toEqual({ position: 1, series: '‖∂L/∂Wˡ‖', low: -14.7, high: -14.3 });
    expect(layersOf(feedforwardGradientChartSpec({ result: thirtyLayers, band: 'none' }), 'area')).toEqual([]);
    const { texts } = await render(range);
    expect(texts.some((text) => text.includes('mean of 4 trials, band min–max'))).toBe(true);
  });

  it('draws a theory line, dashed, with a legend entry for each curve', async () => {
    const theory = thirtyLayers.layers.map(({ index }) => -0.45 * (30 - index));
    const spec = feedforwardGradientChartSpec({ result: thirtyLayers, theory, theoryLabel: 'mean-field prediction' });
    const { texts } = await render(spec);
    expect(texts).toEqual(expect.arrayContaining(['‖∂L/∂Wˡ‖', 'mean-field prediction']));
  });

  it('draws several norms with a legend', async () => {
    const { texts } = await render(feedforwardGradientChartSpec({ result: thirtyLayers, norms: ['weight', 'preactivation', 'output', 'bias'] }));
    expect(texts).toEqual(expect.arrayContaining(['gradient norm', '‖∂L/∂Wˡ‖', '‖∂L/∂zˡ‖', '‖∂L/∂aˡ‖', '‖∂L/∂bˡ‖']));
  });

  it('has no legend for a single curve', async () => {
    const { texts } = await render(feedforwardGradientChartSpec({ result: feedforwardResult({ depth: 5 }) }));
    expect(texts).not.toContain('‖∂L/∂Wˡ‖');
  });

  it('shows norms far below the float64 range on whole decades', async () => {
    const result = feedforwardResult({ depth: 200, log10WeightNorm: (layer) => -3.2 * (200 - layer) });
    const { texts } = await render(feedforwardGradientChartSpec({ result }));
    expect(texts).toEqual(expect.arrayContaining(['10⁰', '10⁻³⁰⁰', '10⁻⁶⁰⁰']));
  });

  it('leaves out exactly-zero norms and says how many', async () => {
    const result = feedforwardResult({ depth: 10, log10WeightNorm: (layer) => (layer <= 2 ? null : -layer) });
    const spec = feedforwardGradientChartSpec({ result });
    expect(layersOf(spec, 'line')[0]?.data.values.map(({ position }) => position)).toEqual([3, 4, 5, 6, 7, 8, 9, 10]);
    const { texts } = await render(spec);
    expect(texts).toContain('Not shown: 2 layer norms exactly zero (log₁₀ = −∞).');
  });

  it('draws a one-layer network', async () => {
    await render(feedforwardGradientChartSpec({ result: feedforwardResult({ depth: 1 }) }));
  });

  it('gives the same SVG for the same input', async () => {
    const [first, second] = await Promise.all([feedforwardGradientChart({ result: thirtyLayers }), feedforwardGradientChart({ result: thirtyLayers })]);
    expect(first).toBe(second);
  });

  it('refuses a theory of the wrong length and a result with nothing to plot', () => {
    expect(() => feedforwardGradientChartSpec({ result: thirtyLayers, theory: [1, 2] })).toThrow(PlotInputError);
    expect(() => feedforwardGradientChartSpec({ result: feedforwardResult({ depth: 3, log10WeightNorm: () => null }) })).toThrow(PlotInputError);
    expect(() => feedforwardGradientChartSpec({ result: { ...thirtyLayers, layers: [] } })).toThrow(PlotInputError);
  });
});

describe('activationStatisticsChart', () => {
  it('shows output statistics and dead/saturated fractions in two panels, each with its legend', async () => {
    const { texts } = await render(activationStatisticsChartSpec({ result: feedforwardResult({ depth: 12, activation: 'relu' }) }));
    expect(texts).toEqual(
      expect.arrayContaining([
        'Activation statistics per layer',
        'Outputs and pre-activations',
        'Dead and saturated units',
        'layer',
        'value',
        'fraction of units',
        'mean of aˡ',
        'std of aˡ',
        'std of zˡ (pre-activation)',
        'dead: aˡ = 0',
        'saturated: |φ′(zˡ)| < 0.01',
        '100%',
      ]),
    );
  });
});

describe('recurrentGradientChart', () => {
  it('plots ‖∂L/∂h_t‖ through time for an RNN', async () => {
    const { texts } = await render(recurrentGradientChartSpec({ result: recurrentResult('rnn', 100) }));
    expect(texts).toEqual(expect.arrayContaining(['Gradient norm through time', 'time step t', 'gradient norm ‖∂L/∂hₜ‖']));
    expect(texts.some((text) => text.startsWith('RNN · T = 100 steps · verdict: vanishing'))).toBe(true);
  });

  it('adds ‖∂L/∂c_t‖ for an LSTM, with a legend', async () => {
    const { texts } = await render(recurrentGradientChartSpec({ result: recurrentResult('lstm', 40) }));
    expect(texts).toEqual(expect.arrayContaining(['gradient norm', '‖∂L/∂hₜ‖', '‖∂L/∂cₜ‖']));
  });

  it('leaves out exactly-zero steps and says how many', async () => {
    const { texts } = await render(recurrentGradientChartSpec({ result: recurrentResult('rnn', 20, (t) => (t < 4 ? null : -t)) }));
    expect(texts).toContain('Not shown: 3 step norms exactly zero (log₁₀ = −∞).');
  });
});
