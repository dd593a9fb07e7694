import { fetchJson, post, VEGA_LITE } from '../api';
import type { ControlSpec, Values } from '../controls';
import { element, formatNumber } from '../dom';
import { Figure } from '../figure';
import { Panel } from '../panel';

interface RecurrentAnswer {
  cell: string;
  summary: { log10GradientRatio: number | null; verdict: string };
}

/** The cells POST /v1/simulations/recurrent takes (its `cell` enum). */
export const CELLS = [
  { value: 'rnn', label: 'RNN' },
  { value: 'lstm', label: 'LSTM' },
  { value: 'gru', label: 'GRU' },
] as const;

const INPUT_SIZE = 32;

/** Backpropagation through time: the gradient reaching each step, cell against cell. */
export class TimePanel extends Panel {
  readonly id = 'time';
  readonly title = 'Through time';
  readonly intro = 'A recurrent network reads a sequence and is judged on its last step; backpropagation through time sends the gradient back step by step. Compare how much of it reaches the first step in a plain RNN, an LSTM and a GRU.';
  private readonly charts = new Map(CELLS.map(({ value, label }) => [value, new Figure(`time-${value}`, `${label}: gradient norm through time`)]));
  private readonly table = element('table', { class: 'facts' });

  protected controlSpecs(): ControlSpec[] {
    return [
      { key: 'cells', label: 'Cells', type: 'checkboxes', options: CELLS, default: 'rnn,lstm' },
      { key: 'steps', label: 'Steps T', type: 'range', min: 2, max: 300, step: 1, default: '100' },
      { key: 'hidden', label: 'Hidden units', type: 'select', options: ['32', '64', '128', '256'], default: '128' },
      { key: 'activation', label: 'RNN activation', type: 'select', options: ['tanh', 'relu', 'sigmoid', 'leaky_relu', 'elu', 'gelu', 'softsign', 'identity'], default: 'tanh', visible: (values) => (values['cells'] ?? '').includes('rnn') },
      { key: 'recurrentInit', label: 'W_h initialisation', type: 'select', options: ['orthogonal', 'identity', 'xavier_normal', 'he_normal', 'lecun_normal'], default: 'orthogonal' },
      { key: 'forgetBias', label: 'LSTM forget-gate bias', type: 'number', min: -10, max: 10, step: 0.5, default: '1', visible: (values) => (values['cells'] ?? '').includes('lstm') },
      { key: 'seed', label: 'Seed', type: 'number', min: 0, max: 1000000, step: 1, default: '1' },
    ];
  }

  protected build(): void {
    this.figures = [...this.charts.values()];
    this.figureBox.append(element('div', { class: 'table-scroll' }, this.table), ...this.figures.map((figure) => figure.element));
  }

  private body(cell: string, values: Values): unknown {
    return {
      cell,
      inputSize: INPUT_SIZE,
      hiddenSize: Number(values['hidden']),
      steps: Number(values['steps']),
      recurrentInit: values['recurrentInit'],
      seed: Number(values['seed']),
      ...(cell === 'rnn' ? { activation: values['activation'] } : {}),
      ...(cell === 'lstm' ? { forgetBias: Number(values['forgetBias']) } : {}),
    };
  }

  protected async render(values: Values, signal: AbortSignal): Promise<void> {
    const chosen = CELLS.filter(({ value }) => (values['cells'] ?? '').split(',').includes(value));
    for (const [cell, figure] of this.charts) figure.element.hidden = !chosen.some(({ value }) => value === cell);
    if (chosen.length === 0) {
      this.table.replaceChildren(element('caption', {}, 'Pick at least one cell.'));
      return;
    }
    const answers = await Promise.all(
      chosen.map(async ({ value }) => {
        const figure = this.charts.get(value) as Figure;
        const body = this.body(value, values);
        const request = post('/v1/simulations/recurrent', body, VEGA_LITE);
        figure.setRequest(request);
        figure.setState('loading', 'Backpropagating through time…');
        const [spec, answer] = await Promise.all([fetchJson(request, signal), fetchJson<RecurrentAnswer>(post('/v1/simulations/recurrent', body), signal)]);
        await figure.draw(spec);
        return { label: CELLS.find((cell) => cell.value === value)?.label ?? value, answer };
      }),
    );
    const steps = Number(values['steps']);
    this.table.replaceChildren(
      element('caption', {}, `How much of the last step’s gradient reaches step 1 of ${steps}`),
      element('thead', {}, element('tr', {}, ...['cell', 'log₁₀ ‖∂L/∂h₁‖ / ‖∂L/∂h_T‖', 'verdict'].map((text) => element('th', { scope: 'col' }, text)))),
      element(
        'tbody',
        {},
        ...answers.map(({ label, answer }) => element('tr', { 'data-cell': answer.cell }, element('th', { scope: 'row' }, label), element('td', {}, formatNumber(answer.summary.log10GradientRatio)), element('td', {}, answer.summary.verdict))),
      ),
    );
  }
}
