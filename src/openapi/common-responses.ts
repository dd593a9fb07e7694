import { operationIds } from '../requests/operation.js';

/**
 * What every operation of the document shares and no route schema states:
 * the HTTP layer's own problems (408 for a body that does not arrive in time,
 * 431 for oversized headers), the `x-request-id` header of every answer, and
 * the `Server-Timing` header of every answer the request pipeline produces
 * (`queue`, `run` and `estimate` durations in milliseconds).
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
        if (status.startsWith('2') && operation.operationId !== undefined && pipelineOperations.has(operation.operationId)) {
          response.headers['server-timing'] = serverTimingHeader;
        }
      }
    }
  }
  return document;
}
