import type { App } from '../../src/app.js';
import { assertResponseMatchesContract, findOperation } from './contract.js';
import { useTestServer, type TestServer } from './server.js';

/**
 * An HTTP client for tests that checks every response it receives against
 * openapi/openapi.json (see contract.ts) before handing it back, so a test
 * cannot forget to. Two transports: real HTTP to the listening server,
 * and Fastify's inject (the same routing, validation, error handler and
 * serialisers, without sockets) for property tests that send thousands.
 */

export interface ContractRequest {
  method: string;
  /** Path with an optional query string. */
  path: string;
  /** Sent as JSON (content-type application/json unless `headers` says otherwise). */
  json?: unknown;
  /** Sent as it is, with whatever content-type `headers` gives (none if none). */
  raw?: string | Buffer;
  headers?: Record<string, string>;
}

export interface ContractResponse {
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  contentType: string | undefined;
  /** Parsed JSON for JSON media types, the raw text or bytes otherwise. */
  body: unknown;
  /** The body as bytes. */
  payload: Buffer;
}

export type Transport = (request: ContractRequest) => Promise<ContractResponse>;

const isJson = (contentType: string | undefined): boolean => /^application\/([\w.-]+\+)?json\b/i.test(contentType ?? '');

function parseBody(contentType: string | undefined, payload: Buffer): unknown {
  if (payload.length === 0) return undefined;
  if (isJson(contentType)) return JSON.parse(payload.toString('utf8'));
  if (/^image\/svg\+xml\b|^text\//i.test(contentType ?? '')) return payload.toString('utf8');
  return payload;
}

function bodyOf(request: ContractRequest): { payload: string | Buffer | undefined; headers: Record<string, string> } {
  const headers = { ...request.headers };
  if (request.json !== undefined) {
    if (!Object.keys(headers).some((name) => name.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
    return { payload: JSON.stringify(request.json), headers };
  }
  return { payload: request.raw, headers };
}

/** Fastify's inject: no sockets, the same pipeline. */
export function injectTransport(app: () => App): Transport {
  return async (request) => {
    const { payload, headers } = bodyOf(request);
    const response = await app().inject({
      method: request.method as 'GET',
      url: request.path,
      headers,
      ...(payload === undefined ? {} : { payload }),
    });
    const contentType = response.headers['content-type'] as string | undefined;
    return { status: response.statusCode, headers: response.headers, contentType, body: parseBody(contentType, response.rawPayload), payload: response.rawPayload };
  };
}

/** Real HTTP over 127.0.0.1 to the listening test server (fetch: it adds no content-type of its own to bytes). */
export function httpTransport(server: TestServer): Transport {
  return async (request) => {
    const { payload, headers } = bodyOf(request);
    const address = server.app.server.address();
    if (address === null || typeof address === 'string') throw new Error('the test server is not listening on TCP');
    const response = await fetch(`http://127.0.0.1:${address.port}${request.path}`, {
      method: request.method,
      headers,
      ...(payload === undefined ? {} : { body: typeof payload === 'string' ? new TextEncoder().encode(payload) : new Uint8Array(payload) }),
    });
    const bytes = Buffer.from(await response.arrayBuffer());
    const contentType = response.headers.get('content-type') ?? undefined;
    return { status: response.status, headers: Object.fromEntries(response.headers), contentType, body: parseBody(contentType, bytes), payload: bytes };
  };
}

export interface ContractClient {
  request(request: ContractRequest): Promise<ContractResponse>;
  get(path: string, headers?: Record<string, string>): Promise<ContractResponse>;
  post(path: string, json: unknown, headers?: Record<string, string>): Promise<ContractResponse>;
  /** `METHOD /template status` of every response received, for coverage checks. */
  readonly seen: Set<string>;
}

const header = (response: ContractResponse, name: string): string | undefined => {
  const value = response.headers[name];
  return value === undefined ? undefined : String(value);
};

/**
 * What the README and shared/spec/api.md promise beyond the document's
 * schemas: every response carries x-request-id; a problem's `status`,
 * `instance` and `requestId` agree with the response; a validation problem
 * names its fields; 429 and 503 say when to retry.
 */
export function conventionViolations(request: ContractRequest, response: ContractResponse): string[] {
  const violations: string[] = [];
  const requestId = header(response, 'x-request-id');
  if (!requestId) violations.push('no x-request-id header');
  if (response.status >= 400 && request.method.toUpperCase() !== 'HEAD') {
    const problem = response.body as Record<string, unknown> | undefined;
    if (problem === null || typeof problem !== 'object') {
      violations.push('an error without a problem body');
    } else {
      if (problem['status'] !== response.status) violations.push(`problem.status ${String(problem['status'])} ≠ HTTP ${response.status}`);
      if (problem['requestId'] !== requestId) violations.push(`problem.requestId ${String(problem['requestId'])} ≠ x-request-id ${String(requestId)}`);
      const path = request.path.split('?')[0];
      if (problem['instance'] !== path) violations.push(`problem.instance ${String(problem['instance'])} ≠ ${path}`);
      const errors = problem['errors'];
      if (problem['type'] === 'urn:activation-lab:problem:validation' && !(Array.isArray(errors) && errors.length > 0)) {
        violations.push('a validation problem without an `errors` list naming the offending fields');
      }
    }
  }
  if ((response.status === 429 || response.status === 503) && !header(response, 'retry-after')) violations.push(`${response.status} without Retry-After`);
  return violations;
}

/** Wraps a transport so that every response is checked against the document (and the conventions) before the test sees it. */
export function contractClient(transport: Transport): ContractClient {
  const seen = new Set<string>();
  const request = async (contractRequest: ContractRequest): Promise<ContractResponse> => {
    const response = await transport(contractRequest);
    assertResponseMatchesContract({
      method: contractRequest.method,
      path: contractRequest.path,
      status: response.status,
      contentType: response.contentType,
      body: response.body,
    });
    const violations = conventionViolations(contractRequest, response);
    if (violations.length > 0) {
      throw new Error(
        `${contractRequest.method} ${contractRequest.path} → ${response.status} breaks the service's conventions:\n  ${violations.join('\n  ')}\nbody: ${JSON.stringify(response.body)?.slice(0, 600)}`,
      );
    }
    const operation = findOperation(contractRequest.method, contractRequest.path);
    seen.add(`${contractRequest.method.toUpperCase()} ${operation?.template ?? '(undocumented)'} ${response.status}`);
    return response;
  };
  return {
    request,
    get: (path, headers) => request({ method: 'GET', path, ...(headers ? { headers } : {}) }),
    post: (path, json, headers) => request({ method: 'POST', path, json, ...(headers ? { headers } : {}) }),
    seen,
  };
}

/** A listening test server (see server.ts) and a contract-checking client bound to it. */
export function useContractServer(environment: Record<string, string> = {}): { server: TestServer; client: ContractClient } {
  const server = useTestServer(environment);
  return { server, client: contractClient(httpTransport(server)) };
}
