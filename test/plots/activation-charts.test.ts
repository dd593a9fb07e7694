import { describe, expect, it } from 'vitest';
import { activations } from '../../src/activations/registry.js';
import { resolveActivation } from '../../src/activations/resolve.js';
import {
  type ActivationChartInput,
  activationChart,
  activationChartSpec,
  activationLabel,
  activationPanelsChartSpec,
} from '../../src/plots/activation-charts.js';
import { PlotInputError } from '../../src/plots/chart-input.js';
import type { ChartSpec } from '../../src/plots/render.js';
import { renderChecked as render } from './svg.js';


interface MarkerRow {
  x: number;
  y: number;
  curve: string;
}

/** The rows of the layers drawn as points: filled dots first, then open circles. */
function markers(spec: ChartSpec): { filled: MarkerRow[]; open: MarkerRow[] } {
  const layers = ('layer' in spec ? spec.layer : []) as { mark: { type: string; filled?: boolean }; data: { values: MarkerRow[] } }[];
  const points = layers.filter(({ mark }) => mark.type === 'point');
  return {
    filled: points.filter(({ mark }) => mark.filled === true).flatMap(({ data }) => data.values),
    open: points.filter(({ mark }) => mark.filled === false).flatMap(({ data }) => data.values),
  };
}

const relu: ActivationChartInput = { activations: [{ resolved: resolveActivation('relu'), label: 'ReLU' }], range: [-3, 3] };

describe('activationChart', () => {
  it('draws one activation and its derivative, titled, with labelled axes and a legend', async () => {
    const { texts } = await render(activationChartSpec(relu));
    expect(texts).toEqual(expect.arrayContaining(['ReLU and its derivative', 'x', 'f(x) and f′(x)', 'f(x)', 'f′(x)']));
  });

  it('marks relu’s kink: a filled dot at the derivative returned at 0, an open circle at the limit from the right', async () => {
    const spec = activationChartSpec(relu);
    expect(markers(spec)).toEqual({ filled: [{ activation: 'ReLU', curve: 'f′(x)', x: 0, y: 0 }], open: [{ activation: 'ReLU', curve: 'f′(x)', x: 0, y: 1 }] });
    const { svg, texts } = await render(spec);
    expect(texts.some((text) => text.startsWith('Filled dots:'))).toBe(true);
    expect(svg.match(/class="mark-symbol role-mark/g)).toHaveLength(2);
  });

  it('breaks a curve at a jump instead of bridging it', () => {
    const spec = activationChartSpec({ activations: [{ resolved: resolveActivation('relu') }], range: [-1, 1], points: 5 });
    const lines = ('layer' in spec ? spec.layer[0] : undefined) as { data: { values: { curve: string; segment: string; x: number; y: number }[] } };
    const derivative = lines.data.values.filter(({ curve }) => curve === 'f′(x)');
    expect(derivative.map(({ segment, x, y }) => [segment.endsWith('|0') ? 0 : 1, x, y])).toEqual([
      [0, -1, 0],
      [0, -0.5, 0],
      [0, 0, 0],
      [1, 0, 1],
      [1, 0.5, 1],
      [1, 1, 1],
    ]);
  });

  it('has no markers and no marker note for a smooth activation', async () => {
    const spec = activationChartSpec({ activations: [{ resolved: resolveActivation('tanh') }], range: [-4, 4] });
    expect(markers(spec)).toEqual({ filled: [], open: [] });
    const { texts } = await render(spec);
    expect(texts).toContain('Hyperbolic tangent and its derivative');
    expect(texts.some((text) => text.startsWith('Filled dots:'))).toBe(false);
  });

  it('colours several activations apart and dashes the derivatives, with both in the legend', async () => {
    const spec = activationChartSpec({
      activations: [{ resolved: resolveActivation('sigmoid') }, { resolved: resolveActivation('tanh') }],
      range: [-5, 5],
    });
    const { texts } = await render(spec);
    expect(texts).toEqual(expect.arrayContaining(['Logistic sigmoid and Hyperbolic tangent and their derivatives', 'Logistic sigmoid', 'Hyperbolic tangent', 'f(x)', 'f′(x)']));
  });

  it('titles a single curve', async () => {
    const value = await render(activationChartSpec({ ...relu, curves: ['value'] }));
    expect(value.texts).toEqual(expect.arrayContaining(['ReLU', 'f(x)']));
    const derivative = await render(activationChartSpec({ ...relu, curves: ['derivative'] }));
    expect(derivative.texts).toEqual(expect.arrayContaining(['Derivative of ReLU', 'f′(x)']));
  });

  it('gives the same SVG for the same input', async () => {
    expect(await activationChart(relu)).toBe(await activationChart(relu));
  });

  it('escapes labels and titles', async () => {
    const { svg, texts } = await render(activationChartSpec({ ...relu, activations: [{ resolved: resolveActivation('relu'), label: '<script>&' }] }));
    expect(texts).toContain('<script>& and its derivative');
    expect(svg).not.toContain('<script>');
  });

  it.each([
    ['no activation', { activations: [] }],
    ['an empty range', { range: [1, 1] as const }],
    ['a range with infinity', { range: [0, Infinity] as const }],
    ['too few points', { points: 1 }],
    ['too many points', { points: 1_000_000 }],
    ['a tiny plot', { width: 10 }],
  ])('refuses %s', (_, change) => {
    expect(() => activationChartSpec({ ...relu, ...change })).toThrow(PlotInputError);
  });
});

describe('activationLabel', () => {
  it('uses the abbreviation a name ends with and lists non-default parameters', () => {
    expect(activationLabel(resolveActivation('elu'))).toBe('ELU');
    expect(activationLabel(resolveActivation('elu', { alpha: 0.5 }))).toBe('ELU (alpha = 0.5)');
    expect(activationLabel(resolveActivation('leaky_relu'))).toBe('Leaky ReLU');
  });
});

describe('activationPanelsChart', () => {
  it('draws values and derivatives side by side with one legend entry per activation', async () => {
    const ids = ['sigmoid', 'tanh', 'relu', 'elu'];
    const spec = activationPanelsChartSpec({ activations: ids.map((id) => ({ resolved: resolveActivation(id) })), range: [-5, 5] });
    const { texts } = await render(spec);
    expect(texts).toEqual(
      expect.arrayContaining([
        'Logistic sigmoid, Hyperbolic tangent, Rectified linear unit and ELU and their derivatives',
        'Activation f(x)',
        'Derivative f′(x)',
        'f(x)',
        'f′(x)',
        'x',
        'Logistic sigmoid',
        'Hyperbolic tangent',
        'Rectified linear unit',
        'ELU',
      ]),
    );
    // One legend: each label once (legend entries are the only texts with these names besides the title).
    expect(texts.filter((text) => text === 'ELU')).toHaveLength(1);
  });

  it('tells two settings of one activation apart', async () => {
    const spec = activationPanelsChartSpec({
      activations: [{ resolved: resolveActivation('leaky_relu') }, { resolved: resolveActivation('leaky_relu', { negativeSlope: 0.2 }) }, { resolved: resolveActivation('leaky_relu') }],
      range: [-2, 2],
    });
    const { texts } = await render(spec);
    expect(texts).toEqual(expect.arrayContaining(['Leaky ReLU', 'Leaky ReLU (negativeSlope = 0.2)', 'Leaky ReLU #2']));
  });

  it('renders every activation in the catalogue', async () => {
    for (let start = 0; start < activations.length; start += 9) {
      const batch = activations.slice(start, start + 9).map((record) => ({ resolved: resolveActivation(record.id) }));
      await render(activationPanelsChartSpec({ activations: batch, range: [-4, 7], points: 201 }));
    }
  });
});
