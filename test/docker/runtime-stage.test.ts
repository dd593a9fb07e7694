import { execFile } from 'node:child_process';
import { cp, copyFile, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startProcess, waitForHealthy } from '../support/process.js';

/**
 * There is no Docker engine here, so this replays the Dockerfile's runtime
 * stage by hand: dist/ built by the build stage's commands (tsc, then the
 * lab's Vite build into dist/lab/), production
 * dependencies only (`npm ci --omit=dev`) in a clean folder, started with the
 * image's CMD, probed, stopped.
 */

const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));
let folder = '';

/** The JSON-array CMD of the Dockerfile, so the test runs what the image runs. */
async function imageCommand(): Promise<string[]> {
  const dockerfile = await readFile(join(root, 'Dockerfile'), 'utf8');
  const line = dockerfile.split('\n').find((text) => text.startsWith('CMD '));
  if (line === undefined) throw new Error('Dockerfile has no CMD');
  return JSON.parse(line.slice(4)) as string[];
}

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'activation-lab-runtime-'));
  await run(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--outDir', join(folder, 'dist')], { cwd: root });
  await run(process.execPath, [join(root, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'lab/vite.config.ts', '--outDir', join(folder, 'dist/lab'), '--emptyOutDir', '--logLevel', 'error'], { cwd: root, timeout: 120_000 });
  await copyFile(join(root, 'package.json'), join(folder, 'package.json'));
  await copyFile(join(root, 'package-lock.json'), join(folder, 'package-lock.json'));
  await cp(join(root, 'assets/fonts'), join(folder, 'assets/fonts'), { recursive: true });
  await cp(join(root, 'data'), join(folder, 'data'), { recursive: true });
  await run('npm', ['ci', '--omit=dev', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: folder, timeout: 240_000 });
}, 300_000);

afterAll(async () => {
  if (folder !== '') await rm(folder, { recursive: true, force: true });
});

describe('the Docker runtime stage, replayed without Docker', () => {
  it('installs no development dependencies', async () => {
    await expect(stat(join(folder, 'node_modules/vitest'))).rejects.toThrow();
    await expect(stat(join(folder, 'node_modules/fastify'))).resolves.toBeTruthy();
  });

  it('starts with the image command, serves the API, the docs, a simulation, a training on the shipped data and a chart, and stops cleanly on SIGTERM', async () => {
    const [command, ...args] = await imageCommand();
    expect(command).toBe('node');
    const port = await freePort();
    const server = startProcess(process.execPath, args, {
      cwd: folder,
      env: { PATH: process.env['PATH'] ?? '', NODE_ENV: 'production', HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'warn' },
    });
    try {
      await waitForHealthy(`http://127.0.0.1:${port}/healthz`, 20_000);
      const catalogue = await fetch(`http://127.0.0.1:${port}/v1/activations`);
      expect(catalogue.status).toBe(200);
      expect(((await catalogue.json()) as { activations: unknown[] }).activations).toHaveLength(25);
      const docs = await fetch(`http://127.0.0.1:${port}/docs/`);
      expect(docs.status).toBe(200);
      // The lab: its page at / and the script it loads, from dist/lab/ as the build stage left it.
      const lab = await fetch(`http://127.0.0.1:${port}/`);
      expect(lab.status).toBe(200);
      expect(lab.headers.get('content-type')).toBe('text/html; charset=utf-8');
      const page = await lab.text();
      expect(page).toContain('role="tablist"');
      const script = /<script type="module" crossorigin src="(\/lab\/assets\/[^"]+\.js)"/.exec(page)?.[1];
      expect(script).toBeDefined();
      const bundle = await fetch(`http://127.0.0.1:${port}${script}`, { headers: { 'accept-encoding': 'br' } });
      expect(bundle.status).toBe(200);
      expect(bundle.headers.get('content-type')).toMatch(/^(text|application)\/javascript/);
      // The compiled worker thread and its GEMM engine load from the production install.
      const simulation = await fetch(`http://127.0.0.1:${port}/v1/simulations/feedforward`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ network: { depth: 3, width: 16, activation: 'tanh' } }),
      });
      expect(simulation.status).toBe(200);
      expect(((await simulation.json()) as { layers: unknown[] }).layers).toHaveLength(3);
      // The shipped Fashion-MNIST subset is found and passes its checksums.
      const training = await fetch(`http://127.0.0.1:${port}/v1/training`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ network: { depth: 1, width: 8, activation: 'relu' }, data: { dataset: 'fashion-mnist', trainSize: 64, testSize: 32 }, steps: 4 }),
      });
      expect(training.status).toBe(200);
      expect(((await training.json()) as { runs: { final: { step: number } }[] }).runs[0]?.final.step).toBe(4);
      // Charts render, SVG and PNG, with the shipped fonts.
      const png = await fetch(`http://127.0.0.1:${port}/v1/activations/gelu/plot?format=png`);
      expect(png.status).toBe(200);
      expect(png.headers.get('content-type')).toBe('image/png');
      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);
    } finally {
      server.child.kill('SIGKILL');
    }
  }, 60_000);
});
