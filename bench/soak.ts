/**
 * npm run bench:soak — a steady mixed load (catalogue reads, small and
 * medium evaluations, multi-activation evaluations, small feed-forward and
 * LSTM simulations, an SVG plot, /healthz) on a service child for a while,
 * sampling its RSS and heap every 10 s (from /metrics, and the heap again
 * after a forced full GC, which is what a leak grows); reports start, end and
 * maximum and the least-squares slope after the warm-up, and flags growth.
 *
 * The service runs as shipped: tsc's output, LOG_LEVEL=info.
 *
 *   npx tsx bench/soak.ts [--seconds N (300)] [--rate R req/s (100)]
 */
import { compileForBench, startService } from './lib/service.js';
import { soak, type MemorySummary } from './lib/soak.js';
import { table } from './lib/statistics.js';

function flag(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index > 0 ? Number(process.argv[index + 1]) : fallback;
  if (!(value > 0)) throw new Error(`--${name} must be a positive number`);
  return value;
}

const SECONDS = flag('seconds', 300);
const RATE = flag('rate', 100);
const SAMPLE_EVERY_SECONDS = Math.min(10, Math.max(1, SECONDS / 10));
const WARM_UP_SECONDS = Math.min(60, SECONDS / 5);
/** Past the warm-up, a steady service should not grow by more than this much per minute. */
const GROWTH_LIMITS = { rssMBPerMinute: 2, heapMBPerMinute: 1 };

// The shipped configuration (request log included), as tsc compiled it.
const service = await startService({ compiled: await compileForBench(), exposeGc: true, env: { LOG_LEVEL: 'info' } });
console.log(`activation-lab ${service.url} (pid ${service.pid}): ${RATE} req/s of mixed requests for ${SECONDS} s, memory every ${SAMPLE_EVERY_SECONDS} s`);
try {
  const report = await soak(service, {
    seconds: SECONDS,
    rate: RATE,
    connections: 8,
    sampleEverySeconds: SAMPLE_EVERY_SECONDS,
    warmUpSeconds: WARM_UP_SECONDS,
    onSample: (point) =>
      console.log(
        `  t=${point.atSeconds.toFixed(0).padStart(4)} s  rss ${point.rssMB.toFixed(1).padStart(7)} MB` +
          `  heap used ${point.heapUsedMB.toFixed(1).padStart(6)} MB  after GC ${point.retainedHeapMB.toFixed(1).padStart(6)} MB`,
      ),
  });
  const row = (name: string, summary: MemorySummary, limit?: number): (string | number)[] => [
    name,
    summary.startMB.toFixed(1),
    summary.afterWarmUpMB.toFixed(1),
    summary.endMB.toFixed(1),
    summary.maxMB.toFixed(1),
    summary.slopeMBPerMinute.toFixed(2),
    limit === undefined ? 'garbage included: a sawtooth' : summary.slopeMBPerMinute > limit ? `GROWING (> ${limit} MB/min)` : `flat (≤ ${limit} MB/min)`,
  ];
  console.log(`\nmemory from ${report.source}, heap after GC over IPC; slope fitted after the first ${WARM_UP_SECONDS.toFixed(0)} s`);
  console.log(
    table(
      ['', 'start MB', 'after warm-up MB', 'end MB', 'max MB', 'slope MB/min', 'verdict'],
      [
        row('RSS', report.rss, GROWTH_LIMITS.rssMBPerMinute),
        row('heap after GC', report.retainedHeap, GROWTH_LIMITS.heapMBPerMinute),
        row('heap used', report.heapUsed),
      ],
    ),
  );
  const failures = Object.entries(report.statuses).filter(([status]) => !status.startsWith('2'));
  console.log(
    `\n${report.requests} requests, statuses ${JSON.stringify(report.statuses)}, ${report.errors} errors, ${report.timeouts} timeouts, p99 ${report.latencyP99Ms} ms` +
      (failures.length > 0 || report.errors > 0 ? '  <- NOT ALL SUCCEEDED' : ''),
  );
} finally {
  await service.stop();
}
