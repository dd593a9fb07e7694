import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acceptOf, costCases, sampleCaseNames, type CostCase } from '../../bench/lib/cost-cases.js';
import { startService, type ServiceProcess } from '../../bench/lib/service.js';

/**
 * The cost model's shape, on whatever machine runs the suite: a sample of
 * requests spanning every kind of work (bench/lib/cost-cases.ts) is run one
 * at a time on one worker thread, and each one's real time over the estimate
 * the service announced (Server-Timing) is compared with the sample's median
 * of that ratio. The median absorbs the machine's speed (a slow CI runner
 * scales every ratio alike); what must hold is that no kind of work is priced
 * more than 3× off the others. The absolute figures on the reference machine
 * are bench:cost's (README, Performance).
 */

const FACTOR = 3;

let service: ServiceProcess;
beforeAll(async () => {
  service = await startService({ env: { SIMULATION_THREADS: '1', SIMULATION_MAX_SECONDS: '120', SIMULATION_TIMEOUT_MS: '120000', SOCKET_IDLE_TIMEOUT_MS: '130000', SIMULATION_MAX_WAIT_SECONDS: '600' } });
}, 60_000);
afterAll(async () => {
  await service?.stop();
});

async function measure(costCase: CostCase): Promise<{ seconds: number; estimate: number }> {
  const started = performance.now();
  const response = await fetch(`${service.url}${costCase.path}`, {
    method: costCase.method,
    headers: { accept: acceptOf(costCase), ...(costCase.body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(costCase.body === undefined ? {} : { body: JSON.stringify(costCase.body) }),
  });
  await response.arrayBuffer();
  const seconds = (performance.now() - started) / 1000;
  expect(response.status, costCase.name).toBe(200);
  const estimate = /estimate;dur=([0-9.]+)/.exec(response.headers.get('server-timing') ?? '')?.[1];
  expect(estimate, `${costCase.name} announces its estimate`).toBeDefined();
  return { seconds, estimate: Number(estimate) / 1000 };
}

describe('the cost model', () => {
  it(`prices every kind of work in the sample within ${FACTOR}× of the others, relative to the machine's speed`, async () => {
    const sample = costCases.filter((costCase) => sampleCaseNames.includes(costCase.name));
    expect(sample.map((costCase) => costCase.name).sort()).toEqual([...sampleCaseNames].sort());
    const ratios: { name: string; ratio: number }[] = [];
    for (const costCase of sample) {
      await measure(costCase); // warm: the first run of a kind of work compiles its code
      const runs = [await measure(costCase), await measure(costCase)];
      const best = runs.reduce((fastest, run) => (run.seconds < fastest.seconds ? run : fastest));
      ratios.push({ name: costCase.name, ratio: best.seconds / best.estimate });
    }
    const sorted = ratios.map(({ ratio }) => ratio).sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)] as number;
    const outliers = ratios.filter(({ ratio }) => ratio / median > FACTOR || median / ratio > FACTOR).map(({ name, ratio }) => `${name}: ${(ratio / median).toFixed(2)}× the median`);
    expect(outliers).toEqual([]);
  }, 300_000);
});
