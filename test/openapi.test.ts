import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
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

  it('keeps shared schemas as named components', async () => {
    const { body } = await server.http().get('/openapi.json').expect(200);
    expect(Object.keys(body.components.schemas)).toEqual(
      expect.arrayContaining(['Problem', 'ActivationDescriptor', 'ActivationReference', 'Grid', 'EvaluateRequest']),
    );
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

describe('GET /docs', () => {
  it('serves Swagger UI', async () => {
    const response = await server.http().get('/docs/').expect(200);
    expect(response.text).toContain('swagger-ui');
  });
});
