import type { ConnectionError, FastifyHttpOptions, FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Config } from '../config.js';
import { problemDocument, ProblemError, problemTypes, type ProblemKind } from '../problems.js';
import { securityHeadersFor } from './protection.js';

/**
 * Answers given below routing: Node's HTTP parser refusing a request, a client too slow to send one, CONNECT,
 * a method a known path does not take (405 with Allow) and OPTIONS (204 with Allow). Each is a problem in the
 * service's one shape, with the headers every answer carries.
 */

/** The Fastify options for the timeouts and for requests Node's parser refuses. */
export function httpServerOptions(timeouts: Config['timeouts']) {
  return {
    // Node's requestTimeout covers receiving the request (headers and body), not producing the answer.
    requestTimeout: timeouts.requestMs,
    keepAliveTimeout: timeouts.keepAliveMs,
    // Node's socket timeout: with no listener for it, a connection silent for this long is destroyed.
    connectionTimeout: timeouts.socketIdleMs,
    // http.createServer's own options: it checks headersTimeout against requestTimeout.
    http: {
      requestTimeout: timeouts.requestMs,
      headersTimeout: timeouts.headersMs,
      connectionsCheckingInterval: timeouts.checkingIntervalMs,
    },
    clientErrorHandler: answerClientError,
  } satisfies FastifyHttpOptions<Server>;
}

/** Why Node's parser gave up on a request (llhttp's codes), as a problem. */
function clientProblem(error: ConnectionError): { kind: ProblemKind; detail: string } {
  switch (error.code) {
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return { kind: 'requestTimeout', detail: 'The request was not received in time; the connection is closed.' };
    case 'HPE_HEADER_OVERFLOW':
      return { kind: 'requestHeaderFieldsTooLarge', detail: 'The request line and headers exceed the size the server accepts.' };
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return { kind: 'tooLarge', detail: 'The chunk extensions of the body exceed the size the server accepts.' };
    default: {
      const reason = 'reason' in error && typeof error.reason === 'string' ? error.reason : error.code;
      return { kind: 'malformed', detail: `The request is not valid HTTP/1.1 (${reason}).` };
    }
  }
}

/** A complete HTTP/1.1 problem response, for a socket no ServerResponse speaks on; the connection closes after it. */
export function rawProblemResponse(kind: ProblemKind, detail: string, instance: string, headers: Record<string, string> = {}): string {
  const body = JSON.stringify(problemDocument(kind, detail, instance));
  const { status } = problemTypes[kind];
  const fields = {
    ...securityHeadersFor(instance),
    ...headers,
    'content-type': 'application/problem+json; charset=utf-8',
    'content-length': String(Buffer.byteLength(body)),
    connection: 'close',
  };
  const head = Object.entries(fields).map(([name, value]) => `${name}: ${value}\r\n`).join('');
  return `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n${head}\r\n${body}`;
}

/** Each socket's latest response, to tell whether an answer is already under way on it. */
const latestResponses = new WeakMap<Socket, ServerResponse>();

function trackResponses(request: IncomingMessage, response: ServerResponse): void {
  latestResponses.set(request.socket, response);
}

/**
 * Node's own rule for writing an error answer: only if no response on the socket has begun, since bytes
 * written into the middle of one would corrupt it. A pipelined response that waits for an earlier one has no
 * socket yet, and the earlier one is being written.
 */
function responseUnderway(socket: Socket): boolean {
  const response = latestResponses.get(socket);
  if (response === undefined || response.writableFinished) return false;
  return response.headersSent || response.socket === null;
}

/** The path of the failed request: the one being received, or the request line at the start of the packet. */
function failedRequestPath(error: ConnectionError, socket: Socket): string {
  const response = latestResponses.get(socket);
  if (response !== undefined && !response.writableFinished) return pathOf(response.req.url ?? '');
  const packet = Buffer.isBuffer(error.rawPacket) ? error.rawPacket.toString('latin1') : '';
  return /^[A-Z]+ (\/[^\s?#]*)/.exec(packet)?.[1] ?? '';
}

const pathOf = (url: string): string => url.split('?')[0] ?? url;

/** Fastify's clientErrorHandler: a problem answer where one can still be written, and the socket closed. */
function answerClientError(this: FastifyInstance, error: ConnectionError, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const { kind, detail } = clientProblem(error);
  this.log.debug({ err: error, status: problemTypes[kind].status }, 'client error');
  if (socket.writable && !responseUnderway(socket)) socket.write(rawProblemResponse(kind, detail, failedRequestPath(error, socket)));
  socket.destroy(error);
}

/** Node hands CONNECT to 'connect' listeners and, when there are none, drops the connection without a word. */
function refuseConnect(request: IncomingMessage, socket: Socket): void {
  // An empty Allow: the target (a host and port, not a path here) allows no method; this is not a proxy.
  const answer = rawProblemResponse('methodNotAllowed', `This service is not a proxy; CONNECT ${request.url ?? ''} is not accepted.`, '', { allow: '' });
  if (socket.writable) socket.write(answer);
  socket.destroy();
}

/** The methods of every route, by URL pattern, so that a request that matches no route can be told what does. */
export class RouteMethods {
  private readonly routes = new Map<string, { pattern: RegExp; methods: Set<string> }>();

  add(url: string, methods: readonly string[]): void {
    // A catch-all (@fastify/cors's OPTIONS *) says nothing about which paths exist.
    if (url === '*' || url === '/*') return;
    const route = this.routes.get(url) ?? { pattern: routePattern(url), methods: new Set<string>() };
    for (const method of methods) route.methods.add(method);
    this.routes.set(url, route);
  }

  /** The methods some route takes at this path, with HEAD where GET is and OPTIONS; [] for an unknown path. */
  allowed(path: string): string[] {
    const methods = new Set<string>();
    for (const { pattern, methods: routeMethods } of this.routes.values()) {
      if (pattern.test(path)) for (const method of routeMethods) methods.add(method);
    }
    if (methods.size === 0) return [];
    if (methods.has('GET')) methods.add('HEAD');
    methods.add('OPTIONS');
    return [...methods].sort();
  }
}

/** find-my-way's syntax as a regular expression: `:name` is one path segment, `*` the rest of the path. */
function routePattern(url: string): RegExp {
  const source = url
    .split(/(:[A-Za-z_$][\w$]*|\*)/)
    .map((part, index) => (index % 2 === 0 ? part.replace(/[.+?^${}()|[\]\\]/g, '\\$&') : part === '*' ? '.*' : '[^/]+'))
    .join('');
  return new RegExp(`^${source}$`);
}

/** A browser's CORS preflight, which @fastify/cors answers when it is configured. */
const isPreflight = (headers: IncomingMessage['headers']): boolean =>
  headers.origin !== undefined && headers['access-control-request-method'] !== undefined;

/**
 * Registered before the routes (it collects them) and before the protection plugin, so that it sees OPTIONS
 * first: @fastify/cors would answer every OPTIONS that is not a preflight with a bare 400.
 */
export default fp(async (app) => {
  const routes = new RouteMethods();
  app.addHook('onRoute', (route) => {
    const methods = [route.method].flat();
    routes.add(route.url, methods);
    // A prefixed plugin's '/' route answers at /prefix and at /prefix/, but onRoute reports only one of them.
    if ((route.routePath === '' || route.routePath === '/') && route.prefix !== '') {
      routes.add(route.prefix, methods);
      routes.add(`${route.prefix}/`, methods);
    }
  });

  app.server.on('request', trackResponses);
  app.server.on('connect', refuseConnect);

  app.addHook('onRequest', (request, reply, done) => {
    const options = request.method === 'OPTIONS' && !isPreflight(request.headers);
    if (!request.is404 && !options) {
      done();
      return;
    }
    const path = pathOf(request.url);
    const allowed = routes.allowed(path);
    if (allowed.length === 0 && request.is404) {
      done();
      return;
    }
    // The hooks after this one (the security headers among them) do not run for these answers.
    reply.headers(securityHeadersFor(request.url));
    if (allowed.length === 0) {
      // OPTIONS on an unknown path, routed to @fastify/cors's catch-all: the same 404 as any unknown path.
      reply.callNotFound();
      return;
    }
    reply.header('allow', allowed.join(', '));
    if (options) {
      reply.code(204).send();
      return;
    }
    done(new ProblemError('methodNotAllowed', `${request.method} is not allowed on ${path}; it allows ${allowed.join(', ')}.`));
  });
});
