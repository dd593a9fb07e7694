/**
 * The throughput baseline: a bare Fastify instance with one route doing the
 * same arithmetic as POST /v1/activations/tanh/evaluate (the service's own
 * tanh kernel, value and derivative) with no validation, no response schema,
 * no hooks, no logging and no per-request setup. Run as a child by bench/http.ts:
 *
 *   node .bench-build/bench/lib/bare-server.js PORT [--request-log]
 *
 * With --request-log it adds exactly one thing: the service's own request log
 * (its pino options and its one line per request), to measure what that
 * line costs on a route that does nothing else.
 */
import Fastify from 'fastify';
import { resolveActivation } from '../../src/activations/resolve.js';
import { logCompletedRequest, loggerOptions, requestLogController } from '../../src/logging.js';

const port = Number(process.argv[2]);
const requestLog = process.argv.includes('--request-log');
const tanh = resolveActivation('tanh');
const app = Fastify({
  bodyLimit: 64 * 1024 * 1024,
  ...(requestLog ? { logger: loggerOptions('info'), logController: requestLogController() } : { logger: false }),
});
if (requestLog) app.addHook('onResponse', logCompletedRequest);

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
