import { describe, expect, it } from 'vitest';
import { useTestServer } from '../support/server.js';

const server = useTestServer();

describe('GET /metrics', () => {
  it('counts requests by route template and status, in Prometheus text format', async () => {
    await server.http().get('/v1/activations/tanh').expect(200);
    await server.http().get('/v1/activations/nope').expect(404);
    const response = await server.http().get('/metrics').expect(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain/);
    expect(response.text).toMatch(/http_requests_total\{method="GET",route="\/v1\/activations\/:id",status="200"\} 1/);
    expect(response.text).toMatch(/http_requests_total\{method="GET",route="\/v1\/activations\/:id",status="404"\} 1/);
    expect(response.text).toContain('http_request_duration_seconds_bucket');
  });

  it('reports the simulation pool, the event loop and the process', async () => {
    const { text } = await server.http().get('/metrics').expect(200);
    for (const name of ['simulation_queue_depth', 'simulation_pool_in_flight', 'simulation_pool_utilization', 'nodejs_eventloop_lag_p99_seconds', 'process_resident_memory_bytes']) {
      expect(text).toContain(name);
    }
  });
});
