import { z } from 'zod';

/**
 * RFC 9457 problem details: the one error shape of the service. Every 4xx/5xx
 * is built here, by `ProblemError` or by the app's error handler.
 */

export const problemTypes = {
  validation: { status: 400, title: 'Invalid request' },
  malformed: { status: 400, title: 'Malformed request' },
  notFound: { status: 404, title: 'Not found' },
  methodNotAllowed: { status: 405, title: 'Method not allowed' },
  notAcceptable: { status: 406, title: 'Not acceptable' },
  requestTimeout: { status: 408, title: 'Request timeout' },
  conflict: { status: 409, title: 'Conflict' },
  tooLarge: { status: 413, title: 'Request too large' },
  unsupportedMediaType: { status: 415, title: 'Unsupported media type' },
  unprocessable: { status: 422, title: 'Request refused' },
  tooManyRequests: { status: 429, title: 'Too many requests' },
  requestHeaderFieldsTooLarge: { status: 431, title: 'Request header fields too large' },
  internal: { status: 500, title: 'Internal server error' },
  unavailable: { status: 503, title: 'Service unavailable' },
} as const;

export type ProblemKind = keyof typeof problemTypes;

/** `tooLarge` → `urn:activation-lab:problem:too-large`. */
export const problemTypeUri = (kind: ProblemKind): string =>
  `urn:activation-lab:problem:${kind.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`;

/** The body of a problem answer; `instance` is the request's path (without the query). */
export function problemDocument(kind: ProblemKind, detail: string, instance: string, extensions: Record<string, unknown> = {}): Problem {
  const { status, title } = problemTypes[kind];
  return { type: problemTypeUri(kind), title, status, detail, instance, ...extensions };
}

export const fieldErrorSchema = z
  .object({
    path: z.string().describe('Dotted path of the offending field, e.g. `x.3` or `activations.1.params.alpha` ("" for the whole body).'),
    message: z.string(),
  })
  .meta({ id: 'FieldError', description: 'One reason a request was rejected.' });

export const problemSchema = z
  .object({
    type: z.string().describe('A URI naming the kind of problem, stable across releases.'),
    title: z.string().describe('Short summary of the kind of problem.'),
    status: z.number().int().describe('The HTTP status code.'),
    detail: z.string().describe('What went wrong with this request, for a person.'),
    instance: z.string().describe('The path of the request that failed.'),
    requestId: z.string().optional().describe('The request id (also in the x-request-id header and the logs).'),
    errors: z.array(fieldErrorSchema).optional().describe('Validation errors, one per offending field (at most 20; then `errorCount` says how many there were).'),
    errorCount: z.number().int().optional().describe('With more than 20 validation errors: how many there were in all.'),
  })
  .catchall(z.unknown())
  .meta({
    id: 'Problem',
    description: 'An RFC 9457 problem, sent as application/problem+json for every 4xx and 5xx.',
    example: {
      type: 'urn:activation-lab:problem:validation',
      title: 'Invalid request',
      status: 400,
      detail: 'The request body is invalid: 1 error.',
      instance: '/v1/activations/elu/evaluate',
      requestId: '3f1d7c2e-1b7a-4c55-9d8e-0c6a9b2f4e11',
      errors: [{ path: 'params.alpha', message: 'Invalid input: expected number, received string' }],
    },
  });

export type FieldError = z.infer<typeof fieldErrorSchema>;
export type Problem = z.infer<typeof problemSchema>;

/** An error that the error handler turns into a problem response as it is. */
export class ProblemError extends Error {
  override name = 'ProblemError';
  constructor(
    readonly kind: ProblemKind,
    readonly detail: string,
    readonly extensions: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
  }
  get status(): number {
    return problemTypes[this.kind].status;
  }
}

/**
 * Response schemas for the error statuses a route can answer with. Every
 * route can also answer 429 (rate limiting, when configured), 500 and 503
 * (shutting down, or the event loop overloaded), so those are always added.
 */
export function problemResponses<const Status extends number>(
  routeStatuses: readonly Status[],
): Record<Status | 429 | 500 | 503, { description: string; content: { 'application/problem+json': { schema: typeof problemSchema } } }> {
  const statuses = [...new Set<Status | 429 | 500 | 503>([...routeStatuses, 429, 500, 503])].sort((a, b) => a - b);
  const descriptions: Record<number, string> = {
    400: 'The request is malformed or invalid; `errors` lists each offending field.',
    404: 'No such activation or route.',
    406: 'The Accept header (or `format`) asks for a representation this route does not offer.',
    409: 'The request conflicts with the state of the resource (an idempotency key reused for another request, a job not finished).',
    413: 'The body or the number of elements exceeds the configured limit.',
    415: 'The body is not application/json.',
    422: 'A well-formed request the service refuses (for example a result that overflows float64).',
    429: 'Too many requests from this client; retry after `Retry-After` seconds.',
    500: 'An unexpected failure; the details are in the logs under the request id, never in the response.',
    503: 'The service is saturated, overloaded or shutting down; retry after `Retry-After` seconds.',
  };
  return Object.fromEntries(
    statuses.map((status) => [
      status,
      {
        description: descriptions[status] ?? 'Error.',
        content: { 'application/problem+json': { schema: problemSchema } },
      },
    ]),
  ) as Record<Status | 429 | 500 | 503, { description: string; content: { 'application/problem+json': { schema: typeof problemSchema } } }>;
}
