import fp from 'fastify-plugin';
import { z } from 'zod';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { problemResponses } from '../problems.js';
import type { WorkPool } from '../workers/pool.js';

/**
 * Prometheus metrics at GET /metrics (prom-client): requests and latency per
 * route template and status, the simulation pool, event-loop lag and the
 * process (prom-client's default collectors). A registry per app, so tests
 * can build several apps in one process.
 */
export default fp<{ pool: WorkPool }>(async (app, { pool }) => {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 10 });

  const labelNames = ['method', 'route', 'status'] as const;
  const requests = new Counter({ name: 'http_requests_total', help: 'HTTP requests answered, by route template and status.', labelNames, registers: [registry] });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time from receiving a request to the end of its response, by route template and status.',
    labelNames,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [registry],
  });
  const poolGauge = (name: string, help: string, read: () => number): Gauge =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        this.set(read());
      },
    });
  poolGauge('simulation_pool_in_flight', 'Work (simulations, theory, charts, large evaluations) running or queued on the worker pool.', () => pool.statistics().inFlight);
  poolGauge('simulation_pool_running', 'Work running on a worker thread.', () => pool.statistics().running);
  poolGauge('simulation_queue_depth', 'Work waiting for a worker thread.', () => pool.statistics().queued);
  poolGauge('simulation_pool_backlog_seconds', 'Estimated seconds until newly queued work would start.', () => pool.statistics().backlogSeconds);
  poolGauge('simulation_pool_threads', 'Worker threads alive.', () => pool.statistics().threads);
  poolGauge('simulation_pool_utilization', "Fraction of the pool's capacity used since it started (piscina).", () => pool.statistics().utilization);
  poolGauge('simulation_pool_completed_total', 'Tasks completed by the worker pool since start.', () => pool.statistics().completed);

  app.addHook('onResponse', (request, reply, done) => {
    // The route template, never the raw URL, keeps the label set bounded.
    const labels = { method: request.method, route: request.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) };
    requests.inc(labels);
    duration.observe(labels, reply.elapsedTime / 1000);
    done();
  });

  app.get('/metrics', {
    schema: {
      tags: ['operations'],
      operationId: 'metrics',
      summary: 'Prometheus metrics',
      description:
        'Prometheus text format: http_requests_total and http_request_duration_seconds by route and status, simulation pool gauges (in flight, queue depth, threads, utilisation), event-loop lag (nodejs_eventloop_lag_*), heap, RSS, CPU and file descriptors.',
      response: { 200: { description: 'Prometheus exposition format.', content: { 'text/plain': { schema: z.string() } } }, ...problemResponses([]) },
    },
    handler: async (_request, reply) => reply.type(registry.contentType).send(await registry.metrics()),
  });
});
