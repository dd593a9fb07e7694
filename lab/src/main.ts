import './style.css';
import { fetchJson, get } from './api';
import type { Values } from './controls';
import { element } from './dom';
import type { Catalogue, Panel, PanelContext } from './panel';
import { ActivationsPanel } from './panels/activations';
import { FlowPanel } from './panels/flow';
import { PhasePanel } from './panels/phase';
import { RacePanel } from './panels/race';
import { TimePanel } from './panels/time';
import { tour } from './tour';

/**
 * The lab: five panels over the service's API, a guided tour through the
 * story, and every experiment's state in the URL — `?panel=flow&flow.depth=20`
 * (only what differs from the defaults; `tour=N` when the tour is open).
 */

const tabList = document.querySelector<HTMLElement>('#tabs') as HTMLElement;
const panelHost = document.querySelector<HTMLElement>('#panels') as HTMLElement;
const tourBox = document.querySelector<HTMLElement>('#tour') as HTMLElement;
const startTourButton = document.querySelector<HTMLButtonElement>('#start-tour') as HTMLButtonElement;
const copyLinkButton = document.querySelector<HTMLButtonElement>('#copy-link') as HTMLButtonElement;

let panels: Panel[] = [];
let current: Panel | undefined;
let tourStep: number | null = null;

function writeUrl(): void {
  const query = new URLSearchParams();
  if (current !== undefined) query.set('panel', current.id);
  if (tourStep !== null) query.set('tour', String(tourStep + 1));
  for (const panel of panels) for (const [key, value] of Object.entries(panel.changedValues())) query.set(`${panel.id}.${key}`, value);
  const search = query.toString();
  history.replaceState(null, '', search === '' ? location.pathname : `?${search}`);
}

/** The values a link gives each panel. */
function valuesFromUrl(): Map<string, Values> {
  const byPanel = new Map<string, Values>();
  for (const [name, value] of new URLSearchParams(location.search)) {
    const dot = name.indexOf('.');
    if (dot < 0) continue;
    const panel = name.slice(0, dot);
    byPanel.set(panel, { ...byPanel.get(panel), [name.slice(dot + 1)]: value });
  }
  return byPanel;
}

function tabOf(panel: Panel): HTMLButtonElement {
  return tabList.querySelector<HTMLButtonElement>(`#tab-${panel.id}`) as HTMLButtonElement;
}

function showPanel(panel: Panel, { focus = false } = {}): void {
  if (current !== undefined && current !== panel) current.hide();
  current = panel;
  for (const other of panels) {
    const selected = other === panel;
    other.section.hidden = !selected;
    const tab = tabOf(other);
    tab.setAttribute('aria-selected', String(selected));
    tab.tabIndex = selected ? 0 : -1;
  }
  if (focus) tabOf(panel).focus();
  panel.show();
  writeUrl();
}

function buildTabs(): void {
  for (const panel of panels) {
    const tab = element('button', { type: 'button', role: 'tab', id: `tab-${panel.id}`, 'aria-controls': `panel-${panel.id}`, 'aria-selected': 'false', tabindex: '-1' }, panel.title);
    tab.addEventListener('click', () => showPanel(panel));
    tabList.append(tab);
  }
  // Arrow keys move between tabs (the WAI-ARIA tabs pattern); Tab moves into the panel.
  tabList.addEventListener('keydown', (event) => {
    const index = panels.findIndex((panel) => panel === current);
    const next = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: panels.length - 1 }[event.key];
    if (next === undefined) return;
    event.preventDefault();
    showPanel(panels[(next + panels.length) % panels.length] as Panel, { focus: true });
  });
}

function renderTour(): void {
  if (tourStep === null) {
    tourBox.hidden = true;
    startTourButton.hidden = false;
    return;
  }
  const step = tour[tourStep];
  if (step === undefined) return;
  tourBox.hidden = false;
  startTourButton.hidden = true;
  const previous = element('button', { type: 'button', 'data-tour': 'previous' }, '← Previous');
  const next = element('button', { type: 'button', class: 'primary', 'data-tour': 'next' }, tourStep === tour.length - 1 ? 'Finish' : 'Next →');
  const close = element('button', { type: 'button', 'data-tour': 'close' }, 'Leave the tour');
  previous.disabled = tourStep === 0;
  previous.addEventListener('click', () => goToStep((tourStep ?? 1) - 1));
  next.addEventListener('click', () => (tourStep === tour.length - 1 ? leaveTour() : goToStep((tourStep ?? 0) + 1)));
  close.addEventListener('click', leaveTour);
  tourBox.replaceChildren(
    element('h2', { id: 'tour-heading', tabindex: '-1' }, element('span', { class: 'step-count' }, `Step ${tourStep + 1} of ${tour.length}: `), step.title),
    element('p', { id: 'tour-text' }, step.text),
    element('div', { class: 'tour-buttons' }, previous, next, close),
  );
}

function goToStep(index: number): void {
  const step = tour[index];
  if (step === undefined) return;
  tourStep = index;
  const panel = panels.find((candidate) => candidate.id === step.panel);
  if (panel === undefined) return;
  window.lab.lastChange = performance.now();
  panel.apply(step.values);
  showPanel(panel);
  if (step.run === true && panel instanceof RacePanel) panel.start();
  renderTour();
  writeUrl();
  (tourBox.querySelector('h2') as HTMLElement).focus();
}

function leaveTour(): void {
  tourStep = null;
  renderTour();
  writeUrl();
  startTourButton.focus();
}

async function start(): Promise<void> {
  const status = document.querySelector<HTMLElement>('#loading') as HTMLElement;
  const catalogue = await fetchJson<Catalogue>(get('/v1/activations'));
  const context: PanelContext = { catalogue, stateChanged: writeUrl };
  panels = [new ActivationsPanel(context), new FlowPanel(context), new PhasePanel(context), new TimePanel(context), new RacePanel(context)];
  const fromUrl = valuesFromUrl();
  buildTabs();
  for (const panel of panels) {
    const section = panel.mount(fromUrl.get(panel.id) ?? {});
    section.hidden = true;
    panelHost.append(section);
  }
  status.remove();
  const query = new URLSearchParams(location.search);
  const tourParameter = Number(query.get('tour'));
  if (Number.isInteger(tourParameter) && tourParameter >= 1 && tourParameter <= tour.length) tourStep = tourParameter - 1;
  renderTour();
  window.lab.tour = tour.map(({ title, panel }) => ({ title, panel }));
  startTourButton.addEventListener('click', () => goToStep(0));
  copyLinkButton.addEventListener('click', () => {
    navigator.clipboard.writeText(location.href).then(
      () => (copyLinkButton.textContent = 'Link copied'),
      () => (copyLinkButton.textContent = 'Copy the address bar'),
    );
    setTimeout(() => (copyLinkButton.textContent = 'Copy a link to this experiment'), 1500);
  });
  const named = panels.find((panel) => panel.id === query.get('panel'));
  showPanel(named ?? (panels[1] as Panel));
}

start().catch((error: unknown) => {
  const status = document.querySelector<HTMLElement>('#loading');
  if (status !== null) status.textContent = `The lab could not reach the service: ${String(error)}`;
  console.warn(error);
});
