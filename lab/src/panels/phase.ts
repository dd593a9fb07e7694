import { fetchJson, post, VEGA_LITE } from '../api';
import type { ControlSpec, Values } from '../controls';
import { element, formatNumber } from '../dom';
import { Figure } from '../figure';
import { Panel } from '../panel';

interface MeanField {
  qStar: number | null;
  chi1: number | null;
  phase: string;
  xiC: number | null;
  xiCInfinite: boolean;
}

interface JacobianAnswer {
  spectrum: { squaredSingularValues: { log10Mean: number | null; relativeVariance: number | null }; conditionNumber: number | null; numericalRank: number; count: number };
}

const GRIDS: Record<string, { w: number; b: number }> = { coarse: { w: 24, b: 12 }, fine: { w: 48, b: 24 } };
const SIGMA_W2 = { start: 0.25, stop: 4 };
const SIGMA_B2 = { start: 0, stop: 0.5 };

/** Mean-field theory's phase diagram; a click (or the two inputs) picks σ_w², σ_b², and a network there is simulated. */
export class PhasePanel extends Panel {
  readonly id = 'phase';
  readonly title = 'Phase diagram';
  readonly intro = 'χ₁ is the factor by which squared gradient norms change per layer in an infinitely wide random network: below 1 (blue, ordered) they vanish, above 1 (orange, chaotic) they explode, and deep networks train near the line χ₁ = 1. Click a cell — or type σ_w² and σ_b² — to build a network there and measure its input–output Jacobian.';
  private readonly diagram = new Figure('phase-diagram', 'χ₁ over σ_w² × σ_b²');
  private readonly spectrum = new Figure('phase-spectrum', 'Singular values of the Jacobian of a network at the chosen point');
  private readonly summary = element('div', { class: 'verdict', role: 'status' });
  private diagramKey = '';

  protected controlSpecs(): ControlSpec[] {
    return [
      { key: 'activation', label: 'Activation', type: 'select', options: this.context.catalogue.activations.map((activation) => activation.id), default: 'tanh' },
      {
        key: 'grid',
        label: 'Grid',
        type: 'select',
        options: [
          { value: 'coarse', label: 'coarse (24 × 12)' },
          { value: 'fine', label: 'fine (48 × 24)' },
        ],
        default: 'coarse',
      },
      { key: 'w2', label: 'σ_w² (weight variance × fan-in)', type: 'number', min: 0.01, max: 10, step: 0.01, default: '1.5' },
      { key: 'b2', label: 'σ_b² (bias variance)', type: 'number', min: 0, max: 2, step: 0.01, default: '0.05' },
      { key: 'depth', label: 'Depth of the network', type: 'range', min: 1, max: 100, step: 1, default: '30' },
      { key: 'width', label: 'Width', type: 'select', options: ['64', '128', '256'], default: '128' },
    ];
  }

  protected build(): void {
    this.figures = [this.diagram, this.spectrum];
    this.diagram.onClick((datum) => {
      // A heat-map cell spans [w0, w1] × [b0, b1] around its grid point; the critical line's points are points.
      const point = typeof datum['w0'] === 'number' ? { w2: ((datum['w0'] as number) + (datum['w1'] as number)) / 2, b2: ((datum['b0'] as number) + (datum['b1'] as number)) / 2 } : { w2: datum['sigmaW2'], b2: datum['sigmaB2'] };
      if (typeof point.w2 !== 'number' || typeof point.b2 !== 'number') return;
      const w2 = String(Number(point.w2.toFixed(3)));
      const b2 = String(Number(point.b2.toFixed(3)));
      for (const control of this.controls) {
        if (control.spec.key === 'w2') control.set(w2);
        if (control.spec.key === 'b2') control.set(b2);
      }
      this.values = { ...this.values, w2 };
      this.change('b2', b2);
    });
    this.figureBox.append(this.diagram.element, this.summary, this.spectrum.element);
  }

  protected async render(values: Values, signal: AbortSignal): Promise<void> {
    const activation = values['activation'] ?? 'tanh';
    const grid = GRIDS[values['grid'] ?? 'coarse'] ?? { w: 24, b: 12 };
    const diagramRequest = post('/v1/theory/phase-diagram', { activation, sigmaW2: { ...SIGMA_W2, count: grid.w }, sigmaB2: { ...SIGMA_B2, count: grid.b } }, VEGA_LITE);
    const w2 = Number(values['w2']);
    const b2 = Number(values['b2']);
    const depth = Number(values['depth']);
    const width = Number(values['width']);
    const network = { depth, width, activation, init: { scheme: 'lecun_normal', gain: Math.sqrt(w2) } };
    const spectrumBody = { network, biasStd: Math.sqrt(b2), seed: 1 };
    const spectrumRequest = post('/v1/simulations/jacobian', spectrumBody, VEGA_LITE);
    const key = JSON.stringify(diagramRequest.body);
    const drawDiagram = key !== this.diagramKey;
    this.diagram.setRequest(diagramRequest);
    this.spectrum.setRequest(spectrumRequest);
    if (drawDiagram) this.diagram.setState('loading', 'Computing χ₁ on the grid…');
    this.spectrum.setState('loading', `Simulating a ${depth}-layer network at σ_w² = ${formatNumber(w2)}, σ_b² = ${formatNumber(b2)}…`);
    const [diagramSpec, spectrumSpec, jacobian, theory] = await Promise.all([
      drawDiagram ? fetchJson(diagramRequest, signal) : Promise.resolve(null),
      fetchJson(spectrumRequest, signal),
      fetchJson<JacobianAnswer>(post('/v1/simulations/jacobian', spectrumBody), signal),
      fetchJson<MeanField>(post('/v1/theory/mean-field', { activation, sigmaW2: w2, sigmaB2: b2, depth }), signal),
    ]);
    if (diagramSpec !== null) {
      await this.diagram.draw(diagramSpec, 'Click a cell to simulate a network there.');
      this.diagramKey = key;
    }
    await this.spectrum.draw(spectrumSpec);
    const measured = jacobian.spectrum.squaredSingularValues.log10Mean;
    const predicted = theory.chi1 === null ? null : depth * Math.log10(theory.chi1);
    const depthScale = theory.xiCInfinite ? 'infinite (critical)' : formatNumber(theory.xiC === null ? null : Math.abs(theory.xiC));
    this.summary.replaceChildren(
      element('strong', {}, `σ_w² = ${formatNumber(w2)}, σ_b² = ${formatNumber(b2)}: ${theory.phase}.`),
      ` χ₁ = ${formatNumber(theory.chi1)}, q* = ${formatNumber(theory.qStar)}, depth scale ξ_c = ${depthScale} layers. After ${depth} layers theory predicts log₁₀ mean σ² = ${formatNumber(predicted)} (L·log₁₀ χ₁); this network measures ${formatNumber(measured)}, with relative variance ${formatNumber(jacobian.spectrum.squaredSingularValues.relativeVariance)} (0 is perfect isometry).`,
    );
  }
}
