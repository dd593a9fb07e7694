/// <reference lib="dom" />
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestServer } from '../support/server.js';

/**
 * Swagger UI and the charts in a real browser: Debian's Chromium driven by
 * playwright-core. .ci/run installs Chromium; on a machine without it the suite
 * is skipped, except in CI where its absence is a failure.
 */
const CHROMIUM = '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
if (!available && process.env['CI'] === 'true') throw new Error(`${CHROMIUM} is missing: .ci/run should have installed it`);

const server = useTestServer({ SIMULATION_THREADS: '1' });
const artifacts = join(tmpdir(), 'activation-lab-browser');
let browser: Browser;
let page: Page;
const consoleErrors: string[] = [];

beforeAll(async () => {
  if (!available) return;
  await mkdir(artifacts, { recursive: true });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'],
  });
  page = await browser.newPage({ viewport: { width: 1280, height: 1600 } });
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(`${message.text()} (${message.location().url})`);
  });
  page.on('pageerror', (error) => consoleErrors.push(error.message));
});

afterAll(async () => {
  await browser?.close();
});

const base = () => `http://127.0.0.1:${(server.app.server.address() as { port: number }).port}`;

/** The fraction of non-white pixels of a PNG, measured in a blank page. */
async function inkedFractionOf(blank: Page, png: Buffer): Promise<number> {
  try {
    return await blank.evaluate(async (source) => {
      const image = new Image();
      image.src = source;
      await image.decode();
      const canvas = document.createElement('canvas');
      canvas.width = image.naturalWidth;
      canvas.height = image.naturalHeight;
      const context = canvas.getContext('2d') as CanvasRenderingContext2D;
      context.drawImage(image, 0, 0);
      const pixels = context.getImageData(0, 0, canvas.width, canvas.height).data;
      let inked = 0;
      for (let index = 0; index < pixels.length; index += 4) {
        if ((pixels[index] as number) < 200 || (pixels[index + 1] as number) < 200 || (pixels[index + 2] as number) < 200) inked += 1;
      }
      return inked / (canvas.width * canvas.height);
    }, `data:image/png;base64,${png.toString('base64')}`);
  } finally {
    await blank.close();
  }
}

async function tryOut(operationId: string, tag: string): Promise<ReturnType<Page['locator']>> {
  const operation = page.locator(`#operations-${tag}-${operationId}`);
  await operation.locator('.opblock-summary').first().click();
  // The service enables "Try it out" by default (tryItOutEnabled); the button then reads "Cancel".
  const toggle = operation.locator('.try-out__btn');
  if ((await toggle.innerText()).includes('Try it out')) await toggle.click();
  return operation;
}

describe.skipIf(!available)('Swagger UI in Chromium', () => {
  it('loads /docs with every operation listed', async () => {
    await page.goto(`${base()}/docs/`);
    await page.locator('.opblock').first().waitFor();
    expect(await page.locator('.opblock').count()).toBeGreaterThanOrEqual(8);
  });

  it('runs an evaluation through "Try it out"', async () => {
    const operation = await tryOut('evaluateActivation', 'activations');
    await operation.locator('input[placeholder="id"]').fill('tanh');
    await operation.locator('textarea.body-param__text').fill('{"x": [-1, 0, 1]}');
    await operation.locator('.execute').click();
    const status = operation.locator('.live-responses-table tbody .response-col_status').first();
    await status.waitFor();
    expect((await status.innerText()).trim()).toBe('200');
    expect(await operation.locator('.live-responses-table .microlight').first().innerText()).toContain('"activation": "tanh"');
  });

  it('shows a plot as an image through "Try it out"', async () => {
    const operation = await tryOut('plotActivation', 'pictures');
    await operation.locator('input[placeholder="id"]').fill('gelu');
    await operation.locator('.execute').click();
    const image = operation.locator('.live-responses-table img').first();
    await image.waitFor();
    await expect.poll(() => image.evaluate((element: HTMLImageElement) => element.complete && element.naturalWidth)).toBeGreaterThan(300);
    await operation.screenshot({ path: join(artifacts, 'swagger-plot.png') });
  });

  it('renders a plot URL opened directly to a non-blank image of the declared size', async () => {
    const url = `${base()}/v1/activations/elu/plot?alpha=0.5`;
    const svg = await (await fetch(url)).text();
    const declared = { width: Number(/width="([\d.]+)"/.exec(svg)?.[1]), height: Number(/height="([\d.]+)"/.exec(svg)?.[1]) };
    await page.goto(url);
    // The page is the SVG document, under the API's CSP (nothing may load in it, so no probe image either):
    // its size is read from the rendered root element, its ink from a screenshot.
    const box = await page.evaluate(() => {
      const { width, height } = document.documentElement.getBoundingClientRect();
      return { width, height };
    });
    expect(Math.round(box.width)).toBe(Math.round(declared.width));
    expect(Math.round(box.height)).toBe(Math.round(declared.height));
    const screenshot = await page.screenshot({ path: join(artifacts, 'elu-plot.png'), clip: { x: 0, y: 0, ...box } });
    // Count the inked pixels of the screenshot on a blank page (a data: URL loads anywhere, and taints no canvas).
    const inkedFraction = await inkedFractionOf(await browser.newPage(), screenshot);
    expect(inkedFraction).toBeGreaterThan(0.01);
    expect(inkedFraction).toBeLessThan(0.5);
  });

  it('logged no console errors', () => {
    expect(consoleErrors).toEqual([]);
    console.warn(`browser screenshots kept in ${artifacts}`);
  });
});
