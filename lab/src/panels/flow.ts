import { fetchJson, post, VEGA_LITE } from '../api';
import type { ControlSpec, Values } from '../controls';
import { element, formatNumber } from '../dom';
import { Figure } from '../figure';
import { Panel } from '../panel';

/** What the gradient chart's spec carries besides the chart (its `usermeta`): the answer's summary and theory. */
interface FeedforwardAnswer {
  summary: { log10GradientRatio: number | null; meanLog10GainPerLayer: number | null; verdict: string };
  theory?: {
    sigmaW2: number;
    chi1: number | null;
    phase: string;
    predictedMeanLog10GainPerLayer: number | null;
    measuredMeanLog10GainPerLayer: number | null;
  };
}

export const INIT_SCHEMES = ['xavier_normal', 'xavier_uniform', 'he_normal', 'he_uniform', 'lecun_normal', 'lecun_uniform', 'orthogonal'];

/** The simulation request of a panel state. */
export function feedforwardBody(values: Values): unknown {
  const gain = Number(values['gain']);
  const residual = values['residual'] ?? 'none';
  const network = {
    depth: Number(values['depth']),
    width: Number(values['width']),
    activation: values['activation'],
    init: gain === 1 ? values['init'] : { scheme: values['init'], gain },
    ...(values['norm'] === 'batch' ? { batchNorm: true } : {}),
    ...(values['norm'] === 'layer' ? { layerNorm: true } : {}),
    ...(residual === 'none' ? {} : { residual: residual === 'plain' ? true : residual }),
  };
  return { network, input: { batchSize: Number(values['batch']) }, trials: Number(values['trials']), seed: Number(values['seed']) };
}

const PHASE_WORDS: Record<string, string> = {
  ordered: 'the ordered phase, where gradients vanish',
  critical: 'the edge of chaos, where gradients neither vanish nor explode',
  chaotic: 'the chaotic phase, where gradients explode',
};

/** 10 to a power, written as people write it. */
const power = (exponent: number | null): string => (exponent === null ? '—' : `10${formatNumber(exponent).replace(/./g, (character) => SUPERSCRIPTS[character] ?? character)}`);
const SUPERSCRIPTS: Record<string, string> = { '−': '⁻', '.': '·', '0': '⁰', '1': '¹', '2': '²', '3': '³', '4': '⁴', '5': '⁵', '6': '⁶', '7': '⁷', '8': '⁸', '9': '⁹', e: 'ᵉ', '+': '⁺' };

/** The verdict in words, from the answer's summary and the theory beside it. */
export function verdictInWords(answer: FeedforwardAnswer, depth: number): string[] {
  const { summary, theory } = answer;
  const ratio = summary.log10GradientRatio;
  const gain = summary.meanLog10GainPerLayer;
  const headline = {
    vanishing: 'Vanishing gradients.',
    exploding: 'Exploding gradients.',
    stable: 'Stable: the gradient reaches the first layer.',
  }[summary.verdict] ?? summary.verdict;
  const sentences = [headline];
  if (ratio !== null && depth > 1) {
    sentences.push(`Layer 1’s weight gradient is ${power(ratio)} of layer ${depth}’s; going back, ‖∂L/∂z‖ changes by a factor of about ${power(gain)} per layer.`);
  }
  if (theory === undefined) {
    sentences.push('Mean-field theory does not describe this network (it needs one activation and one random scheme, every layer as wide as its input, no normalisation or residual connections).');
  } else {
    sentences.push(
      `Mean-field theory: σ_w² = ${formatNumber(theory.sigmaW2)}, χ₁ = ${formatNumber(theory.chi1)}, ${PHASE_WORDS[theory.phase] ?? theory.phase}; it predicts ${formatNumber(theory.predictedMeanLog10GainPerLayer)} decades per layer, and ${formatNumber(theory.measuredMeanLog10GainPerLayer)} were measured (the dashed line).`,
    );
  }
  return sentences;
}

/** A feed-forward network forward and back: gradient norm per layer, the forward statistics, the theory and the verdict. */
export class FlowPanel extends Panel {
  readonly id = 'flow';
  readonly title = 'Gradient flow';
  readonly intro = 'Build a deep network and push a random batch through it and back: the gradient norm at every layer (with mean-field theory’s prediction, dashed, where it applies), and what the forward pass did to the signal.';
  private readonly gradients = new Figure('flow-gradients', 'Gradient norm per layer');
  private readonly statistics = new Figure('flow-statistics', 'Forward statistics per layer');
  private readonly verdict = element('div', { class: 'verdict', role: 'status', 'data-verdict': '' });

  protected controlSpecs(): ControlSpec[] {
    return [
      { key: 'activation', label: 'Activation (every layer)', type: 'select', options: this.context.catalogue.activations.map((activation) => activation.id), default: 'sigmoid' },
      { key: 'depth', label: 'Depth', type: 'range', min: 1, max: 100, step: 1, default: '30' },
      { key: 'width', label: 'Width', type: 'select', options: ['16', '32', '64', '128', '256', '512'], default: '128' },
      { key: 'init', label: 'Initialisation', type: 'select', options: INIT_SCHEMES, default: 'xavier_normal' },
      { key: 'gain', label: 'Gain', type: 'number', min: 0.05, max: 8, step: 0.05, default: '1', help: 'Multiplies the scheme’s standard deviation.' },
      {
        key: 'norm',
        label: 'Normalisation',
        type: 'select',
        options: [
          { value: 'none', label: 'none' },
          { value: 'batch', label: 'batch norm' },
          { value: 'layer', label: 'layer norm' },
        ],
        default: 'none',
      },
      {
        key: 'residual',
        label: 'Residual connections',
        type: 'select',
        options: [
          { value: 'none', label: 'none' },
          { value: 'plain', label: 'a + φ(z)' },
          { value: 'post-norm', label: 'post-norm' },
          { value: 'pre-norm', label: 'pre-norm' },
        ],
        default: 'none',
      },
      { key: 'batch', label: 'Batch size', type: 'select', options: ['16', '32', '64', '128', '256'], default: '128' },
      { key: 'trials', label: 'Trials', type: 'range', min: 1, max: 8, step: 1, default: '1', help: 'Independent random networks: the line is their mean, the band their range.' },
      { key: 'seed', label: 'Seed', type: 'number', min: 0, max: 1000000, step: 1, default: '1' },
    ];
  }

  protected build(): void {
    this.figures = [this.gradients, this.statistics];
    this.figureBox.append(this.verdict, this.gradients.element, this.statistics.element);
  }

  protected async render(values: Values, signal: AbortSignal): Promise<void> {
    const body = feedforwardBody(values);
    const gradientRequest = post('/v1/simulations/feedforward?chart=gradients&norms=preactivation,weight', body, VEGA_LITE);
    const statisticsRequest = post('/v1/simulations/feedforward?chart=statistics', body, VEGA_LITE);
    this.gradients.setRequest(gradientRequest);
    this.statistics.setRequest(statisticsRequest);
    this.gradients.setState('loading', 'Simulating…');
    this.statistics.setState('loading', 'Simulating…');
    this.verdict.setAttribute('aria-busy', 'true');
    // Two simulations of the same seeded network, one per chart, on the service's two threads at once.
    const [gradientSpec, statisticsSpec] = await Promise.all([fetchJson<{ usermeta: FeedforwardAnswer }>(gradientRequest, signal), fetchJson(statisticsRequest, signal)]);
    await Promise.all([this.gradients.draw(gradientSpec), this.statistics.draw(statisticsSpec)]);
    const answer = gradientSpec.usermeta;
    const sentences = verdictInWords(answer, Number(values['depth']));
    this.verdict.dataset['verdict'] = answer.summary.verdict;
    this.verdict.removeAttribute('aria-busy');
    this.verdict.replaceChildren(element('strong', {}, sentences[0] ?? ''), ` ${sentences.slice(1).join(' ')}`);
  }
}
