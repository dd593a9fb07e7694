import { operationIds } from '../requests/operation.js';

/**
 * What every operation of the document shares and no route schema states:
 * the HTTP layer's own problems (408 for a body that does not arrive in time,
 * 431 for oversized headers), the `x-request-id` header of every answer, and
 * the `Server-Timing` header of every answer the request pipeline produces
 * (`queue`, `run` and `estimate` durations in milliseconds), and the
 * `Retry-After` of every 429 and 503. Headers particular to one route
 * (`x-count` and `x-outputs`, `Location`) are declared in the route's response
 * schema and kept by `keepResponseHeaders`.
 */

interface ResponseObject {
  description?: string;
  headers?: Record<string, unknown>;
  content?: unknown;
}

interface OperationObject {
  operationId?: string;
  responses?: Record<string, ResponseObject>;
}

interface OpenApiDocument {
  paths?: Record<string, Record<string, OperationObject>>;
}

const METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);

const problemContent = { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } };

const httpLayerProblems: Record<string, ResponseObject> = {
  '408': { description: 'The request (headers and body) did not arrive within REQUEST_TIMEOUT_MS (slow clients are cut off).', content: problemContent },
  '431': { description: 'The request headers exceed the server\'s limit.', content: problemContent },
};

const requestIdHeader = {
  description: 'The request id: the client\'s own `x-request-id` if it sent one, else a fresh UUID. Problems and logs carry it too.',
  schema: { type: 'string' },
};

const serverTimingHeader = {
  description:
    'What the work cost, in milliseconds (W3C Server Timing): `queue` (waiting for a worker thread), `run` (computing and encoding the answer) and `estimate` (what the cost model priced the request at before running it).',
  schema: { type: 'string', examples: ['queue;dur=0.1, run;dur=84.2, estimate;dur=90.5'] },
};

const retryAfterHeader = {
  description: 'Seconds to wait before retrying (rate limited, load shed, saturated or shutting down).',
  schema: { type: 'integer', minimum: 0 },
};

/** Statuses whose answer always carries Retry-After. */
const RETRY_STATUSES = new Set(['429', '503']);

const pipelineOperations: ReadonlySet<string> = new Set(operationIds);

export const HTTP_LAYER_NOTE =
  ' A known path asked with a method it does not define answers 405 with `Allow` (OPTIONS: 204 with `Allow`); malformed HTTP, a body that does not arrive in time (408) and oversized headers (431) are problems too.';

export function documentCommonResponses<Document extends object>(document: Document): Document {
  const paths = (document as OpenApiDocument).paths ?? {};
  for (const item of Object.values(paths)) {
    for (const [method, operation] of Object.entries(item)) {
      if (!METHODS.has(method) || operation.responses === undefined) continue;
      for (const [status, problem] of Object.entries(httpLayerProblems)) operation.responses[status] ??= problem;
      operation.responses = Object.fromEntries(Object.entries(operation.responses).sort(([a], [b]) => a.localeCompare(b)));
      for (const [status, response] of Object.entries(operation.responses)) {
        response.headers = { ...response.headers, 'x-request-id': requestIdHeader };
        if (RETRY_STATUSES.has(status)) response.headers['retry-after'] = retryAfterHeader;
        if (status.startsWith('2') && operation.operationId !== undefined && pipelineOperations.has(operation.operationId)) {
          response.headers['server-timing'] = serverTimingHeader;
        }
      }
    }
  }
  return document;
}

/** A response header as a route declares it: a JSON Schema with its description. */
export interface HeaderSchema {
  description: string;
  type: 'string' | 'integer';
  [keyword: string]: unknown;
}

type DeclaredResponses = Record<string, { headers?: Record<string, HeaderSchema> } | undefined>;
type TransformedResponses = Record<string, Record<string, unknown> | undefined>;

/**
 * fastify-type-provider-zod's transform writes each response as its description and content only; this puts
 * back the `headers` a route declares beside them (for @fastify/swagger to write as header objects).
 */
export function keepResponseHeaders<Output extends { schema?: unknown }>(input: { schema?: unknown }, output: Output): Output {
  const declared = ((input.schema as { response?: DeclaredResponses } | undefined)?.response ?? {});
  const responses = (output.schema as { response?: TransformedResponses } | undefined)?.response;
  if (responses === undefined) return output;
  for (const [status, response] of Object.entries(declared)) {
    const transformed = responses[status];
    if (response?.headers !== undefined && transformed !== undefined) transformed.headers = response.headers;
  }
  return output;
}
