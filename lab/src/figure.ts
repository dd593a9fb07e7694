import embed, { type Result } from 'vega-embed';
import { expressionInterpreter } from 'vega-interpreter';
import { curlOf, pythonOf, type ApiRequest } from './api';
import { element } from './dom';

/**
 * One figure of a panel: a caption, a status line read out by screen readers,
 * the chart (the service's Vega-Lite spec, drawn by vega-embed) and the
 * request behind it as curl and Python. Every figure registers itself in
 * `window.lab`, where the browser tests and the bench read what was drawn.
 */

export type FigureState = 'idle' | 'loading' | 'ready' | 'error' | 'stopped';

type Spec = Parameters<typeof embed>[1];

interface FigureRecord {
  state: FigureState;
  /** Incremented at every completed draw. */
  version: number;
  /** performance.now() when the last draw completed. */
  drawnAt: number | null;
  spec: unknown;
  request: ApiRequest | null;
  message: string;
}

interface LabGlobal {
  figures: Record<string, FigureRecord>;
  /** performance.now() of the last control change (the bench measures redraws from it). */
  lastChange: number | null;
  /** Every dataset of a figure's Vega view, as drawn: the data behind the chart. */
  data(id: string): Record<string, unknown[]>;
  /** The guided tour's steps (title and panel), for the tests to walk. */
  tour: { title: string; panel: string }[];
}

declare global {
  interface Window {
    lab: LabGlobal;
  }
}

const views = new Map<string, Result>();

window.lab = {
  figures: {},
  lastChange: null,
  tour: [],
  data(id) {
    const result = views.get(id);
    if (result === undefined) return {};
    const state = result.view.getState({ data: () => true, signals: () => false, recurse: true }) as { data?: Record<string, unknown[]> };
    // Vega's tuples hold references into its dataflow: the plain fields are the data.
    const plain = (row: unknown): Record<string, unknown> => Object.fromEntries(Object.entries(row as object).filter(([, value]) => value === null || typeof value !== 'object'));
    return Object.fromEntries(Object.entries(state.data ?? {}).map(([name, rows]) => [name, Array.isArray(rows) ? rows.map(plain) : []]));
  },
};

/** vega-embed's options: SVG (crisp on projectors, scalable at 375 px), no eval (the lab's CSP forbids it), no action menu. */
const embedOptions = {
  renderer: 'svg',
  actions: false,
  ast: true,
  expr: expressionInterpreter,
  defaultStyle: false,
} as const;

async function copyText(text: string, button: HTMLButtonElement): Promise<void> {
  const label = button.textContent;
  try {
    await navigator.clipboard.writeText(text);
    button.textContent = 'Copied';
  } catch {
    button.textContent = 'Select the text below to copy';
  }
  setTimeout(() => (button.textContent = label), 1500);
}

export class Figure {
  readonly element: HTMLElement;
  private readonly status: HTMLElement;
  private readonly chart: HTMLElement;
  private readonly curl: HTMLElement;
  private readonly python: HTMLElement;
  private readonly record: FigureRecord;
  private clickHandler: ((datum: Record<string, unknown>) => void) | null = null;
  private request: ApiRequest | null = null;

  constructor(
    readonly id: string,
    caption: string,
  ) {
    const captionId = `${id}-caption`;
    this.status = element('p', { class: 'status', role: 'status', 'aria-live': 'polite' });
    // Focusable: on a narrow screen the chart scrolls sideways, and a keyboard must be able to scroll it.
    this.chart = element('div', { class: 'chart', tabindex: '0', role: 'region', 'aria-label': `Chart: ${caption}` });
    this.curl = element('pre', { class: 'snippet', tabindex: '0', 'aria-label': 'curl command' });
    this.python = element('pre', { class: 'snippet', tabindex: '0', 'aria-label': 'Python script' });
    const copyCurl = element('button', { type: 'button' }, 'Copy as curl');
    const copyPython = element('button', { type: 'button' }, 'Copy as Python');
    copyCurl.addEventListener('click', () => void copyText(this.curl.textContent ?? '', copyCurl));
    copyPython.addEventListener('click', () => void copyText(this.python.textContent ?? '', copyPython));
    const details = element(
      'details',
      { class: 'request' },
      element('summary', {}, 'The request behind this figure'),
      element('div', { class: 'copy' }, copyCurl, copyPython),
      element('h4', {}, 'curl'),
      this.curl,
      element('h4', {}, 'Python'),
      this.python,
    );
    this.element = element(
      'figure',
      { class: 'figure', 'data-figure': id, 'data-state': 'idle', 'aria-labelledby': captionId },
      element('figcaption', { id: captionId }, caption),
      this.status,
      this.chart,
      details,
    );
    this.record = { state: 'idle', version: 0, drawnAt: null, spec: null, request: null, message: '' };
    window.lab.figures[id] = this.record;
  }

  /** The request the figure shows (and offers as curl and Python). */
  setRequest(request: ApiRequest): void {
    this.request = request;
    this.record.request = request;
    this.curl.textContent = curlOf(request, location.origin);
    this.python.textContent = pythonOf(request, location.origin);
  }

  get currentRequest(): ApiRequest | null {
    return this.request;
  }

  setState(state: FigureState, message = ''): void {
    this.record.state = state;
    this.record.message = message;
    this.element.dataset['state'] = state;
    this.status.textContent = message;
    this.status.classList.toggle('error', state === 'error');
  }

  /** Calls `handler` with the datum under a click (the phase diagram's cells). */
  onClick(handler: (datum: Record<string, unknown>) => void): void {
    this.clickHandler = handler;
  }

  /** Draws a spec (replacing the previous view) and marks the figure ready. */
  async draw(spec: unknown, message = ''): Promise<void> {
    // Drawn off to the side and swapped in, so that the old chart stays until the new one is complete.
    const target = element('div');
    const result = await embed(target, spec as Spec, embedOptions);
    views.get(this.id)?.finalize();
    this.chart.replaceChildren(target);
    views.set(this.id, result);
    const handler = this.clickHandler;
    if (handler !== null) {
      result.view.addEventListener('click', (_event, item) => {
        const datum = (item as { datum?: Record<string, unknown> } | null | undefined)?.datum;
        if (datum !== undefined) handler(datum);
      });
    }
    this.record.spec = spec;
    this.record.version += 1;
    this.record.drawnAt = performance.now();
    this.setState('ready', message);
  }
}
