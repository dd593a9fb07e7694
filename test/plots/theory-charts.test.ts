import { describe, expect, it } from 'vitest';
import { PlotInputError } from '../../src/plots/chart-input.js';
import type { ChartSpec } from '../../src/plots/render.js';
import { type PhaseDiagramInput, jacobianSpectrumSpec, phaseDiagram, phaseDiagramSpec } from '../../src/plots/theory-charts.js';
import { renderChecked as render } from './svg.js';


/** Bars of a histogram spec: [start, end, count] on the plotted axis. */
function bars(spec: ChartSpec): [number, number, number][] {
  const layers = ('layer' in spec ? spec.layer : []) as { mark: { type: string }; data: { values: { start: number; end: number; count: number }[] } }[];
  return layers.filter(({ mark }) => mark.type === 'bar').flatMap(({ data }) => data.values.map(({ start, end, count }) => [start, end, count] as [number, number, number]));
}

// A toy χ₁ = σ_w² / (1 + 10 σ_b²): critical along σ_w² = 1 + 10 σ_b².
const sigmaW2 = Array.from({ length: 21 }, (_, index) => 0.5 + 0.1 * index);
const sigmaB2 = Array.from({ length: 11 }, (_, index) => 0.02 * index);
const phase: PhaseDiagramInput = {
  sigmaW2,
  sigmaB2,
  chi1: sigmaB2.map((b) => sigmaW2.map((w) => w / (1 + 10 * b))),
  criticalLine: sigmaB2.map((b) => ({ sigmaW2: 1 + 10 * b, sigmaB2: b })).filter(({ sigmaW2: w }) => w <= 2.5),
  activation: 'tanh',
};

describe('phaseDiagram', () => {
  it('draws χ₁ as a heat map with its legend and the critical line, titled and labelled', async () => {
    const { texts } = await render(phaseDiagramSpec(phase));
    expect(texts).toEqual(
      expect.arrayContaining(['Order–chaos phase diagram: tanh', 'σ_w² (weight variance)', 'σ_b² (bias variance)', 'χ₁', '1', 'critical line χ₁ = 1']),
    );
  });

  it('gives the same SVG for the same input, gradient legend included', async () => {
    const [first, second] = await Promise.all([phaseDiagram(phase), phaseDiagram(phase)]);
    expect(first).toBe(second);
    expect(first).toContain('url(#gradient_1)');
  });

  it('leaves cells without a positive χ₁ blank and says how many', async () => {
    const chi1 = phase.chi1.map((row, index) => (index === 0 ? row.map(() => 0) : row));
    const { texts } = await render(phaseDiagramSpec({ ...phase, chi1 }));
    expect(texts).toContain('Left blank: 21 cells without a positive finite χ₁.');
  });

  it.each([
    ['a missing row', { chi1: phase.chi1.slice(1) }],
    ['a short row', { chi1: phase.chi1.map((row, index) => (index === 3 ? row.slice(1) : row)) }],
    ['a decreasing grid', { sigmaW2: [...sigmaW2].reverse() }],
    ['an empty grid', { sigmaW2: [], chi1: sigmaB2.map(() => []) }],
    ['more cells than allowed', { sigmaW2: Array.from({ length: 1001 }, (_, index) => index), chi1: sigmaB2.map(() => Array.from({ length: 1001 }, () => 1)) }],
  ])('refuses %s', (_, change) => {
    expect(() => phaseDiagramSpec({ ...phase, ...change })).toThrow(PlotInputError);
  });
});

describe('jacobianSpectrum', () => {
  const singularValues = Array.from({ length: 200 }, (_, index) => 0.05 + (2.4 * index) / 199);

  it('bins the singular values, every one counted, with σ = 1 marked', async () => {
    const spec = jacobianSpectrumSpec({ singularValues, title: 'Jacobian spectrum, tanh, depth 20' });
    expect(bars(spec).reduce((total, [, , count]) => total + count, 0)).toBe(200);
    const { texts } = await render(spec);
    expect(texts).toEqual(expect.arrayContaining(['Jacobian spectrum, tanh, depth 20', 'singular value σ', 'count', 'σ = 1 (isometry)']));
  });

  it('bins log10 σ on whole decades on a log scale and counts zeros apart', async () => {
    const spread = [0, 0, ...Array.from({ length: 50 }, (_, index) => 10 ** (-8 + index / 7))];
    const spec = jacobianSpectrumSpec({ singularValues: spread, scale: 'log10' });
    expect(bars(spec).reduce((total, [, , count]) => total + count, 0)).toBe(50);
    expect(bars(spec)[0]?.[0]).toBe(-8);
    const { texts } = await render(spec);
    expect(texts).toEqual(expect.arrayContaining(['singular value σ (log scale)', '10⁻⁸', '10⁰', 'Not shown: 2 exactly zero (log₁₀ = −∞).']));
  });

  it('draws bins given by the caller', async () => {
    const spec = jacobianSpectrumSpec({ bins: [{ start: 0, end: 0.5, count: 3 }, { start: 0.5, end: 1, count: 7 }] });
    expect(bars(spec)).toEqual([
      [0, 0.5, 3],
      [0.5, 1, 7],
    ]);
    const { texts } = await render(spec);
    expect(texts).toContain('10 singular values in 2 bins');
  });

  it.each([
    ['neither values nor bins', {}],
    ['both values and bins', { singularValues: [1], bins: [{ start: 0, end: 1, count: 1 }] }],
    ['a negative singular value', { singularValues: [1, -1] }],
    ['no values', { singularValues: [] }],
    ['only zeros on a log scale', { singularValues: [0, 0], scale: 'log10' as const }],
    ['a bin at 0 on a log scale', { bins: [{ start: 0, end: 1, count: 1 }], scale: 'log10' as const }],
    ['an empty bin range', { bins: [{ start: 1, end: 1, count: 1 }] }],
  ])('refuses %s', (_, input) => {
    expect(() => jacobianSpectrumSpec(input)).toThrow(PlotInputError);
  });
});
