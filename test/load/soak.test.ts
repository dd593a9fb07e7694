import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startService, type ServiceProcess } from '../../bench/lib/service.js';
import { soak, type SoakReport } from '../../bench/lib/soak.js';

/**
 * A short version of `npm run bench:soak`: 15 s of steady mixed load on a
 * server child. Minutes are needed to measure a leak's slope; these seconds
 * catch errors under load and gross growth, with generous margins.
 */
const SECONDS = 15;
const RATE = 60;

describe('the service under a steady mixed load', () => {
  let service: ServiceProcess;
  let report: SoakReport;

  beforeAll(async () => {
    service = await startService({ exposeGc: true });
    report = await soak(service, { seconds: SECONDS, rate: RATE, connections: 4, sampleEverySeconds: 2.5, warmUpSeconds: 5 });
  }, 40_000);

  afterAll(async () => {
    await service?.stop();
  });

  it('answers every request with 200, without connection errors or timeouts', () => {
    expect(report.errors).toBe(0);
    expect(report.timeouts).toBe(0);
    expect(Object.keys(report.statuses)).toEqual(['200']);
    expect(report.requests).toBeGreaterThan(0.7 * RATE * SECONDS);
  });

  it('keeps its memory bounded once warm', () => {
    expect(report.samples.length).toBeGreaterThanOrEqual(5);
    // Two worker threads with their matrix engines start in the first seconds; after that the
    // resident set may settle upwards, but not by hundreds of megabytes in ten seconds.
    expect(report.rss.endMB - report.rss.afterWarmUpMB).toBeLessThan(200);
    expect(report.rss.maxMB).toBeLessThan(1024); // the container's memory limit
    expect(report.heapUsed.maxMB).toBeLessThan(512);
    expect(report.retainedHeap.endMB - report.retainedHeap.afterWarmUpMB).toBeLessThan(50);
  });
});
