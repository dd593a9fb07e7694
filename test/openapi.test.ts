import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { activations } from '../src/activations/registry.js';
import { ACTIVATION_PARAMETER_OPERATIONS } from '../src/openapi/activation-parameters.js';
import { operationIds } from '../src/requests/operation.js';
import { operations } from '../src/requests/operations/index.js';
import { representationMediaTypes } from '../src/routes/pictures.js';
import { useTestServer } from './support/server.js';

const server = useTestServer();
const committedPath = new URL('../openapi/openapi.json', import.meta.url);

describe('the OpenAPI document', () => {
  it('is served at /openapi.json exactly as committed (run `npm run openapi` after changing a schema)', async () => {
    const { body } = await server.http().get('/openapi.json').expect(200);
    const committed = JSON.parse(await readFile(committedPath, 'utf8'));
    expect(body).toEqual(committed);
  });

  it('is OpenAPI 3.1 with every operation summarised, described, tagged and identified', async () => {
    const { body } = await server.http().get('/openapi.json').expect(200);
    expect(body.openapi).toBe('3.1.0');
    expect(body.security).toEqual([]);
    const operations = Object.values(body.paths as Record<string, Record<string, Record<string, unknown>>>).flatMap(
      (methods) => Object.values(methods),
    );
    expect(operations.length).toBeGreaterThanOrEqual(6);
    for (const operation of operations) {
      expect(operation).toMatchObject({
        summary: expect.any(String),
        description: expect.any(String),
        operationId: expect.any(String),
        tags: [expect.any(String)],
      });
    }
  });

  it('declares the HTTP layer\'s 408 and 431 problems and the x-request-id header on every operation', async () => {
    const { body } = await server.http().get('/openapi.json').expect(200);
    const operations = Object.values(body.paths as Record<string, Record<string, { responses: Record<string, { headers?: Record<string, unknown> }> }>>).flatMap((methods) =>
      Object.values(methods),
    );
    for (const operation of operations) {
      expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['408', '431']));
      for (const response of Object.values(operation.responses)) expect(response.headers).toHaveProperty('x-request-id');
    }
  });

  it('declares Server-Timing on the answers of every operation that goes through the request pipeline, and the answers carry it', async () => {
    const { body } = await server.http().get('/openapi.json').expect(200);
    const feedforward = body.paths['/v1/simulations/feedforward'].post;
    expect(feedforward.responses['200'].headers).toHaveProperty('server-timing');
    expect(body.paths['/healthz'].get.responses['200'].headers).not.toHaveProperty('server-timing');
    const response = await server.http().post('/v1/simulations/feedforward').send({ network: { depth: 2, width: 4, activation: 'tanh' } }).expect(200);
    expect(response.headers['server-timing']).toMatch(/^queue;dur=[0-9.]+, run;dur=[0-9.]+, estimate;dur=[0-9.]+$/);
  });

  it('keeps shared schemas as named components and names every JSON request body', async () => {
    const { body } = await server.http().get('/openapi.json').expect(200);
    expect(Object.keys(body.components.schemas)).toEqual(expect.arrayContaining(['Problem', 'ActivationDescriptor', 'ActivationReference', 'Grid', 'Evaluation']));
    expect(Object.keys(body.components.requestBodies)).toEqual(expect.arrayContaining(['EvaluateRequest', 'EvaluateManyRequest', 'FeedforwardRequest', 'TrainingRequest', 'JobSubmission']));
  });

  it('passes redocly lint with the recommended rules and no errors', async () => {
    const cli = new URL('../node_modules/.bin/redocly', import.meta.url).pathname;
    const lint = await promisify(execFile)(cli, ['lint', '--format=summary', committedPath.pathname], {
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
    }).then(
      ({ stdout, stderr }) => ({ exitCode: 0, output: stdout + stderr }),
      (error: { code: number; stdout: string; stderr: string }) => ({ exitCode: error.code, output: error.stdout + error.stderr }),
    );
    expect(lint.output).toContain('Your API description is valid');
    expect(lint.output).not.toMatch(/^error /m);
    expect(lint.exitCode).toBe(0);
  }, 120_000);
});

interface Parameter {
  name: string;
  in: string;
  schema: { enum?: string[] };
}
interface Operation {
  operationId: string;
  parameters?: Parameter[];
  requestBody?: { $ref?: string };
  responses: Record<string, { description: string; headers?: Record<string, unknown>; content?: Record<string, unknown> }>;
}
type Schema = Record<string, unknown>;

async function committedDocument(): Promise<{ paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, Schema>; requestBodies: Record<string, Schema> } }> {
  return JSON.parse(await readFile(committedPath, 'utf8'));
}

const operationsOf = (document: Awaited<ReturnType<typeof committedDocument>>): Operation[] => Object.values(document.paths).flatMap((methods) => Object.values(methods));

/** Every object schema in a tree (not following references), with its place. */
function objectSchemas(node: unknown, place: string, into: [string, Schema][] = []): [string, Schema][] {
  if (Array.isArray(node)) node.forEach((item, index) => objectSchemas(item, `${place}/${index}`, into));
  else if (node !== null && typeof node === 'object') {
    const schema = node as Schema;
    if (schema.properties !== undefined) into.push([place, schema]);
    for (const [key, value] of Object.entries(schema)) objectSchemas(value, `${place}/${key}`, into);
  }
  return into;
}

describe('the OpenAPI document, for client generators', () => {
  it('describes every response in its own words (no "Default Response")', async () => {
    for (const operation of operationsOf(await committedDocument())) {
      for (const [status, response] of Object.entries(operation.responses)) {
        expect(response.description, `${operation.operationId} ${status}`).not.toBe('Default Response');
        expect(response.description.length, `${operation.operationId} ${status}`).toBeGreaterThan(10);
      }
    }
  });

  it('names every JSON request body under components/requestBodies, where openapi-typescript leaves a defaulted field optional', async () => {
    const document = await committedDocument();
    for (const operation of operationsOf(document)) {
      if (operation.requestBody === undefined || operation.operationId === 'evaluateActivationBinary') continue;
      expect(operation.requestBody.$ref, operation.operationId).toMatch(/^#\/components\/requestBodies\//);
    }
    const bodySchemas = objectSchemas(document.components.requestBodies, '#/components/requestBodies');
    expect(bodySchemas.length).toBeGreaterThan(20);
    for (const [place, schema] of bodySchemas) {
      const required = (schema.required ?? []) as string[];
      for (const [name, property] of Object.entries(schema.properties as Record<string, Schema>)) {
        if (property.default !== undefined) expect(required, `${place}.${name} has a default`).not.toContain(name);
      }
    }
  });

  it('leaves no defaulted field in a shared component that a request body references (it would be typed as always sent)', async () => {
    const document = await committedDocument();
    const referenced = new Set([...JSON.stringify(document.components.requestBodies).matchAll(/"#\/components\/schemas\/(\w+)"/g)].map((match) => match[1] as string));
    for (const name of referenced) {
      for (const [place, schema] of objectSchemas(document.components.schemas[name], name)) {
        for (const [property, value] of Object.entries(schema.properties as Record<string, Schema>)) expect(value.default, `${place}.${property}`).toBeUndefined();
      }
    }
  });

  it('requires in an answer every field the service always sends, defaulted ones included', async () => {
    const { components } = await committedDocument();
    expect(components.schemas.Evaluation?.required).toEqual(expect.arrayContaining(['mode', 'params']));
    expect(components.schemas.FeedforwardResult?.required).toEqual(expect.arrayContaining(['summary', 'seed', 'trials']));
  });

  it('offers in every `format` and every answer media type exactly the representations the operation gives', async () => {
    const document = await committedDocument();
    for (const operation of operationsOf(document).filter((candidate) => (operationIds as readonly string[]).includes(candidate.operationId))) {
      const offered = operations[operation.operationId as keyof typeof operations].representations;
      const format = operation.parameters?.find((parameter) => parameter.in === 'query' && parameter.name === 'format');
      if (format !== undefined) expect(format.schema.enum?.toSorted(), operation.operationId).toEqual([...offered].toSorted());
      expect(Object.keys(operation.responses['200']?.content ?? {}).toSorted(), operation.operationId).toEqual(offered.map((representation) => representationMediaTypes[representation]).toSorted());
    }
  });

  it('declares every activation parameter as a query parameter of the routes that take them as query keys', async () => {
    const document = await committedDocument();
    const names = new Set(activations.flatMap((record) => Object.keys(record.paramsSchema.shape)));
    expect(names.size).toBeGreaterThan(10);
    const selected = operationsOf(document).filter((operation) => ACTIVATION_PARAMETER_OPERATIONS.includes(operation.operationId));
    expect(selected.map((operation) => operation.operationId).toSorted()).toEqual(['evaluateActivationBinary', 'plotActivation']);
    for (const operation of selected) {
      const query = new Set(operation.parameters?.filter((parameter) => parameter.in === 'query').map((parameter) => parameter.name));
      for (const name of names) expect(query.has(name), `${operation.operationId} ${name}`).toBe(true);
    }
    const softplusBeta = selected[0]?.parameters?.find((parameter) => parameter.name === 'beta') as unknown as { description: string };
    expect(softplusBeta.description).toContain('`softplus` (default 1, > 0)');
  });

  it('declares the headers an answer carries: x-count and x-outputs, Location, Retry-After', async () => {
    const { paths } = await committedDocument();
    expect(Object.keys(paths['/v1/activations/{id}/evaluate/binary']?.post?.responses['200']?.headers ?? {})).toEqual(expect.arrayContaining(['x-count', 'x-outputs']));
    expect(Object.keys(paths['/v1/jobs']?.post?.responses['202']?.headers ?? {})).toContain('location');
    for (const operation of operationsOf({ paths } as Awaited<ReturnType<typeof committedDocument>>)) {
      for (const status of ['429', '503']) {
        if (operation.responses[status] !== undefined) expect(operation.responses[status]?.headers, `${operation.operationId} ${status}`).toHaveProperty('retry-after');
      }
    }
  });
});

describe('GET /docs', () => {
  it('serves Swagger UI', async () => {
    const response = await server.http().get('/docs/').expect(200);
    expect(response.text).toContain('swagger-ui');
  });
});
