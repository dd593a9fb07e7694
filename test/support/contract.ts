import { readFileSync } from 'node:fs';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

/**
 * A response validator built from the committed OpenAPI 3.1 document alone
 * (openapi/openapi.json), independent of the zod schemas that generated it:
 * ajv compiles the document's JSON Schema 2020-12 schemas, and every
 * `#/components/...` reference resolves inside the document.
 *
 * Given a method, a path (a template such as `/v1/activations/{id}` or a
 * concrete one such as `/v1/activations/tanh`), a status, a content type and
 * the parsed body, `checkResponse` lists every way the response departs from
 * the document: an undocumented operation, status or content type, or a body
 * that the documented schema rejects. Images are checked by content type only.
 */

const documentUrl = new URL('../../openapi/openapi.json', import.meta.url);
const DOCUMENT_ID = 'urn:activation-lab:openapi';
const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

interface MediaTypeObject {
  schema?: unknown;
}
interface ResponseObject {
  content?: Record<string, MediaTypeObject>;
  $ref?: string;
}
interface RequestBodyObject {
  required?: boolean;
  content?: Record<string, MediaTypeObject>;
  /** `#/components/requestBodies/<Name>`: the JSON bodies are named there (src/openapi/request-bodies.ts). */
  $ref?: string;
}
interface OperationObject {
  operationId?: string;
  requestBody?: RequestBodyObject;
  responses?: Record<string, ResponseObject>;
}
export interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Partial<Record<(typeof HTTP_METHODS)[number], OperationObject>>>;
  components?: { schemas?: Record<string, unknown>; responses?: Record<string, ResponseObject>; requestBodies?: Record<string, RequestBodyObject> };
}

export const openApiDocument = JSON.parse(readFileSync(documentUrl, 'utf8')) as OpenApiDocument;

/** One documented operation, found by method and path. */
export interface Operation {
  method: string;
  template: string;
  operationId: string | undefined;
  definition: OperationObject;
}

export interface ResponseToCheck {
  method: string;
  /** A path template (`/v1/activations/{id}`) or a concrete path, with or without a query string. */
  path: string;
  status: number;
  /** The Content-Type header as sent (parameters such as charset are ignored). */
  contentType: string | undefined;
  /** The parsed JSON body (ignored for images). */
  body: unknown;
}

// ajv-formats is CommonJS: under NodeNext the default import is its module object, whose `default` is the plugin.
const addFormats = addFormatsModule.default;

const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: true, validateFormats: true });
addFormats(ajv);
// OpenAPI 3.1's own Schema Object keywords (annotations for the validator's purposes).
ajv.addVocabulary(['example', 'discriminator', 'xml', 'externalDocs']);
// Formats OpenAPI defines for payloads that are not JSON text.
ajv.addFormat('binary', true);
ajv.addFormat('byte', true);
ajv.addFormat('int32', { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 });
ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isInteger(n) });
ajv.addFormat('float', { type: 'number', validate: () => true });
ajv.addFormat('double', { type: 'number', validate: () => true });
// The whole document is one resource, so `#/components/schemas/X` resolves against it. ajv compiles its root
// (to resolve references), so the OpenAPI Object's own fields are declared as annotations.
ajv.addVocabulary(['openapi', 'info', 'jsonSchemaDialect', 'servers', 'paths', 'webhooks', 'components', 'security', 'tags']);
ajv.addSchema({ ...openApiDocument, $id: DOCUMENT_ID }, DOCUMENT_ID, undefined, false);

const escapePointer = (segment: string): string => segment.replace(/~/g, '~0').replace(/\//g, '~1');
const pointer = (...segments: string[]): string => `${DOCUMENT_ID}#/${segments.map(escapePointer).join('/')}`;

const validators = new Map<string, ValidateFunction>();
function validatorAt(ref: string): ValidateFunction {
  let validate = validators.get(ref);
  if (validate === undefined) {
    validate = ajv.compile({ $ref: ref });
    validators.set(ref, validate);
  }
  return validate;
}

/** The document's own schema for a named component, e.g. `Problem`. */
export function componentValidator(name: string): ValidateFunction {
  if (openApiDocument.components?.schemas?.[name] === undefined) throw new Error(`openapi.json has no component schema "${name}"`);
  return validatorAt(pointer('components', 'schemas', name));
}

interface CompiledTemplate {
  template: string;
  pattern: RegExp;
  literalSegments: number;
}

const templates: CompiledTemplate[] = Object.keys(openApiDocument.paths)
  .map((template) => ({
    template,
    pattern: new RegExp(
      `^${template
        .split('/')
        .map((segment) => (/^\{[^}]+\}$/.test(segment) ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
        .join('/')}$`,
    ),
    literalSegments: template.split('/').filter((segment) => !segment.startsWith('{')).length,
  }))
  // A literal segment beats a template parameter (`/v1/x/list` before `/v1/x/{id}`).
  .sort((a, b) => b.literalSegments - a.literalSegments);

/** The path template a concrete path (or a template) belongs to, or undefined when the document has none. */
export function matchTemplate(path: string): string | undefined {
  const bare = path.split('?')[0] ?? path;
  if (openApiDocument.paths[bare] !== undefined) return bare;
  return templates.find(({ pattern }) => pattern.test(bare))?.template;
}

export function findOperation(method: string, path: string): Operation | undefined {
  const template = matchTemplate(path);
  if (template === undefined) return undefined;
  const lower = method.toLowerCase() as (typeof HTTP_METHODS)[number];
  const definition = openApiDocument.paths[template]?.[lower];
  return definition === undefined ? undefined : { method: lower.toUpperCase(), template, operationId: definition.operationId, definition };
}

/** Every operation in the document, as `METHOD /template`. */
export function documentedOperations(): Operation[] {
  return Object.entries(openApiDocument.paths).flatMap(([template, item]) =>
    HTTP_METHODS.filter((method) => item[method] !== undefined).map((method) => ({
      method: method.toUpperCase(),
      template,
      operationId: item[method]?.operationId,
      definition: item[method] as OperationObject,
    })),
  );
}

const mediaTypeOf = (contentType: string | undefined): string | undefined =>
  contentType?.split(';')[0]?.trim().toLowerCase() || undefined;

const isJsonMediaType = (mediaType: string): boolean => mediaType === 'application/json' || /^[\w.-]+\/[\w.-]+\+json$/.test(mediaType);

/** `image/*` and `*\/*` ranges in the document match concrete media types. */
function documentedMediaType(content: Record<string, MediaTypeObject>, mediaType: string): string | undefined {
  const keys = Object.keys(content);
  return (
    keys.find((key) => key.toLowerCase() === mediaType) ??
    keys.find((key) => key.endsWith('/*') && mediaType.startsWith(key.slice(0, -1).toLowerCase())) ??
    keys.find((key) => key === '*/*')
  );
}

const formatErrors = (errors: readonly ErrorObject[] | null | undefined): string[] =>
  (errors ?? []).map((error) => `${error.instancePath || '(root)'} ${error.message ?? 'is invalid'}${
    error.params && Object.keys(error.params).length > 0 ? ` ${JSON.stringify(error.params)}` : ''
  }`);

function resolveResponse(response: ResponseObject): ResponseObject {
  if (response.$ref === undefined) return response;
  const name = response.$ref.replace('#/components/responses/', '');
  return openApiDocument.components?.responses?.[name] ?? response;
}

/** Every way a response departs from the document; empty when it conforms. */
export function checkResponse({ method, path, status, contentType, body }: ResponseToCheck): string[] {
  const where = `${method.toUpperCase()} ${path} → ${status}`;
  // HEAD is GET without the body (RFC 9110 §9.3.2): Fastify answers it for every GET route.
  const isHead = method.toUpperCase() === 'HEAD' && findOperation('HEAD', path) === undefined;
  const operation = findOperation(isHead ? 'GET' : method, path);
  if (operation === undefined) {
    // An undocumented route (404, or a method not allowed) still owes the one error shape.
    if (status < 400) return [`${where}: no operation ${method.toUpperCase()} ${matchTemplate(path) ?? path} in openapi.json answered ${status}`];
    const mediaType = mediaTypeOf(contentType);
    if (mediaType !== 'application/problem+json') return [`${where}: an error on an undocumented route is ${mediaType ?? 'untyped'}, not application/problem+json`];
    if (method.toUpperCase() === 'HEAD') return [];
    const validate = componentValidator('Problem');
    return validate(body) ? [] : formatErrors(validate.errors).map((message) => `${where}: Problem body ${message}`);
  }

  const responses = operation.definition.responses ?? {};
  const statusKey = [String(status), `${String(status)[0]}XX`, 'default'].find((key) => responses[key] !== undefined);
  if (statusKey === undefined) {
    return [`${where}: status ${status} is not documented for ${operation.method} ${operation.template} (documented: ${Object.keys(responses).join(', ')})`];
  }
  const response = resolveResponse(responses[statusKey] as ResponseObject);
  const content = response.content;
  if (content === undefined || Object.keys(content).length === 0) {
    return body === undefined || body === '' || (Buffer.isBuffer(body) && body.length === 0) ? [] : [`${where}: the document says no content, but a body came`];
  }
  const mediaType = mediaTypeOf(contentType);
  if (mediaType === undefined) return [`${where}: no Content-Type (documented: ${Object.keys(content).join(', ')})`];
  const documented = documentedMediaType(content, mediaType);
  if (documented === undefined) {
    return [`${where}: Content-Type ${mediaType} is not documented (documented: ${Object.keys(content).join(', ')})`];
  }
  if (isHead || !isJsonMediaType(mediaType)) return [];
  if (content[documented]?.schema === undefined) return [];
  const validate = validatorAt(pointer('paths', operation.template, operation.method.toLowerCase(), 'responses', statusKey, 'content', documented, 'schema'));
  return validate(body) ? [] : formatErrors(validate.errors).map((message) => `${where}: body ${message}`);
}

/** Throws, listing every departure, unless the response conforms to the document. */
export function assertResponseMatchesContract(response: ResponseToCheck): void {
  const violations = checkResponse(response);
  if (violations.length > 0) {
    const shown = JSON.stringify(response.body)?.slice(0, 600);
    throw new Error(`The response departs from openapi/openapi.json:\n  ${violations.join('\n  ')}\nbody: ${shown}`);
  }
}

/**
 * Whether the documented request schema accepts a JSON body (undefined when
 * the operation documents none). The server may refuse more than the schema
 * says (cross-field rules, parameter domains), never less.
 */
const REQUEST_BODY_REF = '#/components/requestBodies/';

export function requestBodyViolations(method: string, path: string, body: unknown): string[] | undefined {
  const operation = findOperation(method, path);
  const declared = operation?.definition.requestBody;
  if (operation === undefined || declared === undefined) return undefined;
  const named = declared.$ref?.startsWith(REQUEST_BODY_REF) === true ? declared.$ref.slice(REQUEST_BODY_REF.length) : undefined;
  const documented = named === undefined ? declared : openApiDocument.components?.requestBodies?.[named];
  if (documented === undefined) throw new Error(`${method} ${path}: the request body ${declared.$ref ?? ''} is not in the document`);
  if (documented.content?.['application/json']?.schema === undefined) return undefined;
  const location = named === undefined ? ['paths', operation.template, operation.method.toLowerCase(), 'requestBody'] : ['components', 'requestBodies', named];
  const validate = validatorAt(pointer(...location, 'content', 'application/json', 'schema'));
  return validate(body) ? [] : formatErrors(validate.errors);
}
