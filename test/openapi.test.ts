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
