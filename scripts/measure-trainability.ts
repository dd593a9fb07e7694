import { writeFileSync } from 'node:fs';
/**
 * Schoenholz et al. (2017), Figure 5, at a size this machine runs: a training
 * sweep of tanh networks on Fashion-MNIST over the init gain (σ_w² = gain²
 * with lecun_normal) × depth, as a job on the service; the heat map of test
 * accuracy with 6·ξ_c over it goes to docs/trainability-tanh-fashion-mnist.png.
 *
 *   npx tsx scripts/measure-trainability.ts
 */
import { startService } from '../bench/lib/service.js';
const s = await startService({ env: { JOB_MAX_SECONDS: '3000', JOB_TIMEOUT_MS: '600000' } });
const started = performance.now();
const body = { kind: 'sweep', request: {
  base: { kind: 'training', request: { network: { depth: 10, width: 64, activation: 'tanh', init: { scheme: 'lecun_normal', gain: 1 } }, data: { dataset: 'fashion-mnist', trainSize: 1000, testSize: 500 }, optimizer: { type: 'sgd', learningRate: 0.01 }, steps: 300, batchSize: 64, evaluateEvery: 300, seed: 1 } },
  axes: [{ path: 'network.init.gain', grid: { start: 0.6, stop: 2.2, count: 9 } }, { path: 'network.depth', values: [4, 8, 16, 32, 48] }] } };
const r = await fetch(s.url + '/v1/jobs', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const job = await r.json() as { id: string; estimateSeconds: number };
console.log(r.status, 'estimate', job.estimateSeconds);
for (;;) { const j = await (await fetch(`${s.url}/v1/jobs/${job.id}`)).json() as { state: string; progress: { done: number } }; if (j.state !== 'queued' && j.state !== 'running') { console.log(j.state); break; } await new Promise((res) => setTimeout(res, 2000)); }
console.log('seconds', ((performance.now() - started) / 1000).toFixed(0));
const result = await (await fetch(`${s.url}/v1/jobs/${job.id}/result`)).json() as { cells: { coordinates: Record<string, number>; summary: Record<string, number> }[] };
for (const c of result.cells) console.log(JSON.stringify(c.coordinates), c.summary.testAccuracy?.toFixed(3));
for (const fmt of ['png']) { const pic = await fetch(`${s.url}/v1/jobs/${job.id}/result?figure=testAccuracy`, { headers: { accept: fmt === 'png' ? 'image/png' : 'image/svg+xml' } }); console.log(fmt, pic.status); if (pic.ok) writeFileSync(`docs/trainability-tanh-fashion-mnist.${fmt}`, Buffer.from(await pic.arrayBuffer())); else console.log(await pic.text()); }
await s.stop();
