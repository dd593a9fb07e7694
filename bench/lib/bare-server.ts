/**
 * The throughput baseline: a bare Fastify instance with one route doing the
 * same arithmetic as POST /v1/activations/tanh/evaluate (the service's own
 * tanh kernel, value and derivative) with no validation, no response schema,
 * no hooks, no logging and no per-request setup. Run as a child by bench/http.ts:
 *
 *   node --import tsx bench/lib/bare-server.ts PORT
 */
import Fastify from 'fastify';
import { resolveActivation } from '../../src/activations/resolve.js';

const port = Number(process.argv[2]);
const tanh = resolveActivation('tanh');
const app = Fastify({ logger: false, bodyLimit: 64 * 1024 * 1024 });

app.get('/healthz', async () => ({ status: 'ok' }));
app.post('/v1/activations/tanh/evaluate', async (request) => {
  const { x } = request.body as { x: number[] };
  // tanh is deterministic: the kernel never draws, so no generator is built.
  const kernel = tanh.record.kernel(tanh.params, { mode: 'eval', count: x.length, uniform: Math.random });
  const value = x.map((input, index) => kernel.value(input, index));
  const derivative = x.map((input, index) => kernel.derivative(input, index));
  return { activation: 'tanh', params: tanh.params, mode: 'eval', count: x.length, x, value, derivative };
});

process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
await app.listen({ host: '127.0.0.1', port });
