import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { problemDocument, ProblemError, problemTypes, type ProblemKind } from './problems.js';
import { validationProblem } from './requests/validation.js';
import { toFieldErrors, unlistedErrors, unwrapFastifyIssue } from './validation-issues.js';

/** Fastify's own error codes that are the client's doing, and the problem each one is. */
const fastifyErrorKinds: Record<string, ProblemKind> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'tooLarge',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupportedMediaType',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'malformed',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'malformed',
  FST_ERR_CTP_INVALID_JSON_BODY: 'malformed',
  FST_ERR_VALIDATION: 'validation',
};

const kindByStatus: Record<number, ProblemKind> = Object.fromEntries(
  Object.entries(problemTypes).map(([kind, { status }]) => [status, kind as ProblemKind]),
);

export function sendProblem(
  request: FastifyRequest,
  reply: FastifyReply,
  kind: ProblemKind,
  detail: string,
  extensions: Record<string, unknown> = {},
): FastifyReply {
  const instance = request.url.split('?')[0] ?? request.url;
  return reply
    .code(problemTypes[kind].status)
    .type('application/problem+json')
    .send(problemDocument(kind, detail, instance, { requestId: request.id, ...extensions }));
}

/** The one place where errors become responses. */
export function installErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof ProblemError) {
      reply.headers(error.headers);
      return sendProblem(request, reply, error.kind, error.detail, error.extensions);
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const location = error.validationContext ?? 'body';
      const prefix = location === 'body' ? [] : [location];
      const issues = error.validation.map(unwrapFastifyIssue);
      const problem = validationProblem(location, toFieldErrors(issues, prefix), unlistedErrors(issues));
      return sendProblem(request, reply, problem.kind, problem.detail, problem.extensions);
    }
    if (error instanceof SyntaxError || error.code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
      return sendProblem(request, reply, 'malformed', `The body is not valid JSON: ${error.message}`);
    }
    const knownKind = error.code === undefined ? undefined : fastifyErrorKinds[error.code];
    const status = error.statusCode ?? 500;
    const kind = knownKind ?? (status >= 400 && (status < 500 || status === 503) ? kindByStatus[status] : undefined);
    if (kind === 'unsupportedMediaType') {
      const contentType = request.headers['content-type'] ?? 'none';
      return sendProblem(request, reply, kind, `Content-Type ${contentType} is not accepted here; the API description lists each endpoint's body type (application/json, or application/octet-stream for /evaluate/binary).`);
    }
    if (kind !== undefined && (problemTypes[kind].status < 500 || kind === 'unavailable')) {
      return sendProblem(request, reply, kind, error.message);
    }
    request.log.error({ err: error }, 'unhandled error');
    return sendProblem(
      request,
      reply,
      'internal',
      `The request failed unexpectedly. Quote request id ${request.id} when reporting it.`,
    );
  });

  app.setNotFoundHandler((request, reply) =>
    sendProblem(request, reply, 'notFound', `No route ${request.method} ${request.url.split('?')[0]}.`),
  );
}
