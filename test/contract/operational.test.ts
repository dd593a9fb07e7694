import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { conventionViolations, contractClient, httpTransport, useContractServer, type ContractResponse } from '../support/contract-client.js';
import { checkResponse, documentedOperations } from '../support/contract.js';
import type { TestServer } from '../support/server.js';
import { representativeRequests } from './representative-requests.js';

const { client } = useContractServer();

describe('GET /healthz', () => {
  it('answers the documented Status', async () => {
    const response = await client.get('/healthz');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ok' });
  });

  it('answers HEAD like GET, without a body', async () => {
    const response = await client.request({ method: 'HEAD', path: '/healthz' });
    expect(response.status).toBe(200);
    expect(response.payload).toHaveLength(0);
  });
});

describe('GET /readyz', () => {
  it('answers the documented Status while serving', async () => {
    expect((await client.get('/readyz')).status).toBe(200);
  });
});

describe('undocumented routes', () => {
  it.each([
    ['GET', '/v2/nothing'],
    ['GET', '/v1//activations'],
    ['DELETE', '/v2/nothing'],
  ])('answer %s %s with a 404 problem', async (method, path) => {
    expect((await client.request({ method, path })).status).toBe(404);
  });

  it.each([
    ['POST', '/v1/activations', 'GET, HEAD, OPTIONS'],
    ['DELETE', '/healthz', 'GET, HEAD, OPTIONS'],
    ['PUT', '/v1/evaluate', 'OPTIONS, POST'],
    ['PATCH', '/v1/simulations/feedforward', 'OPTIONS, POST'],
  ])('answer %s %s, a path with other methods, with a 405 problem and Allow: %s', async (method, path, allow) => {
    const response = await client.request({ method, path });
    expect(response.status).toBe(405);
    expect(response.headers.allow).toBe(allow);
    expect(response.contentType).toMatch(/^application\/problem\+json/);
  });
});

/** Every documented operation, asked once while the server is shutting down (one request held open keeps it from finishing). */
describe('while shutting down', () => {
  const answers = new Map<string, ContractResponse>();
  let app: App;

  /** Sends a request's headers and half its body, and holds it: the app counts it in flight until the rest comes. */
  function holdRequestOpen(port: number): { socket: Socket; finish: () => Promise<string> } {
    const body = '{"x":[1,2,3],"activations":["tanh"]}';
    const socket = connect(port, '127.0.0.1');
    socket.write(`POST /v1/evaluate HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 10)}`);
    const finish = () =>
      new Promise<string>((resolve) => {
        let received = '';
        socket.on('data', (chunk) => (received += chunk.toString()));
        socket.on('close', () => resolve(received));
        socket.end(body.slice(10));
      });
    return { socket, finish };
  }

  beforeAll(async () => {
    app = await buildApp(loadConfig({ LOG_LEVEL: 'silent', SIMULATION_THREADS: '1' }));
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    if (address === null || typeof address === 'string') throw new Error('not listening on TCP');
    const held = holdRequestOpen(address.port);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const closing = app.close();
    await new Promise((resolve) => setTimeout(resolve, 20));
    // Not contractClient: the answers are checked per test below, so that one undocumented 503 does not hide the others.
    const transport = httpTransport({ app } as TestServer);
    for (const { method, template } of documentedOperations()) {
      const request = representativeRequests[`${method} ${template}`];
      if (request !== undefined) answers.set(`${method} ${template}`, await transport(request));
    }
    const heldAnswer = await held.finish();
    answers.set('held', { status: Number(heldAnswer.split(' ')[1]), headers: {}, contentType: undefined, body: undefined, payload: Buffer.alloc(0) });
    await closing;
  });

  afterAll(async () => {
    await app?.close();
  });

  it('lets the request already in flight finish with 200', () => {
    expect(answers.get('held')?.status).toBe(200);
  });

  it('answers every operation with a 503 problem and Retry-After', () => {
    const wrong = [...answers.entries()]
      .filter(([key]) => key !== 'held')
      .flatMap(([key, response]) => {
        const request = representativeRequests[key];
        if (request === undefined) return [];
        const violations = response.status === 503 ? conventionViolations(request, response) : [`status ${response.status}`];
        return violations.map((violation) => `${key}: ${violation}`);
      });
    expect(wrong).toEqual([]);
  });

  it('answers /readyz with a 503 the document lists', () => {
    const response = answers.get('GET /readyz');
    expect(checkResponse({ method: 'GET', path: '/readyz', status: response?.status ?? 0, contentType: response?.contentType, body: response?.body })).toEqual([]);
  });

  // Every route answers 503 while shutting down (the onRequest hook in app.ts); every operation now documents it (problemResponses).
  it('answers only with statuses the document lists for each operation', () => {
    expect(answers.has('GET /metrics')).toBe(true);
    const violations = [...answers.entries()]
      .filter(([key]) => key !== 'held')
      .flatMap(([key, response]) => {
        const [method = '', template = ''] = key.split(' ');
        return checkResponse({ method, path: template, status: response.status, contentType: response.contentType, body: response.body });
      });
    expect(violations).toEqual([]);
  });
});

it('a contract client refuses a response that the document does not list', async () => {
  const strict = contractClient(async () => ({ status: 418, headers: { 'x-request-id': 'r' }, contentType: 'application/json', body: {}, payload: Buffer.alloc(0) }));
  await expect(strict.get('/healthz')).rejects.toThrow(/status 418 is not documented for GET \/healthz/);
});

describe('with RATE_LIMIT_MAX=2', () => {
  const { server } = useContractServer({ RATE_LIMIT_MAX: '2' });
  const send = () => httpTransport(server)({ method: 'GET', path: '/v1/activations/tanh' });

  it('answers the request past the limit with a 429 problem and Retry-After', async () => {
    const statuses: number[] = [];
    let last: ContractResponse | undefined;
    for (let attempt = 0; attempt < 3; attempt += 1) {
      last = await send();
      statuses.push(last.status);
    }
    expect(statuses).toEqual([200, 200, 429]);
    expect(conventionViolations({ method: 'GET', path: '/v1/activations/tanh' }, last as ContractResponse)).toEqual([]);
  });

  // The rate limiter answers 429 on every /v1 route; problemResponses now documents 429 on every one.
  it('documents the 429 it answers', async () => {
    const response = await send();
    expect(response.status).toBe(429);
    expect(checkResponse({ method: 'GET', path: '/v1/activations/tanh', status: response.status, contentType: response.contentType, body: response.body })).toEqual([]);
  });
});
