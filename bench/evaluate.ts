/**
 * npm run bench:evaluate — time to evaluate 1,000,000 points of one activation,
 * in-process (the numeric core alone) and over HTTP on loopback (validation,
 * evaluation, serialisation, transfer and client-side JSON.parse included).
 */
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { evaluateActivation, gridPoints } from '../src/activations/evaluate.js';
import { resolveActivation } from '../src/activations/resolve.js';

const COUNT = 1_000_000;
const REPEATS = 5;
const ids = ['relu', 'sigmoid', 'tanh', 'gelu', 'mish', 'tanhshrink'];

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

async function time(action: () => unknown | Promise<unknown>): Promise<number> {
  const samples: number[] = [];
  await action(); // warm-up
  for (let repeat = 0; repeat < REPEATS; repeat++) {
    const start = performance.now();
    await action();
    samples.push(performance.now() - start);
  }
  return median(samples);
}

const x = gridPoints(-10, 10, COUNT);
console.log(`1,000,000 points, median of ${REPEATS} runs after a warm-up\n`);
console.log('in-process (value + derivative)');
for (const id of ids) {
  const activation = resolveActivation(id);
  const ms = await time(() => evaluateActivation(activation, x, { outputs: ['value', 'derivative'], mode: 'eval', seed: 1 }));
  console.log(`  ${id.padEnd(12)} ${ms.toFixed(1).padStart(7)} ms   ${((2 * COUNT) / ms / 1e3).toFixed(1)} M results/s`);
}

// One request at a time: the event-loop guard would otherwise refuse the request after a 1M-point one.
const app = await buildApp(loadConfig({ LOG_LEVEL: 'silent', MAX_EVENT_LOOP_DELAY_MS: '0' }));
const address = await app.listen({ host: '127.0.0.1', port: 0 });
const explicitBody = JSON.stringify({ x: Array.from(x) });
const gridBody = JSON.stringify({ grid: { start: -10, stop: 10, count: COUNT } });

async function post(id: string, body: string): Promise<void> {
  const response = await fetch(`${address}/v1/activations/${id}/evaluate`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });
  const parsed = (await response.json()) as { count: number };
  if (parsed.count !== COUNT) throw new Error(`unexpected response ${response.status}`);
}

console.log('\nover HTTP on loopback (value + derivative, response parsed by the client)');
for (const id of ['relu', 'sigmoid', 'gelu']) {
  const gridMs = await time(() => post(id, gridBody));
  const explicitMs = await time(() => post(id, explicitBody));
  console.log(`  ${id.padEnd(12)} grid input ${gridMs.toFixed(0).padStart(5)} ms   explicit x (${(explicitBody.length / 1e6).toFixed(1)} MB body) ${explicitMs.toFixed(0).padStart(5)} ms`);
}
const binaryBody = new Blob([x]);
console.log('\nover HTTP on loopback, raw float64 (POST …/evaluate/binary, value + derivative)');
for (const id of ['relu', 'sigmoid', 'gelu']) {
  const binaryMs = await time(async () => {
    const response = await fetch(`${address}/v1/activations/${id}/evaluate/binary`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: binaryBody,
    });
    const bytes = await response.arrayBuffer();
    if (bytes.byteLength !== 2 * COUNT * 8) throw new Error(`unexpected response ${response.status}`);
  });
  console.log(`  ${id.padEnd(12)} ${binaryMs.toFixed(0).padStart(5)} ms (8 MB in, 16 MB out)`);
}
const stringifyMs = await time(() => JSON.stringify({ x: Array.from(x), value: Array.from(x), derivative: Array.from(x) }));
console.log(`\nfloor: JSON.stringify of the 3 × 1M-number response alone ${stringifyMs.toFixed(0)} ms`);
await app.close();
