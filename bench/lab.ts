/// <reference lib="dom" />
/**
 * npm run bench:lab — how fast the lab is in a real browser: the time from
 * opening http://…/ to the first chart drawn, the bytes transferred until
 * then (page, scripts and API answers, as Chromium counts them on the wire),
 * and the time a control change takes to redraw the default network's
 * figures (from the change reaching the panel — after the 120 ms debounce of
 * sliders — to both charts drawn). Runs the service as `npm start` does
 * (tsc's output, the lab built by Vite) on 127.0.0.1, and Debian's Chromium.
 *
 *   npm run bench:lab -- [--runs 7] [--redraws 10] [--screenshots]
 *
 * `--screenshots` also writes the README's pictures, docs/lab-flow.png and docs/lab-race.png.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { chromium, type Page } from 'playwright-core';
import type {} from '../test/support/lab-page.js';
import { compileForBench, root, startService } from './lib/service.js';

const { values: options } = parseArgs({
  options: {
    runs: { type: 'string', default: '7' },
    redraws: { type: 'string', default: '10' },
    screenshots: { type: 'boolean', default: false },
  },
});
const RUNS = Number(options.runs);
const REDRAWS = Number(options.redraws);

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};
const range = (values: readonly number[]): string => `${Math.min(...values).toFixed(0)}–${Math.max(...values).toFixed(0)}`;

interface LoadFigures {
  firstChartMs: number;
  bothFlowChartsMs: number;
  transferredBytes: { page: number; api: number };
}

/** Opens the lab in a fresh context (empty cache) and reads the timings the page itself recorded. */
async function coldLoad(page: Page, url: string): Promise<LoadFigures> {
  await page.goto(url);
  await page.waitForFunction(() => ['flow-gradients', 'flow-statistics'].every((id) => window.lab?.figures[id]?.state === 'ready'), null, { timeout: 60_000 });
  return page.evaluate(() => {
    const drawn = Object.values(window.lab.figures)
      .map((figure) => figure.drawnAt)
      .filter((at): at is number => at !== null);
    const entries = [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')] as PerformanceResourceTiming[];
    const bytes = { page: 0, api: 0 };
    for (const entry of entries) {
      if (entry.startTime > Math.min(...drawn)) continue;
      if (new URL(entry.name).pathname.startsWith('/v1/')) bytes.api += entry.transferSize;
      else bytes.page += entry.transferSize;
    }
    return {
      firstChartMs: Math.min(...drawn),
      bothFlowChartsMs: Math.max(window.lab.figures['flow-gradients']?.drawnAt ?? 0, window.lab.figures['flow-statistics']?.drawnAt ?? 0),
      transferredBytes: bytes,
    };
  });
}

/** Changes the depth by one (alternately up and down) and measures until both figures are drawn again. */
async function redraw(page: Page, index: number): Promise<number> {
  // No named functions inside page code: tsx would wrap them in a helper the page does not have.
  const versions = await page.evaluate((step) => {
    const before = ['flow-gradients', 'flow-statistics'].map((id) => window.lab.figures[id]?.version ?? 0);
    const depth = document.querySelector<HTMLInputElement>('#flow-depth') as HTMLInputElement;
    depth.value = String(Number(depth.value) + (step % 2 === 0 ? 1 : -1));
    depth.dispatchEvent(new Event('change'));
    return before;
  }, index);
  await page.waitForFunction(
    (before) => ['flow-gradients', 'flow-statistics'].every((id, at) => (window.lab.figures[id]?.version ?? 0) > (before[at] as number) && window.lab.figures[id]?.state === 'ready'),
    versions,
    { timeout: 60_000, polling: 'raf' },
  );
  return page.evaluate(() => Math.max(...['flow-gradients', 'flow-statistics'].map((id) => window.lab.figures[id]?.drawnAt ?? 0)) - (window.lab.lastChange ?? 0));
}

async function main(): Promise<void> {
  const compiled = await compileForBench();
  // The compiled service serves its lab from dist/lab/ beside its src/, as dist/ does.
  await promisify(execFile)(process.execPath, [join(root, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'lab/vite.config.ts', '--outDir', join(compiled, 'dist/lab'), '--emptyOutDir', '--logLevel', 'error'], { cwd: root });
  const service = await startService({ compiled });
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'],
  });
  try {
    // One load to warm the service (its first simulation starts the worker threads' engines).
    const warm = await browser.newContext({ viewport: { width: 1280, height: 1400 } });
    await coldLoad(await warm.newPage(), `${service.url}/`);
    await warm.close();

    const loads: LoadFigures[] = [];
    for (let run = 0; run < RUNS; run++) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 1400 } });
      loads.push(await coldLoad(await context.newPage(), `${service.url}/`));
      await context.close();
    }

    const context = await browser.newContext({ viewport: { width: 1280, height: 1400 } });
    const page = await context.newPage();
    await coldLoad(page, `${service.url}/`);
    const redraws: number[] = [];
    for (let index = 0; index < REDRAWS; index++) redraws.push(await redraw(page, index));

    const first = loads.map((load) => load.firstChartMs);
    const both = loads.map((load) => load.bothFlowChartsMs);
    const pageKb = loads.map((load) => load.transferredBytes.page / 1024);
    const apiKb = loads.map((load) => load.transferredBytes.api / 1024);
    console.log(`The lab, ${RUNS} cold loads (empty cache) and ${REDRAWS} redraws of the default network (sigmoid, depth 30 ± 1, width 128, batch 128)`);
    console.log('| what | median | range |');
    console.log('|---|---|---|');
    console.log(`| first chart drawn after opening / | ${median(first).toFixed(0)} ms | ${range(first)} ms |`);
    console.log(`| both gradient-flow charts drawn | ${median(both).toFixed(0)} ms | ${range(both)} ms |`);
    console.log(`| redraw after a control change (requests + drawing) | ${median(redraws).toFixed(0)} ms | ${range(redraws)} ms |`);
    console.log(`| transferred until the first chart: page, scripts, styles (brotli) | ${median(pageKb).toFixed(0)} KB | ${range(pageKb)} KB |`);
    console.log(`| transferred until the first chart: API answers | ${median(apiKb).toFixed(0)} KB | ${range(apiKb)} KB |`);

    if (options.screenshots) {
      await page.screenshot({ path: join(root, 'docs/lab-flow.png') });
      await page.goto(`${service.url}/?panel=race&race.lr=0.5&race.acts=relu%2Cleaky_relu%2Cprelu`);
      await page.getByRole('button', { name: 'Start the race' }).click();
      await page.waitForFunction(() => window.lab.figures['race-loss']?.message.startsWith('Done'), null, { timeout: 180_000 });
      await page.locator('#panel-race .race-buttons').scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(root, 'docs/lab-race.png'), fullPage: true });
      console.log('wrote docs/lab-flow.png and docs/lab-race.png');
    }
    await context.close();
  } finally {
    await browser.close();
    await service.stop();
  }
}

await main();
