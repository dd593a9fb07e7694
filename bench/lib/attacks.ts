/**
 * Every attack of the abuse suite, in one place, for `npm run bench:abuse`
 * and test/abuse alike: what is sent, and what the answer must be beyond the
 * guarantees every attack is judged by (bench/lib/abuse-runner.ts). All
 * traffic goes to the service child on 127.0.0.1; every loop is bounded in
 * count and time.
 */
import { Agent } from 'node:http';
import { connect, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { exchange, rawExchange, type Exchange } from './abuse-client.js';
import { answerOf, parseProblem } from './abuse-checks.js';
import { ABUSE_HTTP_TIMEOUTS, flood, type Attack, type AttackContext } from './abuse-runner.js';
import { smallEvaluateBody, smallFeedforwardBody } from './workload.js';

const KiB = 1024;
const MiB = 1024 * KiB;

/** A validation problem stays readable: this many bytes at most, this many listed errors at most. */
export const SMALL_PROBLEM_BYTES = 64 * KiB;
export const MAX_LISTED_ERRORS = 25;

export const ACTIVATION_IDS = ['celu', 'elu', 'gelu', 'hardshrink', 'hardsigmoid', 'hardswish', 'hardtanh', 'identity', 'leaky_relu', 'logsigmoid', 'mish', 'prelu', 'relu', 'relu6', 'rrelu', 'selu', 'sigmoid', 'silu', 'softplus', 'softshrink', 'softsign', 'swish', 'tanh', 'tanhshrink', 'threshold'] as const;

// ---- bodies ---------------------------------------------------------------------------------

/** `{"x":[{},{},…]}` of about `bytes` bytes: one bad element per 3 bytes. */
export function badElementsBody(bytes: number): { body: string; elements: number } {
  const elements = Math.floor((bytes - 8) / 3);
  return { body: `{"x":[${'{},'.repeat(elements - 1)}{}]}`, elements };
}

/** `{"x":[0,0,…],"constructor":1}` of exactly `bytes` bytes (give an even count). */
export function constructorKeyBody(bytes: number): string {
  const prefix = '{"x":[';
  const suffix = '0],"constructor":1}';
  const zeros = Math.floor((bytes - prefix.length - suffix.length) / 2);
  return `${prefix}${'0,'.repeat(zeros)}${suffix}`;
}

/** `{"x":[[[[…]]]]}` nested `depth` deep. */
export const deeplyNestedBody = (depth: number): string => `{"x":${'['.repeat(depth)}${']'.repeat(depth)}}`;

/** `{"x":[1],"k0":0,"k1":0,…}`. */
export const manyKeysBody = (keys: number): string => `{"x":[1],${Array.from({ length: keys }, (_, index) => `"k${index}":0`).join(',')}}`;

/** A million zeros and one string at the end. */
export const millionWithBadLastBody = (count: number): string => `{"x":[${'0,'.repeat(count - 1)}"a"]}`;

export const jacobianEveryLayerBody = JSON.stringify({ network: { depth: 10_000, width: 1, activation: 'tanh' }, everyLayer: true, histogram: { bins: 1000 } });
export const orthogonalWideBody = JSON.stringify({ network: { depth: 1, width: 2048, activation: 'tanh', init: 'orthogonal' }, input: { batchSize: 1 } });
export const deepThinTrialsBody = JSON.stringify({ network: { depth: 10_000, width: 1, activation: 'tanh' }, trials: 64 });
export const phaseDiagramBody = JSON.stringify({
  activation: 'gelu',
  sigmaW2: { start: 0.5, stop: 4, count: 200 },
  sigmaB2: { start: 0, stop: 0.5, count: 200 },
  nodeCount: 400,
});
/** Just under the cost limit once float64 is weighted ×20: about 8 GFLOP of plain JavaScript. */
export const float64FeedforwardBody = JSON.stringify({ network: { depth: 20, width: 512, activation: 'tanh' }, input: { batchSize: 256 }, precision: 'float64' });
/** An LSTM under the cost limit in float64 (priced 7.3 GFLOP, weighted ×20). */
export const float64RecurrentBody = JSON.stringify({ cell: 'lstm', inputSize: 512, hiddenSize: 512, steps: 100, batchSize: 8, precision: 'float64' });
/** An RNN of width 2048 with its default orthogonal W_h: the QR of one 2048² matrix, as in orthogonal-2048. */
export const wideRecurrentBody = JSON.stringify({ cell: 'rnn', inputSize: 1, hiddenSize: 2048, steps: 2, batchSize: 1 });
/** The most steps the schema allows on the smallest cell: priced at nothing, one answer entry per step. */
export const longThinRecurrentBody = JSON.stringify({ cell: 'lstm', inputSize: 1, hiddenSize: 1, steps: 10_000, batchSize: 1 });
/** A few seconds of float64 work on one thread: long enough to be abandoned while running. */
export const abandonedSimulationBody = JSON.stringify({ network: { depth: 20, width: 512, activation: 'tanh' }, input: { batchSize: 128 }, precision: 'float64', seed: 7 });
/** About a second of float64 work on one thread, for the shutdown queue. */
export const queuedSimulationBody = JSON.stringify({ network: { depth: 20, width: 256, activation: 'tanh' }, input: { batchSize: 128 }, precision: 'float64', seed: 9 });

export const millionGeluBody = JSON.stringify({ grid: { start: -5, stop: 5, count: 1_000_000 } });
export const largestChartBody = JSON.stringify({ activations: ACTIVATION_IDS.slice(0, 12), width: 2000, height: 2000 });
export const LARGEST_CHART_PATH = '/v1/plots/activations?format=png&scale=4';

// ---- checks shared by the attacks -----------------------------------------------------------

interface ProblemExpectation {
  statuses: readonly number[];
  /** The answer must come within this long (refused before any real work). */
  withinMs?: number;
  /** The total error count the problem must state (a number member or in `detail`). */
  totalErrors?: number;
}

/** The answer is one of `statuses`, a small problem with a capped error list, in time. */
function expectSmallProblem(context: AttackContext, seen: Exchange, label: string, expectation: ProblemExpectation): void {
  const answer = answerOf(seen);
  if (answer === undefined) return; // already a violation of the answers check
  if (!expectation.statuses.includes(answer.status)) context.violation(`${label}: ${answer.status}, expected ${expectation.statuses.join(' or ')}`);
  if (seen.bytes > SMALL_PROBLEM_BYTES) context.violation(`${label}: a ${(seen.bytes / MiB).toFixed(1)} MiB answer (at most ${SMALL_PROBLEM_BYTES / KiB} KiB)`);
  if (expectation.withinMs !== undefined && seen.ms > expectation.withinMs) context.violation(`${label}: answered after ${Math.round(seen.ms)} ms (at most ${expectation.withinMs})`);
  const { problem } = parseProblem(answer);
  if (problem === undefined || answer.status !== 400) return;
  const errors = problem['errors'];
  if (Array.isArray(errors) && errors.length > MAX_LISTED_ERRORS) context.violation(`${label}: ${errors.length} errors listed (at most ${MAX_LISTED_ERRORS} plus a count)`);
  const total = expectation.totalErrors;
  if (total !== undefined) {
    const stated = Object.values(problem).some((value) => value === total) || String(problem['detail']).includes(String(total));
    if (!stated) context.violation(`${label}: no total count of ${total} errors`);
  }
}

/** Sends `body` to `path` and expects a small problem. */
async function refusedBody(context: AttackContext, label: string, path: string, body: string, expectation: ProblemExpectation, headers: Record<string, string> = {}): Promise<void> {
  const bytes = Buffer.byteLength(body);
  if (bytes >= MiB) context.note(`${label}: ${(bytes / MiB).toFixed(1)} MiB body`);
  const seen = await context.send(path, { body, headers });
  expectSmallProblem(context, seen, label, expectation);
}

async function simulationsInFlight(url: string): Promise<number> {
  const metrics = await exchange(url, '/metrics', { timeoutMs: 5_000 });
  return Number(/^simulation_pool_in_flight (\S+)$/m.exec(metrics.body)?.[1] ?? Number.NaN);
}

/** A priced request: the runner's cost check judges it; the answer must also stay bounded. */
async function pricedRequest(context: AttackContext, path: string, body: string, headers: Record<string, string> = {}): Promise<Exchange> {
  const seen = await context.send(path, { body, headers, priced: true });
  context.note(`${seen.kind === 'response' ? seen.status : seen.kind} in ${(seen.ms / 1000).toFixed(1)} s, ${(seen.bytes / MiB).toFixed(1)} MiB`);
  return seen;
}

/** Largest answer a priced 200 may have. */
export const MAX_ANSWER_BYTES = 32 * MiB;

function boundedAnswer(context: AttackContext, seen: Exchange): void {
  if (seen.status === 200 && seen.bytes > MAX_ANSWER_BYTES) context.violation(`a ${(seen.bytes / MiB).toFixed(0)} MiB answer (at most ${MAX_ANSWER_BYTES / MiB} MiB)`);
}

const raw = (lines: readonly string[], body = ''): string => `${lines.join('\r\n')}\r\n\r\n${body}`;

/** One raw request, one response expected among `statuses`, as a problem unless 2xx/3xx. */
async function rawRefusal(context: AttackContext, label: string, data: string, statuses: readonly number[]): Promise<void> {
  const conversation = await rawExchange(context.service.port, { data, deadlineMs: 3_000, responses: 1 });
  const [response] = conversation.responses;
  if (response === undefined) {
    context.count(conversation.closedByServer ? 'closed' : 'silent', conversation.received.length);
    context.violation(`${label}: no HTTP answer (${conversation.closedByServer ? 'connection closed' : 'nothing within 3 s'}${conversation.received.length > 0 ? `; got ${JSON.stringify(conversation.received.toString().slice(0, 60))}` : ''})`);
    return;
  }
  context.recordRaw(label, response);
  if (!statuses.includes(response.status)) context.violation(`${label}: ${response.status}, expected ${statuses.join(' or ')}`);
}

// ---- the attacks ----------------------------------------------------------------------------

export const attacks: readonly Attack[] = [
  {
    id: 'bad-elements-16MiB',
    title: 'answers a 16 MiB body of bad elements with a small 400 (or 413) and a capped error list, and stays alive',
    async run(context) {
      const { body, elements } = badElementsBody(16 * MiB);
      await refusedBody(context, `${elements} bad elements`, '/v1/activations/relu/evaluate', body, { statuses: [400, 413], withinMs: 5_000, totalErrors: elements });
    },
  },
  {
    id: 'bad-elements-2MiB',
    title: 'answers a 2 MiB body of bad elements with a small 400 that counts them all, without stalling',
    async run(context) {
      const { body, elements } = badElementsBody(2 * MiB);
      await refusedBody(context, `${elements} bad elements`, '/v1/activations/relu/evaluate', body, { statuses: [400, 413], withinMs: 2_000, totalErrors: elements });
    },
  },
  {
    id: 'constructor-key-64MiB',
    title: 'refuses a 64 MiB body with a "constructor" key with a 400 (or 413) without stalling the event loop',
    async run(context) {
      await refusedBody(context, '"constructor" after 64 MiB', '/v1/activations/relu/evaluate', constructorKeyBody(64 * MiB), { statuses: [400, 413], withinMs: 5_000 });
    },
  },
  {
    id: 'prototype-keys',
    title: 'refuses __proto__ and constructor.prototype keys with a small 400',
    async run(context) {
      await refusedBody(context, '__proto__', '/v1/activations/relu/evaluate', '{"x":[1],"__proto__":{"polluted":true}}', { statuses: [400], withinMs: 2_000 });
      await refusedBody(context, 'constructor.prototype', '/v1/activations/elu/evaluate', '{"x":[1],"params":{"constructor":{"prototype":{"alpha":2}}}}', { statuses: [400], withinMs: 2_000 });
      await refusedBody(context, 'nested __proto__', '/v1/evaluate', '{"grid":{"start":0,"stop":1,"count":2},"activations":[{"id":"elu","params":{"__proto__":{"alpha":2}}}]}', { statuses: [400], withinMs: 2_000 });
    },
  },
  {
    id: 'deeply-nested-100k',
    title: 'refuses JSON nested 100 000 deep with a small 400',
    async run(context) {
      await refusedBody(context, '100k-deep x', '/v1/activations/relu/evaluate', deeplyNestedBody(100_000), { statuses: [400, 413], withinMs: 5_000 });
    },
  },
  {
    id: 'many-keys-500k',
    title: 'refuses a body with 500 000 unknown keys with a small 400',
    async run(context) {
      await refusedBody(context, '500k keys', '/v1/activations/relu/evaluate', manyKeysBody(500_000), { statuses: [400, 413], withinMs: 5_000 });
    },
  },
  {
    id: 'long-strings-8MiB',
    title: 'refuses 8 MiB strings where an id or a parameter goes with a small 400 that does not echo them',
    async run(context) {
      const long = 'a'.repeat(8 * MiB);
      await refusedBody(context, 'activation id', '/v1/evaluate', JSON.stringify({ grid: { start: 0, stop: 1, count: 2 }, activations: [long] }), { statuses: [400, 413], withinMs: 5_000 });
      await refusedBody(context, 'parameter', '/v1/activations/elu/evaluate', JSON.stringify({ x: [1], params: { alpha: long } }), { statuses: [400, 413], withinMs: 5_000 });
      await refusedBody(context, 'unknown key', '/v1/activations/relu/evaluate', `{"x":[1],"${long}":1}`, { statuses: [400, 413], withinMs: 5_000 });
    },
  },
  {
    id: 'elements-limit',
    title: 'refuses 25 activations × a 1e6 grid, and a 1e9 grid, before computing',
    async run(context) {
      await refusedBody(context, '25 × 1e6', '/v1/evaluate', JSON.stringify({ grid: { start: -5, stop: 5, count: 1_000_000 }, activations: ACTIVATION_IDS }), { statuses: [400, 413, 422], withinMs: 2_000 });
      await refusedBody(context, '1e9 grid', '/v1/activations/relu/evaluate', JSON.stringify({ grid: { start: -5, stop: 5, count: 1_000_000_000 } }), { statuses: [400, 413, 422], withinMs: 2_000 });
    },
  },
  {
    id: 'million-x-bad-last',
    title: 'refuses a million inputs with one bad element at the end with a small 400 naming it',
    async run(context) {
      const seen = await context.send('/v1/activations/relu/evaluate', { body: millionWithBadLastBody(1_000_000) });
      expectSmallProblem(context, seen, '1e6 x, x.999999 bad', { statuses: [400], withinMs: 5_000 });
      if (seen.status === 400 && !seen.body.includes('999999')) context.violation('the problem does not name x.999999');
    },
  },
  {
    id: 'wrong-content-types',
    title: 'answers bodies of the wrong content type with 415 (or 400) problems',
    async run(context) {
      const path = '/v1/activations/relu/evaluate';
      const cases: [string, Record<string, string>, string][] = [
        ['text/plain', { 'content-type': 'text/plain' }, '{"x":[1]}'],
        ['form', { 'content-type': 'application/x-www-form-urlencoded' }, 'x=1'],
        ['multipart', { 'content-type': 'multipart/form-data; boundary=b' }, '--b\r\nContent-Disposition: form-data; name="x"\r\n\r\n1\r\n--b--\r\n'],
        ['utf-16 json', { 'content-type': 'application/json; charset=utf-16' }, '{"x":[1]}'],
        ['xml as json', { 'content-type': 'application/json' }, '<x>1</x>'],
        ['octet-stream', { 'content-type': 'application/octet-stream' }, '{"x":[1]}'],
      ];
      for (const [label, headers, body] of cases) await refusedBody(context, label, path, body, { statuses: [400, 415], withinMs: 2_000 }, headers);
      // No content-type header at all (an HTTP client adds one, so this one is sent raw).
      await rawRefusal(context, 'no content-type', raw([`POST ${path} HTTP/1.1`, 'Host: 127.0.0.1', 'Content-Length: 9', 'Connection: close'], '{"x":[1]}'), [400, 415]);
    },
  },
  {
    id: 'jacobian-every-layer-x4',
    title: 'refuses (422) or bounds the 220 MB Jacobian answer of 10 000 layers with every layer and 1000 bins, four at once',
    async run(context) {
      const answers = await Promise.all(Array.from({ length: 4 }, () => pricedRequest(context, '/v1/simulations/jacobian', jacobianEveryLayerBody)));
      for (const seen of answers) boundedAnswer(context, seen);
    },
  },
  {
    id: 'orthogonal-2048',
    title: 'prices orthogonal initialisation of width 2048 honestly: 422, or 200 within 3× its estimate',
    async run(context) {
      boundedAnswer(context, await pricedRequest(context, '/v1/simulations/feedforward', orthogonalWideBody));
    },
  },
  {
    id: 'deep-thin-trials',
    title: 'prices 64 trials of a 10 000-layer width-1 network honestly: 422, or 200 within 3× its estimate',
    async run(context) {
      boundedAnswer(context, await pricedRequest(context, '/v1/simulations/feedforward', deepThinTrialsBody));
    },
  },
  {
    id: 'phase-diagram-200x200',
    title: 'prices a 200×200 gelu phase diagram with 400 nodes honestly, two at once: 422, or 200 within 3× its estimate',
    async run(context) {
      const readiness: string[] = [];
      const both = Promise.all([pricedRequest(context, '/v1/theory/phase-diagram', phaseDiagramBody), pricedRequest(context, '/v1/theory/phase-diagram', phaseDiagramBody)]);
      await sleep(1_000);
      const ready = await exchange(context.service.url, '/readyz', { timeoutMs: 5_000 });
      readiness.push(String(ready.status ?? ready.kind));
      for (const seen of await both) boundedAnswer(context, seen);
      context.note(`/readyz while both ran: ${readiness.join(', ')}`);
    },
  },
  {
    id: 'phase-diagram-svg',
    title: 'refuses a 200×200 phase diagram as SVG before computing it',
    async run(context) {
      const seen = await context.send('/v1/theory/phase-diagram', { body: phaseDiagramBody, headers: { accept: 'image/svg+xml' } });
      expectSmallProblem(context, seen, 'svg of 40000 cells', { statuses: [400, 422], withinMs: 1_000 });
    },
  },
  {
    id: 'float64-feedforward',
    title: 'prices a float64 feed-forward simulation just under the limit honestly',
    async run(context) {
      boundedAnswer(context, await pricedRequest(context, '/v1/simulations/feedforward', float64FeedforwardBody));
    },
  },
  {
    id: 'float64-recurrent',
    title: 'prices a float64 LSTM just under the limit honestly',
    async run(context) {
      boundedAnswer(context, await pricedRequest(context, '/v1/simulations/recurrent', float64RecurrentBody));
    },
  },
  {
    id: 'wide-recurrent-orthogonal',
    title: 'prices an RNN of width 2048 with orthogonal recurrent weights honestly',
    async run(context) {
      boundedAnswer(context, await pricedRequest(context, '/v1/simulations/recurrent', wideRecurrentBody));
    },
  },
  {
    id: 'long-thin-recurrent',
    title: 'prices an LSTM of 10 000 steps and width 1 honestly',
    async run(context) {
      boundedAnswer(context, await pricedRequest(context, '/v1/simulations/recurrent', longThinRecurrentBody));
    },
  },
  {
    id: 'heavy-mix-16-clients',
    title: 'keeps /healthz answering and RSS under 1.5 GB while 16 clients send the largest charts and 1e6-point evaluations',
    async run(context) {
      const heaviest: [string, string][] = [
        ['/v1/activations/gelu/evaluate', millionGeluBody],
        [LARGEST_CHART_PATH, largestChartBody],
      ];
      await flood(context.profile.floodSeconds, 16, async (client, round) => {
        const [path, body] = heaviest[(client + round) % heaviest.length] as [string, string];
        await context.send(path, { body });
      });
    },
  },
  {
    id: 'tiny-png-scale',
    title: 'answers scale=0.001 on a PNG chart with 400, not 500',
    async run(context) {
      const plot = await context.send('/v1/activations/tanh/plot?format=png&scale=0.001');
      expectSmallProblem(context, plot, 'activation plot', { statuses: [400] });
      const simulation = await context.send('/v1/simulations/feedforward?format=png&scale=0.001', { body: smallFeedforwardBody });
      expectSmallProblem(context, simulation, 'feed-forward chart', { statuses: [400] });
    },
  },
  {
    id: 'http-framing',
    title: 'answers oversized headers (431), a bad Content-Length, a bad chunk and CONNECT with problems',
    async run(context) {
      await rawRefusal(context, 'headers > 16 KB', raw(['GET /healthz HTTP/1.1', 'Host: 127.0.0.1', `X-Big: ${'a'.repeat(20 * KiB)}`]), [431]);
      await rawRefusal(context, 'bad Content-Length', raw(['POST /v1/activations/relu/evaluate HTTP/1.1', 'Host: 127.0.0.1', 'Content-Type: application/json', 'Content-Length: abc'], '{"x":[1]}'), [400]);
      await rawRefusal(
        context,
        'bad chunk',
        raw(['POST /v1/activations/relu/evaluate HTTP/1.1', 'Host: 127.0.0.1', 'Content-Type: application/json', 'Transfer-Encoding: chunked'], 'zz\r\n{"x":[1]}\r\n0\r\n\r\n'),
        [400],
      );
      await rawRefusal(context, 'CONNECT', raw(['CONNECT 127.0.0.1:9 HTTP/1.1', 'Host: 127.0.0.1:9']), [400, 405]);
    },
  },
  {
    id: 'methods-and-root',
    title: 'answers a wrong method with 405 and Allow, OPTIONS with 204 or 405 and Allow, / with the lab (or a 503 problem while it is not built) and /docs with Swagger UI',
    async run(context) {
      for (const [method, path] of [
        ['DELETE', '/v1/activations'],
        ['PUT', '/healthz'],
        ['GET', '/v1/activations/relu/evaluate'],
        ['PATCH', '/v1/simulations/feedforward'],
      ] as const) {
        const seen = await context.send(path, { method });
        if (seen.status !== 405) context.violation(`${method} ${path}: ${seen.status ?? seen.kind}, expected 405`);
      }
      const options = await context.send('/v1/activations/relu/evaluate', { method: 'OPTIONS' });
      if (options.status !== 204 && options.status !== 405) context.violation(`OPTIONS: ${options.status ?? options.kind}, expected 204 or 405`);
      if (options.headers?.['allow'] === undefined) context.violation('OPTIONS: no Allow header');
      const root = await context.send('/');
      const rootType = root.headers?.['content-type'] ?? '';
      const lab = root.status === 200 && rootType.startsWith('text/html');
      const unbuilt = root.status === 503 && rootType.startsWith('application/problem+json');
      if (!lab && !unbuilt) context.violation(`GET /: ${root.status ?? root.kind} (${rootType || 'no type'}), expected the lab (200 HTML) or a 503 problem while it is not built`);
      const docs = await context.send('/docs');
      if (docs.status !== 200 && docs.status !== 302) context.violation(`GET /docs: ${docs.status ?? docs.kind}, expected Swagger UI`);
    },
  },
  {
    id: 'slow-clients',
    title: 'closes connections whose headers or body trickle in one byte a second within the configured timeouts',
    async run(context) {
      const { headersTimeoutMs, requestTimeoutMs } = ABUSE_HTTP_TIMEOUTS;
      // Node checks its timeouts on an interval: allow half a timeout and a second more.
      const allowance = (timeoutMs: number): number => timeoutMs * 1.5 + 1_000;
      const trickle = (count: number): { pieces: string[]; everyMs: number } => ({ pieces: Array.from({ length: count }, () => 'a'), everyMs: 1_000 });
      const slowHeaders = rawExchange(context.service.port, {
        data: 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ',
        trickle: trickle(Math.ceil(allowance(headersTimeoutMs) / 1000) + 2),
        deadlineMs: allowance(headersTimeoutMs) + 2_000,
      });
      const slowBody = rawExchange(context.service.port, {
        data: raw(['POST /v1/activations/relu/evaluate HTTP/1.1', 'Host: 127.0.0.1', 'Content-Type: application/json', 'Content-Length: 1000']),
        trickle: trickle(Math.ceil(allowance(requestTimeoutMs) / 1000) + 2),
        deadlineMs: allowance(requestTimeoutMs) + 2_000,
      });
      for (const [label, conversation, timeoutMs] of [
        ['trickled headers', await slowHeaders, headersTimeoutMs],
        ['trickled body', await slowBody, requestTimeoutMs],
      ] as const) {
        const [response] = conversation.responses;
        if (response === undefined) context.count(conversation.closedByServer ? 'closed' : 'open', conversation.received.length);
        else context.recordRaw(label, response);
        context.note(`${label}: ${conversation.closedByServer ? `closed after ${Math.round(conversation.closedAtMs ?? 0)} ms` : 'still open'}${response === undefined ? '' : ` with ${response.status}`}`);
        if (!conversation.closedByServer || (conversation.closedAtMs ?? Infinity) > allowance(timeoutMs)) {
          context.violation(`${label}: still open after ${Math.round(allowance(timeoutMs))} ms (timeout ${timeoutMs} ms)`);
        }
        if (response !== undefined && response.status !== 408) context.violation(`${label}: ${response.status}, expected 408`);
      }
    },
  },
  {
    id: 'pipelining-500',
    title: 'answers 500 requests pipelined on one connection, each with a documented status',
    async run(context) {
      const count = 500;
      const request = (last: boolean): string => raw(['GET /v1/activations/relu HTTP/1.1', 'Host: 127.0.0.1', ...(last ? ['Connection: close'] : [])]);
      const data = Array.from({ length: count }, (_, index) => request(index === count - 1)).join('');
      const conversation = await rawExchange(context.service.port, { data, deadlineMs: 15_000, responses: count });
      for (const response of conversation.responses) context.recordRaw('pipelined', response);
      const answered = conversation.responses.length;
      const last = conversation.responses.at(-1);
      const shedCleanly = conversation.closedByServer && last !== undefined && (last.status === 429 || last.status === 503);
      if (answered < count && !shedCleanly) context.violation(`${answered} of ${count} pipelined requests answered, then ${conversation.closedByServer ? 'closed' : 'silence'}`);
    },
  },
  {
    id: 'idle-keep-alive-2000',
    title: 'keeps answering /healthz with 2000 idle keep-alive connections open',
    async run(context) {
      const sockets: Socket[] = [];
      const CONNECTIONS = 2000;
      let answeredFirst = 0;
      const firstStatuses: string[] = [];
      try {
        for (let batch = 0; batch < CONNECTIONS / 200; batch++) {
          await Promise.all(
            Array.from(
              { length: 200 },
              () =>
                new Promise<void>((resolve) => {
                  const socket = connect({ host: '127.0.0.1', port: context.service.port });
                  sockets.push(socket);
                  socket.once('error', () => resolve());
                  socket.once('data', (chunk: Buffer) => {
                    answeredFirst += 1;
                    firstStatuses.push(/^HTTP\/1\.1 (\d{3})/.exec(chunk.toString('latin1'))?.[1] ?? 'garbled');
                    resolve();
                  });
                  socket.once('connect', () => socket.write(raw(['GET /healthz HTTP/1.1', 'Host: 127.0.0.1'])));
                  setTimeout(resolve, 5_000);
                }),
            ),
          );
        }
        await sleep(context.profile.floodSeconds * 1000);
        const stillOpen = sockets.filter((socket) => !socket.destroyed && socket.readyState === 'open').length;
        context.note(`${answeredFirst} of ${CONNECTIONS} answered their first request; ${stillOpen} still open after ${context.profile.floodSeconds} s idle`);
        for (const status of firstStatuses) context.count(status, 0);
        for (let index = answeredFirst; index < CONNECTIONS; index++) context.count('unanswered', 0);
        const refused = firstStatuses.filter((status) => status !== '200').length;
        if (refused > 0) context.violation(`${refused} first requests not answered 200 (${[...new Set(firstStatuses)].join(', ')})`);
        if (answeredFirst < CONNECTIONS) context.violation(`${CONNECTIONS - answeredFirst} connections never had their request answered`);
        const health = await exchange(context.service.url, '/healthz', { timeoutMs: 5_000 });
        if (health.status !== 200) context.violation(`/healthz with the connections open: ${health.status ?? health.kind}`);
      } finally {
        for (const socket of sockets) socket.destroy();
      }
    },
  },
  {
    id: 'small-request-rate',
    title: 'sheds a flood of small requests from 64 keep-alive clients with 503 and Retry-After (or 429), never anything undocumented',
    env: { SIMULATION_QUEUE: '4' },
    async run(context) {
      const agent = new Agent({ keepAlive: true, maxSockets: 64 });
      const small: [string, string | undefined][] = [
        ['/v1/simulations/feedforward', smallFeedforwardBody],
        ['/v1/activations/tanh/evaluate', smallEvaluateBody],
        ['/v1/activations', undefined],
      ];
      try {
        await flood(context.profile.floodSeconds, 64, async (client, round) => {
          const [path, body] = small[(client + round) % small.length] as [string, string | undefined];
          await context.send(path, { agent, ...(body === undefined ? {} : { body }) });
        });
      } finally {
        agent.destroy();
      }
    },
  },
  {
    id: 'client-disconnects',
    title: 'aborts the work of clients that disconnect after 300 ms and answers the next simulation promptly',
    env: { SIMULATION_THREADS: '2' },
    async run(context) {
      const abortWithinMs = context.profile.name === 'bench' ? 1_000 : 3_000;
      const promptMs = context.profile.name === 'bench' ? 1_000 : 5_000;
      await Promise.all(
        [0, 1].map(async () =>
          context.record(await exchange(context.service.url, '/v1/simulations/feedforward', { body: abandonedSimulationBody, abandonAfterMs: 300 }), { mayEnd: ['abandoned'] }),
        ),
      );
      const abandonedAt = performance.now();
      let inFlight = await simulationsInFlight(context.service.url);
      while (inFlight > 0 && performance.now() - abandonedAt < abortWithinMs) {
        await sleep(50);
        inFlight = await simulationsInFlight(context.service.url);
      }
      const waited = performance.now() - abandonedAt;
      context.note(`simulation_pool_in_flight ${inFlight} after ${Math.round(waited)} ms`);
      if (inFlight > 0) context.violation(`simulation_pool_in_flight still ${inFlight} ${abortWithinMs} ms after both clients left`);
      const next = await context.send('/v1/simulations/feedforward', { body: smallFeedforwardBody });
      context.note(`next small simulation: ${next.status ?? next.kind} in ${Math.round(next.ms)} ms`);
      if (next.status !== 200 || next.ms > promptMs) context.violation(`the next small simulation: ${next.status ?? next.kind} after ${Math.round(next.ms)} ms (at most ${promptMs})`);
    },
  },
  {
    id: 'sigterm-32-queued',
    title: 'on SIGTERM with 32 heavy simulations queued answers the queued ones 503 at once, finishes the running ones and exits 0 with JSON logs only',
    env: { SIMULATION_THREADS: '2', SIMULATION_QUEUE: '32', LOG_LEVEL: 'info' },
    endsService: true,
    async run(context) {
      const { service } = context;
      const lines: string[] = [];
      for (const stream of [service.child.stdout, service.child.stderr]) {
        let partial = '';
        stream?.on('data', (chunk: Buffer) => {
          const text = partial + chunk.toString();
          const complete = text.split('\n');
          partial = complete.pop() ?? '';
          lines.push(...complete.filter((line) => line.trim() !== ''));
        });
        stream?.once('end', () => partial.trim() !== '' && lines.push(partial));
      }
      const deadlineMs = 30_000;
      const simulations = Array.from({ length: 32 }, () => exchange(service.url, '/v1/simulations/feedforward', { body: queuedSimulationBody, timeoutMs: deadlineMs }));
      const fillDeadline = performance.now() + 10_000;
      while ((await simulationsInFlight(service.url)) < 32 && performance.now() < fillDeadline) await sleep(25);
      const signalledAt = performance.now();
      service.child.kill('SIGTERM');
      const answeredAt = simulations.map((simulation) => simulation.then(() => performance.now() - signalledAt));
      const outcomes = await Promise.all(simulations);
      const exitTimer = sleep(15_000).then(() => 'no exit within 15 s');
      const exit = await Promise.race([service.exited, exitTimer]);
      const exitMs = performance.now() - signalledAt;
      const delays = await Promise.all(answeredAt);
      const quickRefusalMs = context.profile.name === 'bench' ? 500 : 3_000;
      for (const [index, seen] of outcomes.entries()) {
        context.record(seen);
        if (seen.kind === 'response' && seen.status === 503 && (delays[index] ?? 0) > quickRefusalMs) {
          context.violation(`a queued simulation got its 503 only ${Math.round(delays[index] ?? 0)} ms after SIGTERM (at most ${quickRefusalMs})`);
        }
        if (seen.kind === 'response' && seen.status !== 200 && seen.status !== 503) context.violation(`a simulation answered ${seen.status}`);
      }
      context.note(`exit ${typeof exit === 'string' ? exit : `${exit.code ?? exit.signal}`} ${Math.round(exitMs)} ms after SIGTERM`);
      if (typeof exit === 'string' || exit.code !== 0) context.violation(`exit ${typeof exit === 'string' ? exit : `code ${exit.code} signal ${exit.signal}`}, expected 0`);
      await sleep(100); // the last output
      const notJson = lines.filter((line) => {
        try {
          return typeof JSON.parse(line) !== 'object';
        } catch {
          return true;
        }
      });
      if (notJson.length > 0) context.violation(`${notJson.length} non-JSON output lines, e.g. ${JSON.stringify(notJson[0]?.slice(0, 80))}`);
    },
  },
];

export function attackById(id: string): Attack {
  const attack = attacks.find((candidate) => candidate.id === id);
  if (attack === undefined) throw new Error(`no attack ${id}`);
  return attack;
}
