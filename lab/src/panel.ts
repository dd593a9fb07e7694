import { ApiError, isAbort } from './api';
import { buildControl, refreshVisibility, type BuiltControl, type ControlSpec, type Values } from './controls';
import { element } from './dom';
import type { Figure } from './figure';

/** What every panel may use: the catalogue (read once) and a way to say its state changed. */
export interface Catalogue {
  activations: ActivationEntry[];
}

export interface ActivationEntry {
  id: string;
  name: string;
  parameters: { name: string; type: 'number' | 'string'; default: number | string; description: string; minimum?: number; exclusiveMinimum?: number; maximum?: number; exclusiveMaximum?: number; enum?: string[] }[];
  derivativeAtZero: number;
  maxDerivative: number | null;
  kinks: { x: number; derivative: number; convention: string }[];
}

export interface PanelContext {
  catalogue: Catalogue;
  /** A panel's values changed: the URL follows. */
  stateChanged(): void;
}

/**
 * A panel: its controls (data, see controls.ts), its figures and a `render`
 * that turns the values into requests and draws their answers. A change
 * aborts the requests still in flight for the previous values.
 */
export abstract class Panel {
  abstract readonly id: string;
  abstract readonly title: string;
  /** One or two sentences above the controls. */
  abstract readonly intro: string;
  readonly section: HTMLElement = element('section', { class: 'panel', role: 'tabpanel' });
  values: Values = {};
  protected controls: BuiltControl[] = [];
  protected figures: Figure[] = [];
  protected readonly controlBox = element('form', { class: 'controls' });
  protected readonly figureBox = element('div', { class: 'figures' });
  protected readonly notes = element('div', { class: 'notes', 'aria-live': 'polite' });
  private controller: AbortController | null = null;
  private dirty = true;
  active = false;

  constructor(protected readonly context: PanelContext) {}

  protected abstract controlSpecs(): ControlSpec[];
  protected abstract render(values: Values, signal: AbortSignal): Promise<void>;
  /** Builds the figures (and anything else the panel shows besides its controls). */
  protected abstract build(): void;

  /** Defaults of the controls, plus those of keys a panel adds itself (activation parameters). */
  defaults(): Values {
    return Object.fromEntries(this.controlSpecs().map((spec) => [spec.key, spec.default]));
  }

  mount(initial: Values): HTMLElement {
    this.section.id = `panel-${this.id}`;
    this.section.setAttribute('aria-labelledby', `tab-${this.id}`);
    this.values = { ...this.defaults(), ...initial };
    this.controlBox.setAttribute('aria-label', `${this.title} settings`);
    this.controlBox.addEventListener('submit', (event) => event.preventDefault());
    this.controls = this.controlSpecs().map((spec) => buildControl(this.id, spec, this.values[spec.key] ?? spec.default, (key, value) => this.change(key, value)));
    this.controlBox.append(...this.controls.map((control) => control.element));
    refreshVisibility(this.controls, this.values);
    this.build();
    this.section.append(element('h2', { class: 'visually-hidden' }, this.title), element('p', { class: 'intro' }, this.intro), this.controlBox, this.notes, this.figureBox);
    return this.section;
  }

  /** A control changed. */
  change(key: string, value: string): void {
    window.lab.lastChange = performance.now();
    this.values = { ...this.values, [key]: value };
    refreshVisibility(this.controls, this.values);
    this.context.stateChanged();
    this.invalidate();
  }

  /** Replaces every value (a tour step, a shared link): defaults, then `values`. */
  apply(values: Values): void {
    this.values = { ...this.defaults(), ...values };
    for (const control of this.controls) control.set(this.values[control.spec.key] ?? control.spec.default);
    refreshVisibility(this.controls, this.values);
    this.afterApply();
    this.invalidate();
  }

  /** Panels with controls of their own (built outside controlSpecs) refresh them here. */
  protected afterApply(): void {}

  /** The values that differ from the defaults: what a link has to carry. */
  changedValues(): Values {
    const defaults = this.defaults();
    return Object.fromEntries(Object.entries(this.values).filter(([key, value]) => defaults[key] !== value));
  }

  show(): void {
    this.active = true;
    if (this.dirty) this.refresh();
  }

  hide(): void {
    this.active = false;
  }

  protected invalidate(): void {
    this.dirty = true;
    if (this.active) this.refresh();
  }

  /** Aborts what is in flight and renders the current values. */
  refresh(): void {
    this.dirty = false;
    this.controller?.abort();
    const controller = new AbortController();
    this.controller = controller;
    this.render(this.values, controller.signal).catch((error: unknown) => {
      if (isAbort(error) || controller.signal.aborted) return;
      const message = error instanceof ApiError ? error.message : `Unexpected failure: ${String(error)}`;
      for (const figure of this.figures) if (figure.element.dataset['state'] === 'loading') figure.setState('error', message);
      console.warn(error);
    });
  }

  /** Stops what is in flight (leaving the panel, or the race's stop button). */
  abort(): void {
    this.controller?.abort();
    this.controller = null;
  }
}
