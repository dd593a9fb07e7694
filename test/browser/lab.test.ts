/// <reference lib="dom" />
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import type { LabFigure as FigureRecord } from '../support/lab-page.js';

/**
 * The lab in a real browser: Debian's Chromium driven by playwright-core,
 * against the service built from this tree (the lab bundled by Vite into a
 * temporary folder, the app listening on a free 127.0.0.1 port). Figures are
 * checked from the data behind them (the Vega view's datasets), not from
 * pixels. Screenshots are kept in .artifacts/lab/ (gitignored).
 */

const CHROMIUM = '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
if (!available && process.env['CI'] === 'true') throw new Error(`${CHROMIUM} is missing: .ci/run should have installed it`);

const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));
const artifacts = join(root, '.artifacts', 'lab');
const AXE = join(root, 'node_modules/axe-core/axe.min.js');

let labDirectory = '';
let app: App;
let browser: Browser;
let context: BrowserContext;
const consoleErrors: string[] = [];

const base = (): string => `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;

beforeAll(async () => {
  if (!available) return;
  await mkdir(artifacts, { recursive: true });
  labDirectory = await mkdtemp(join(tmpdir(), 'activation-lab-lab-'));
  await run(process.execPath, [join(root, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'lab/vite.config.ts', '--outDir', labDirectory, '--emptyOutDir', '--logLevel', 'error'], { cwd: root, timeout: 120_000 });
  app = await buildApp(loadConfig({ LOG_LEVEL: 'silent', SIMULATION_THREADS: '2' }), { labDirectory });
  await app.listen({ host: '127.0.0.1', port: 0 });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'],
  });
  context = await browser.newContext({ viewport: { width: 1280, height: 1400 } });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
  if (labDirectory !== '') await rm(labDirectory, { recursive: true, force: true });
});

/** A page of the lab, every console error and page error recorded. */
async function openLab(query = '', on: BrowserContext = context): Promise<Page> {
  const page = await on.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(`${message.text()} (${message.location().url})`);
  });
  page.on('pageerror', (error) => consoleErrors.push(error.message));
  await page.goto(`${base()}/${query}`);
  return page;
}

const figureOf = (page: Page, id: string): Promise<FigureRecord> => page.evaluate((figure) => window.lab.figures[figure] as FigureRecord, id);

/** Waits until figure `id` has been drawn more than `after` times (and is not loading any more). */
async function drawn(page: Page, id: string, after = 0, timeout = 60_000): Promise<FigureRecord> {
  await page.waitForFunction(
    ([figure, version]) => {
      const record = window.lab?.figures[figure as string];
      return record !== undefined && record.version > (version as number) && record.state !== 'loading';
    },
    [id, after] as const,
    { timeout },
  );
  return figureOf(page, id);
}

/**
 * Waits until figure `id` is drawn for a request whose network has `field` = `value` (changes made quickly
 * one after another may each draw, or abort the one before: the last one is what counts).
 */
async function drawnFor(page: Page, id: string, field: string, value: unknown): Promise<FigureRecord> {
  await page.waitForFunction(
    ([figure, name, expected]) => {
      const record = window.lab.figures[figure as string];
      const network = (record?.request?.body as { network?: Record<string, unknown> } | undefined)?.network;
      return record !== undefined && record.state === 'ready' && network?.[name as string] === expected;
    },
    [id, field, value] as const,
    { timeout: 60_000 },
  );
  return figureOf(page, id);
}

/** Every row of every dataset behind a figure's chart, as Vega holds them. */
async function rowsOf(page: Page, id: string): Promise<Record<string, unknown>[]> {
  const datasets = await page.evaluate((figure) => window.lab.data(figure), id);
  return Object.values(datasets).flatMap((rows) => rows as Record<string, unknown>[]);
}

const seriesOf = (rows: readonly Record<string, unknown>[], field = 'series'): string[] => [...new Set(rows.map((row) => row[field]).filter((value): value is string => typeof value === 'string'))];

/**
 * Two specs alike in everything, numbers to the last few bits: the lab
 * computes a training chart's log10 losses with the browser's Math.log10,
 * which may round the last bit differently from Node's.
 */
function expectSameSpec(actual: unknown, expected: unknown, path = 'spec'): void {
  if (typeof expected === 'number' && typeof actual === 'number') {
    expect(Math.abs(actual - expected), path).toBeLessThanOrEqual(1e-14 * Math.max(1, Math.abs(expected)));
    return;
  }
  if (expected === null || typeof expected !== 'object' || actual === null || typeof actual !== 'object') {
    expect(actual, path).toEqual(expected);
    return;
  }
  expect(Object.keys(actual).sort(), path).toEqual(Object.keys(expected).sort());
  for (const [key, value] of Object.entries(expected)) expectSameSpec((actual as Record<string, unknown>)[key], value, `${path}.${key}`);
}

async function showPanel(page: Page, title: string): Promise<void> {
  await page.getByRole('tab', { name: title }).click();
}

/** The ‖∂L/∂zˡ‖ line of the gradient figure: [layer, log10] pairs. */
async function preactivationLine(page: Page): Promise<[number, number][]> {
  const rows = await rowsOf(page, 'flow-gradients');
  return rows.filter((row) => row['series'] === '‖∂L/∂zˡ‖').map((row) => [row['position'] as number, row['log10'] as number]);
}

describe.skipIf(!available)('the lab in Chromium', () => {
  it('serves the page at / and opens on the gradient flow, drawn from the service’s own spec', async () => {
    const page = await openLab();
    const gradients = await drawn(page, 'flow-gradients');
    await drawn(page, 'flow-statistics');
    expect(gradients.state).toBe('ready');
    const rows = await rowsOf(page, 'flow-gradients');
    expect(seriesOf(rows)).toEqual(expect.arrayContaining(['‖∂L/∂zˡ‖', '‖∂L/∂Wˡ‖', 'theory ‖∂L/∂zˡ‖ (mean field)']));
    expect(Math.max(...rows.filter((row) => typeof row['position'] === 'number').map((row) => row['position'] as number))).toBe(30);
    // The chart is the spec the service answers for the request shown beside it.
    const request = await page.evaluate(() => window.lab.figures['flow-gradients']?.request);
    const served = await fetch(`${base()}${request?.path}`, { method: 'POST', headers: { accept: 'application/vnd.vegalite+json', 'content-type': 'application/json' }, body: JSON.stringify(request?.body) });
    expect(await served.json()).toEqual(gradients.spec);
    await expect.poll(() => page.locator('#panel-flow .verdict').innerText()).toContain('Vanishing gradients.');
    expect(await page.locator('[data-figure="flow-gradients"] svg .mark-line path').count()).toBeGreaterThan(0);
    await page.screenshot({ path: join(artifacts, 'flow.png'), fullPage: true });
    await page.close();
  }, 90_000);

  it('redraws the gradient flow when a control changes, from the keyboard', async () => {
    const page = await openLab();
    await drawn(page, 'flow-gradients');
    const depth = page.locator('#panel-flow').getByLabel('Depth');
    await depth.focus();
    for (let step = 0; step < 18; step++) await depth.press('ArrowLeft');
    await drawnFor(page, 'flow-gradients', 'depth', 12);
    expect((await preactivationLine(page)).map(([layer]) => layer)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    const sigmoid = await preactivationLine(page);
    await page.locator('#panel-flow').getByLabel('Activation (every layer)').selectOption('relu');
    await page.locator('#panel-flow').getByLabel('Initialisation').selectOption('he_normal');
    await drawnFor(page, 'flow-gradients', 'init', 'he_normal');
    const relu = await preactivationLine(page);
    // Sigmoid loses decades of gradient over twelve layers; ReLU with He keeps it within a factor of a few.
    expect((sigmoid.at(-1)?.[1] as number) - (sigmoid[0]?.[1] as number)).toBeGreaterThan(5);
    expect(Math.abs((relu.at(-1)?.[1] as number) - (relu[0]?.[1] as number))).toBeLessThan(1.5);
    await expect.poll(() => page.locator('#panel-flow .verdict').getAttribute('data-verdict')).toBe('stable');
    expect(new URL(page.url()).searchParams.get('flow.depth')).toBe('12');
    expect(new URL(page.url()).searchParams.get('flow.activation')).toBe('relu');
    await page.close();
  }, 90_000);

  it('draws the activations, and a new activation or parameter changes the curves', async () => {
    const page = await openLab('?panel=activations');
    const first = await drawn(page, 'activations-curves');
    expect(seriesOf(await rowsOf(page, 'activations-curves'), 'activation').sort()).toEqual(['Hyperbolic tangent', 'Logistic sigmoid', 'Rectified linear unit']);
    await page.locator('#panel-activations').getByLabel('elu', { exact: true }).check();
    const second = await drawn(page, 'activations-curves', first.version);
    expect(seriesOf(await rowsOf(page, 'activations-curves'), 'activation')).toContain('ELU');
    await page.locator('#panel-activations').getByLabel('elu alpha').fill('0.5');
    await page.locator('#panel-activations').getByLabel('elu alpha').press('Enter');
    await drawn(page, 'activations-curves', second.version);
    const rows = await rowsOf(page, 'activations-curves');
    expect(seriesOf(rows, 'activation')).toContain('ELU (alpha = 0.5)');
    // ELU(α = 0.5) tends to −0.5: the value curve's lowest point on [−5, 5] is near it.
    const elu = rows.filter((row) => row['activation'] === 'ELU (alpha = 0.5)' && row['curve'] === 'f(x)').map((row) => row['y'] as number);
    expect(Math.min(...elu)).toBeCloseTo(0.5 * (Math.exp(-5) - 1), 6);
    // The table gives f′(0) at the chosen parameters and the corner conventions.
    const table = page.locator('#panel-activations table.facts');
    await expect.poll(() => table.innerText()).toContain('elu');
    expect(await table.innerText()).toContain('x = 0 → 0');
    await page.screenshot({ path: join(artifacts, 'activations.png'), fullPage: true });
    await page.close();
  }, 90_000);

  it('simulates a network at the point clicked on the phase diagram', async () => {
    const page = await openLab('?panel=phase');
    await drawn(page, 'phase-diagram');
    const spectrum = await drawn(page, 'phase-spectrum');
    const cells = await rowsOf(page, 'phase-diagram');
    expect(cells.filter((row) => typeof row['log10Chi1'] === 'number')).toHaveLength(24 * 12);
    // The top-right cell is chaotic for tanh: click it.
    const corner = await page.evaluate(() => {
      // The heat map's cells (the legend's colour ramp is a rect mark too, much taller than a cell).
      const boxes = [...document.querySelectorAll('[data-figure="phase-diagram"] g.mark-rect path')].map((path) => path.getBoundingClientRect()).filter((box) => box.width > 2 && box.height > 2 && box.height < 60);
      const right = Math.max(...boxes.map((box) => box.right));
      const top = Math.min(...boxes.map((box) => box.top));
      return { x: right - 3, y: top + 3 };
    });
    await page.mouse.click(corner.x, corner.y);
    const after = await drawn(page, 'phase-spectrum', spectrum.version);
    expect(Number(await page.locator('#panel-phase').getByLabel('σ_w² (weight variance × fan-in)').inputValue())).toBeGreaterThan(3.5);
    await expect.poll(() => page.locator('#panel-phase .verdict').innerText()).toContain('chaotic');
    // Typing the point works as well as clicking it.
    await page.locator('#panel-phase').getByLabel('σ_w² (weight variance × fan-in)').fill('0.5');
    await page.locator('#panel-phase').getByLabel('σ_w² (weight variance × fan-in)').press('Enter');
    await drawn(page, 'phase-spectrum', after.version);
    await expect.poll(() => page.locator('#panel-phase .verdict').innerText()).toContain('ordered');
    await page.screenshot({ path: join(artifacts, 'phase.png'), fullPage: true });
    await page.close();
  }, 90_000);

  it('compares cells through time, and adds the GRU', async () => {
    const page = await openLab('?panel=time');
    await drawn(page, 'time-rnn');
    await drawn(page, 'time-lstm');
    expect(seriesOf(await rowsOf(page, 'time-lstm'))).toEqual(['‖∂L/∂hₜ‖', '‖∂L/∂cₜ‖']);
    await page.locator('#panel-time').getByLabel('GRU', { exact: true }).check();
    await drawn(page, 'time-gru');
    const ratios = await page.locator('#panel-time table.facts tbody tr').allInnerTexts();
    expect(ratios).toHaveLength(3);
    const steps = (await rowsOf(page, 'time-rnn')).filter((row) => typeof row['position'] === 'number').map((row) => row['position'] as number);
    expect(Math.max(...steps)).toBe(100);
    await page.screenshot({ path: join(artifacts, 'time.png'), fullPage: true });
    await page.close();
  }, 90_000);

  it('races activations live from the NDJSON stream, with the spec the service would draw', async () => {
    const page = await openLab('?panel=race&race.dataset=spirals&race.epochs=2');
    await page.getByRole('button', { name: 'Start the race' }).click();
    await page.waitForFunction(() => window.lab.figures['race-loss']?.message.startsWith('Done'), null, { timeout: 120_000 });
    const loss = await figureOf(page, 'race-loss');
    expect(seriesOf(await rowsOf(page, 'race-loss'))).toEqual(['relu', 'leaky_relu', 'elu']);
    expect(seriesOf(await rowsOf(page, 'race-dead'), 'run')).toEqual(['relu', 'leaky_relu', 'elu']);
    // The lab drew the finished race with the service's own function: the same spec the route answers.
    const request = await page.evaluate(() => window.lab.figures['race-loss']?.request);
    const served = await fetch(`${base()}/v1/training?chart=loss`, { method: 'POST', headers: { accept: 'application/vnd.vegalite+json', 'content-type': 'application/json' }, body: JSON.stringify(request?.body) });
    expectSameSpec(loss.spec, await served.json());
    expect(await page.locator('#panel-race table.facts tbody tr').count()).toBe(3);
    await page.close();
  }, 150_000);

  it('stops a race: the stop button aborts the stream', async () => {
    const page = await openLab('?panel=race&race.epochs=10');
    await page.getByRole('button', { name: 'Start the race' }).click();
    await drawn(page, 'race-loss', 0, 60_000);
    await page.getByRole('button', { name: 'Stop' }).click();
    await page.waitForFunction(() => window.lab.figures['race-loss']?.state === 'stopped', null, { timeout: 10_000 });
    const stopped = await figureOf(page, 'race-loss');
    expect(stopped.message).toMatch(/^Stopped at step \d+ of 313\.$/);
    expect(await page.getByRole('button', { name: 'Start the race' }).isEnabled()).toBe(true);
    await page.close();
  }, 90_000);

  it('walks through the guided tour, every step a live figure', async () => {
    const page = await openLab();
    await drawn(page, 'flow-gradients');
    await page.getByRole('button', { name: 'Take the guided tour' }).click();
    const mainFigure: Record<string, string> = { activations: 'activations-curves', flow: 'flow-gradients', phase: 'phase-spectrum', time: 'time-lstm', race: 'race-loss' };
    const tour = await page.evaluate(() => window.lab.tour);
    expect(tour.map(({ title }) => title)).toEqual(expect.arrayContaining(['Sigmoid’s 1/4', 'tanh', 'ReLU and He', 'Dying ReLU and the leaky variants', 'ELU', 'Batch normalisation', 'Residual connections', 'LSTM']));
    for (const [index, step] of tour.entries()) {
      const figure = mainFigure[step.panel] as string;
      await expect.poll(() => page.locator('#tour h2').innerText()).toBe(`Step ${index + 1} of ${tour.length}: ${step.title}`);
      expect(await page.getByRole('tab', { selected: true }).getAttribute('id')).toBe(`tab-${step.panel}`);
      // The step's preset is in the URL (shareable) and its figure is drawn for it.
      expect(new URL(page.url()).searchParams.get('tour')).toBe(String(index + 1));
      await page.waitForFunction(
        (id) => {
          const record = window.lab.figures[id];
          return record !== undefined && record.version > 0 && (record.state === 'ready' || record.state === 'loading' && record.message.startsWith('Training'));
        },
        figure,
        { timeout: 90_000 },
      );
      await page.waitForFunction((id) => window.lab.figures[id]?.state !== 'loading' || window.lab.figures[id]?.message.startsWith('Training'), figure, { timeout: 90_000 });
      await page.screenshot({ path: join(artifacts, `tour-${String(index + 1).padStart(2, '0')}.png`) });
      await page.getByRole('button', { name: index === tour.length - 1 ? 'Finish' : 'Next →' }).click();
    }
    await expect.poll(() => page.locator('#tour').isHidden()).toBe(true);
    await page.close();
  }, 300_000);

  it('restores an experiment from a shared link', async () => {
    const page = await openLab('?panel=flow&flow.activation=tanh&flow.depth=12&flow.norm=batch&flow.seed=7');
    await drawn(page, 'flow-gradients');
    expect(await page.locator('#flow-activation').inputValue()).toBe('tanh');
    expect(await page.locator('#flow-depth').inputValue()).toBe('12');
    expect(await page.locator('#flow-norm').inputValue()).toBe('batch');
    expect(await page.locator('#flow-seed').inputValue()).toBe('7');
    const request = await page.evaluate(() => window.lab.figures['flow-gradients']?.request);
    expect(request?.body).toMatchObject({ network: { depth: 12, activation: 'tanh', batchNorm: true }, seed: 7 });
    expect((await preactivationLine(page)).length).toBe(12);
    // A tour step's link opens the tour there.
    const touring = await openLab('?panel=time&tour=11&time.cells=rnn%2Clstm%2Cgru');
    await drawn(touring, 'time-gru');
    expect(await touring.locator('#tour h2').innerText()).toContain('Step 11 of 11');
    await touring.close();
    await page.close();
  }, 90_000);

  it('hands over each figure’s request as curl and Python that give the same chart', async () => {
    const page = await openLab();
    const figure = await drawn(page, 'flow-statistics');
    const details = page.locator('[data-figure="flow-statistics"] details');
    await details.locator('summary').click();
    const [curl, python] = await details.locator('pre').allInnerTexts();
    expect(curl).toContain(`curl -s -X POST '${base()}/v1/simulations/feedforward?chart=statistics'`);
    const fromCurl = await run('bash', ['-c', curl as string], { timeout: 30_000 });
    expect(JSON.parse(fromCurl.stdout)).toEqual(figure.spec);
    const script = join(await mkdtemp(join(tmpdir(), 'lab-python-')), 'figure.py');
    await writeFile(script, `${python}\nimport json, sys\njson.dump(spec, sys.stdout)\n`);
    const fromPython = await run('python3', [script], { timeout: 30_000 });
    expect(JSON.parse(fromPython.stdout)).toEqual(figure.spec);
    await page.close();
  }, 90_000);

  it('is keyboard operable: arrow keys move between the panels', async () => {
    const page = await openLab();
    await drawn(page, 'flow-gradients');
    await page.getByRole('tab', { name: 'Gradient flow' }).focus();
    await page.keyboard.press('ArrowRight');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('tab-phase');
    expect(await page.locator('#panel-phase').isVisible()).toBe(true);
    await page.keyboard.press('Home');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('tab-activations');
    await drawn(page, 'activations-curves');
    await page.close();
  }, 60_000);

  it('reads at 375 px wide: nothing wider than the screen (a chart keeps its size and scrolls inside its figure)', async () => {
    const phone = await browser.newContext({ viewport: { width: 375, height: 812 }, deviceScaleFactor: 2 });
    for (const panel of ['flow', 'activations', 'phase', 'time', 'race']) {
      const page = await openLab(`?panel=${panel}`, phone);
      if (panel !== 'race') await drawn(page, { flow: 'flow-gradients', activations: 'activations-curves', phase: 'phase-spectrum', time: 'time-lstm' }[panel] as string);
      const widest = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(widest, panel).toBeLessThanOrEqual(375);
      if (panel === 'flow') await page.screenshot({ path: join(artifacts, 'flow-375.png'), fullPage: true });
      await page.close();
    }
    await phone.close();
  }, 120_000);

  it('has no serious or critical accessibility violations (axe-core) on any panel', async () => {
    // axe is injected as a script, which the lab's CSP (rightly) forbids: this context bypasses it.
    const scanning = await browser.newContext({ viewport: { width: 1280, height: 1400 }, bypassCSP: true });
    const page = await openLab('', scanning);
    await drawn(page, 'flow-gradients');
    await page.addScriptTag({ path: AXE });
    const report: string[] = [];
    for (const [title, figure] of [['Gradient flow', 'flow-statistics'], ['Activations', 'activations-curves'], ['Phase diagram', 'phase-spectrum'], ['Through time', 'time-lstm'], ['Training race', '']] as const) {
      await showPanel(page, title);
      if (figure !== '') await drawn(page, figure);
      const violations = await page.evaluate(async () => {
        const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: { id: string; impact: string | null; nodes: { target: unknown[] }[] }[] }> } }).axe;
        const result = await axe.run(document, { resultTypes: ['violations'] });
        return result.violations.map(({ id, impact, nodes }) => ({ id, impact, targets: nodes.slice(0, 3).map((node) => JSON.stringify(node.target)) }));
      });
      for (const violation of violations) report.push(`${title}: ${violation.impact} ${violation.id} ${violation.targets.join(' ')}`);
    }
    await writeFile(join(artifacts, 'axe.txt'), `${report.join('\n')}\n`);
    expect(report.filter((line) => / (serious|critical) /.test(line))).toEqual([]);
    await scanning.close();
  }, 120_000);

  it('logged no console errors', () => {
    expect(consoleErrors).toEqual([]);
    console.warn(`lab screenshots kept in ${artifacts}`);
  });
});
