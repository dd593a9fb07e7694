import { fetchJson, post, VEGA_LITE } from '../api';
import type { ControlSpec, Values } from '../controls';
import { element, formatNumber } from '../dom';
import { Figure } from '../figure';
import { Panel, type ActivationEntry } from '../panel';

/** The service draws at most this many activations in one chart (MAX_CHART_ACTIVATIONS). */
const MAX_ACTIVATIONS = 12;

interface Evaluation {
  results: { activation: string; value: number[]; derivative: number[] }[];
}

/** The key of an activation parameter in the panel's values (and the URL): `p.elu.alpha`. */
const parameterKey = (id: string, name: string): string => `p.${id}.${name}`;

/** Activations, their parameters, their values and derivatives, and what the service returns at the corners. */
export class ActivationsPanel extends Panel {
  readonly id = 'activations';
  readonly title = 'Activations';
  readonly intro = 'Pick activations and their parameters: the left panel shows f(x), the right f′(x). A filled dot marks what the service returns at a kink (PyTorch’s convention), an open circle the one-sided limit it does not take.';
  private readonly chart = new Figure('activations-curves', 'Activations and their derivatives');
  private readonly parameterBox = element('fieldset', { class: 'control parameters' });
  private readonly table = element('table', { class: 'facts' });

  protected controlSpecs(): ControlSpec[] {
    return [
      {
        key: 'acts',
        label: 'Activations',
        type: 'checkboxes',
        options: this.context.catalogue.activations.map((activation) => activation.id),
        default: 'sigmoid,tanh,relu',
        help: `Up to ${MAX_ACTIVATIONS} at once.`,
      },
      { key: 'start', label: 'x from', type: 'number', min: -100, max: 100, step: 0.5, default: '-5' },
      { key: 'stop', label: 'x to', type: 'number', min: -100, max: 100, step: 0.5, default: '5' },
    ];
  }

  override defaults(): Values {
    const defaults = super.defaults();
    for (const activation of this.context.catalogue.activations) {
      for (const parameter of activation.parameters) defaults[parameterKey(activation.id, parameter.name)] = String(parameter.default);
    }
    return defaults;
  }

  protected build(): void {
    this.figures = [this.chart];
    this.controlBox.append(this.parameterBox);
    this.figureBox.append(this.chart.element, element('h3', {}, 'At x = 0 and at the corners'), element('div', { class: 'table-scroll' }, this.table));
    this.buildParameters();
  }

  protected override afterApply(): void {
    this.buildParameters();
  }

  private selected(values: Values): ActivationEntry[] {
    const ids = new Set((values['acts'] ?? '').split(',').filter(Boolean));
    return this.context.catalogue.activations.filter((activation) => ids.has(activation.id));
  }

  /** One input per parameter of every selected activation. */
  private buildParameters(): void {
    const inputs = this.selected(this.values).flatMap((activation) =>
      activation.parameters.map((parameter) => {
        const key = parameterKey(activation.id, parameter.name);
        const id = `activations-${key.replace(/\W/g, '-')}`;
        const value = this.values[key] ?? String(parameter.default);
        const label = element('label', { for: id, title: parameter.description }, `${activation.id} ${parameter.name}`);
        if (parameter.enum !== undefined) {
          const select = element('select', { id }, ...parameter.enum.map((option) => element('option', { value: option }, option)));
          select.value = value;
          select.addEventListener('change', () => this.change(key, select.value));
          return element('div', { class: 'control' }, label, select);
        }
        const input = element('input', { id, type: 'number', step: '0.05' });
        if (parameter.minimum !== undefined) input.min = String(parameter.minimum);
        if (parameter.maximum !== undefined) input.max = String(parameter.maximum);
        input.value = value;
        input.addEventListener('change', () => {
          const number = Number(input.value);
          const valid = input.value !== '' && Number.isFinite(number) && !(parameter.exclusiveMinimum !== undefined && number <= parameter.exclusiveMinimum) && !(parameter.minimum !== undefined && number < parameter.minimum);
          input.toggleAttribute('aria-invalid', !valid);
          if (valid) this.change(key, input.value);
        });
        return element('div', { class: 'control' }, label, input);
      }),
    );
    this.parameterBox.replaceChildren(element('legend', {}, 'Parameters'), ...(inputs.length === 0 ? [element('p', { class: 'help' }, 'The selected activations have no parameters.')] : inputs));
  }

  override change(key: string, value: string): void {
    super.change(key, value);
    if (key === 'acts') this.buildParameters();
  }

  /** The activations as the API takes them: an id, or `{ id, params }` with the parameters set here. */
  private references(values: Values, activations: readonly ActivationEntry[]): (string | { id: string; params: Record<string, number | string> })[] {
    return activations.map((activation) => {
      if (activation.parameters.length === 0) return activation.id;
      const params = Object.fromEntries(
        activation.parameters.map((parameter) => {
          const text = values[parameterKey(activation.id, parameter.name)] ?? String(parameter.default);
          return [parameter.name, parameter.type === 'number' ? Number(text) : text];
        }),
      );
      return { id: activation.id, params };
    });
  }

  protected async render(values: Values, signal: AbortSignal): Promise<void> {
    const activations = this.selected(values);
    const start = Number(values['start']);
    const stop = Number(values['stop']);
    if (activations.length === 0 || activations.length > MAX_ACTIVATIONS) {
      this.chart.setState('error', activations.length === 0 ? 'Pick at least one activation.' : `Pick at most ${MAX_ACTIVATIONS} activations (${activations.length} are picked).`);
      return;
    }
    if (!(start < stop)) {
      this.chart.setState('error', '“x from” must be below “x to”.');
      return;
    }
    const references = this.references(values, activations);
    const chartRequest = post('/v1/plots/activations', { activations: references, start, stop, layout: 'panels' }, VEGA_LITE);
    this.chart.setRequest(chartRequest);
    this.chart.setState('loading', 'Drawing…');
    const corners = [...new Set([0, ...activations.flatMap((activation) => activation.kinks.map((kink) => kink.x))])];
    const [spec, evaluation] = await Promise.all([
      fetchJson(chartRequest, signal),
      fetchJson<Evaluation>(post('/v1/evaluate', { x: corners, activations: references, outputs: ['value', 'derivative'] }), signal),
    ]);
    await this.chart.draw(spec);
    this.renderTable(activations, corners, evaluation);
  }

  private renderTable(activations: readonly ActivationEntry[], corners: readonly number[], evaluation: Evaluation): void {
    const header = element('tr', {}, ...['activation', 'f(0)', 'f′(0)', 'sup |f′| (defaults)', 'kinks (at the default parameters): f′ returned'].map((text) => element('th', { scope: 'col' }, text)));
    const rows = activations.map((activation, index) => {
      const result = evaluation.results[index];
      const at = (x: number): number | undefined => result?.derivative[corners.indexOf(x)];
      const kinks = activation.kinks.length === 0 ? 'smooth: none' : activation.kinks.map((kink) => `x = ${formatNumber(kink.x)} → ${formatNumber(at(kink.x))} (${kink.convention})`).join('; ');
      return element(
        'tr',
        {},
        element('th', { scope: 'row' }, activation.id),
        element('td', {}, formatNumber(result?.value[0], 4)),
        element('td', {}, formatNumber(result?.derivative[0], 4)),
        element('td', {}, formatNumber(activation.maxDerivative, 4)),
        element('td', {}, kinks),
      );
    });
    this.table.replaceChildren(element('caption', { class: 'visually-hidden' }, 'Values and derivatives at 0 and at the kinks'), element('thead', {}, header), element('tbody', {}, ...rows));
  }
}
