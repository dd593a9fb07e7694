/**
 * npm run bench:abuse — every attack of bench/lib/attacks.ts replayed against
 * the service as shipped (tsc's output, in a child process on 127.0.0.1),
 * one row each: requests, statuses, bytes received, /healthz p50/p99/max
 * while it ran (a prober in its own process, every 25 ms on fresh
 * connections), peak RSS, and a verdict per guarantee; the failures are
 * spelled out below the table. test/abuse runs the same attacks with shorter
 * floods and looser latency bounds.
 *
 *   npx tsx bench/abuse.ts [--only id,id,…] [--seconds N (flood length, default 6)]
 *
 * Each attack is bounded (its requests have deadlines, its floods a length);
 * a service whose RSS passes 3 GB is killed by the bench.
 */
import { AbuseHarness, benchProfile, type AttackResult, type Check } from './lib/abuse-runner.js';
import { attacks } from './lib/attacks.js';
import { compileForBench } from './lib/service.js';
import { table } from './lib/statistics.js';

const onlyFlag = process.argv.indexOf('--only');
const only = onlyFlag > 0 ? new Set((process.argv[onlyFlag + 1] ?? '').split(',')) : undefined;
const secondsFlag = process.argv.indexOf('--seconds');
const floodSeconds = secondsFlag > 0 ? Number(process.argv[secondsFlag + 1]) : benchProfile.floodSeconds;
if (!(floodSeconds > 0 && floodSeconds <= 60)) throw new Error('--seconds must be in (0, 60]');
const chosen = attacks.filter((attack) => only === undefined || only.has(attack.id));
if (only !== undefined && chosen.length !== only.size) throw new Error(`unknown attack in --only; the attacks are: ${attacks.map((attack) => attack.id).join(', ')}`);

const CHECKS: readonly Check['name'][] = ['alive', 'answers', 'attack', 'cost', 'rss', 'healthz'];
const harness = new AbuseHarness({ ...benchProfile, floodSeconds }, await compileForBench());
const results: AttackResult[] = [];
try {
  for (const attack of chosen) {
    process.stdout.write(`${attack.id} … `);
    const result = await harness.run(attack);
    results.push(result);
    const failed = result.checks.filter((check) => !check.pass).map((check) => check.name);
    console.log(`${result.seconds.toFixed(1)} s, ${failed.length === 0 ? 'all guarantees kept' : `failed: ${failed.join(', ')}`}`);
  }
} finally {
  await harness.close();
}

const round = (value: number | undefined): string => (value === undefined || !Number.isFinite(value) ? '-' : String(Math.round(value)));
const verdict = (result: AttackResult, name: Check['name']): string => {
  const check = result.checks.find((candidate) => candidate.name === name);
  return check === undefined ? '-' : check.pass ? 'pass' : 'FAIL';
};
console.log(
  `\n${table(
    ['attack', 'requests', 'statuses', 'MiB', 's', 'hz p50', 'hz p99', 'hz max', 'RSS MB', ...CHECKS],
    results.map((result) => [
      result.id,
      result.requests,
      Object.entries(result.statuses)
        .map(([status, count]) => `${status}×${count}`)
        .join(' '),
      (result.bytes / 2 ** 20).toFixed(1),
      result.seconds.toFixed(1),
      round(result.healthz?.p50Ms),
      round(result.healthz?.p99Ms),
      round(result.healthz?.maxMs),
      Math.round(result.peakRssMB),
      ...CHECKS.map((name) => verdict(result, name)),
    ]),
  )}`,
);
console.log(`\n/healthz (hz) in ms; goals: p99 < ${benchProfile.healthz.p99Ms}, max < ${benchProfile.healthz.maxMs}; RSS < 1536 MB.`);
for (const result of results) {
  const failed = result.checks.filter((check) => !check.pass);
  if (failed.length === 0 && result.notes.length === 0) continue;
  console.log(`\n${result.id}: ${result.title}`);
  for (const note of result.notes) console.log(`  · ${note}`);
  for (const check of failed) console.log(`  ✗ ${check.name}: ${check.detail}`);
}
const failedAttacks = results.filter((result) => result.checks.some((check) => !check.pass)).length;
console.log(`\n${results.length - failedAttacks} of ${results.length} attacks met every guarantee.`);
