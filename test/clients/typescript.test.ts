import { execFile } from 'node:child_process';
import { copyFile, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestServer } from '../support/server.js';

/**
 * A TypeScript client generated from the committed OpenAPI document works on the first try: openapi-typescript
 * (its default options) turns openapi/openapi.json into types, examples/typescript/client.ts, which calls every
 * route with openapi-fetch (the README's request bodies among them), type-checks under `strict`, and runs against
 * the service, checking its answers. A document that regresses fails here: a defaulted request field listed as
 * required, an undeclared query key, a refused value offered, an answer typed as `Result | string`.
 */

const root = new URL('../../', import.meta.url).pathname;
const bin = (name: string): string => join(root, 'node_modules', '.bin', name);
const DOCUMENT = join(root, 'openapi', 'openapi.json');
const CLIENT = join(root, 'examples', 'typescript', 'client.ts');

interface Run {
  code: number | null;
  output: string;
}

function run(command: string, args: string[], options: { cwd: string; env?: Record<string, string>; timeoutMs?: number }): Promise<Run> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd: options.cwd, env: { ...process.env, ...options.env }, timeout: options.timeoutMs ?? 120_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : null, output: `${stdout}${stderr}${error !== null && typeof error.code !== 'number' ? error.message : ''}` });
    });
  });
}

const TSCONFIG = {
  compilerOptions: {
    target: 'ES2023',
    lib: ['ES2023', 'DOM'],
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    types: ['node'],
    strict: true,
    noUncheckedIndexedAccess: true,
    verbatimModuleSyntax: true,
    noEmit: true,
    skipLibCheck: true,
  },
  files: ['client.ts', 'api.d.ts'],
};

/** A directory with the client beside types generated from `document`, ready for tsc and tsx. */
async function clientProject(document: string): Promise<string> {
  const directory = await mkdtemp(join(tmpdir(), 'activation-lab-ts-client-'));
  await symlink(join(root, 'node_modules'), join(directory, 'node_modules'), 'dir');
  await writeFile(join(directory, 'package.json'), '{ "type": "module", "private": true }\n');
  await writeFile(join(directory, 'tsconfig.json'), JSON.stringify(TSCONFIG, null, 2));
  await copyFile(CLIENT, join(directory, 'client.ts'));
  const generated = await run(bin('openapi-typescript'), [document, '-o', join(directory, 'api.d.ts')], { cwd: directory });
  if (generated.code !== 0) throw new Error(`openapi-typescript failed:\n${generated.output}`);
  return directory;
}

const typeCheck = (directory: string): Promise<Run> => run(bin('tsc'), ['-p', directory], { cwd: directory });

/** The JSON bodies of the README's curl commands (`-d '{…}'`, one line or several). */
async function readmeBodies(): Promise<unknown[]> {
  const readme = await readFile(join(root, 'README.md'), 'utf8');
  return [...readme.matchAll(/ -d '(\{[\s\S]*?\})'/g)].map((match) => JSON.parse(match[1] as string) as unknown);
}

describe('a TypeScript client generated with openapi-typescript and openapi-fetch', () => {
  const server = useTestServer();
  const directories: string[] = [];
  let project = '';

  beforeAll(async () => {
    project = await clientProject(DOCUMENT);
    directories.push(project);
  });
  afterAll(async () => {
    await Promise.all(directories.map((directory) => rm(directory, { recursive: true, force: true })));
  });

  it('carries every request body of the README as it is written there', async () => {
    const bodies = await readmeBodies();
    expect(bodies.length).toBeGreaterThanOrEqual(12);
    // Imported by URL: the client's generated types exist only in the test's project, not for the repository's tsc.
    const { README_BODIES } = (await import(pathToFileURL(CLIENT).href)) as { README_BODIES: Record<string, unknown> };
    const carried = Object.values(README_BODIES).map((body) => JSON.stringify(body));
    for (const body of bodies) expect(carried, JSON.stringify(body)).toContain(JSON.stringify(body));
  });

  it('type-checks under strict against the types generated from the committed document', async () => {
    const result = await typeCheck(project);
    expect(result.output).toBe('');
    expect(result.code).toBe(0);
  }, 120_000);

  it('calls every route of the live service and gets the answers it expects', async () => {
    const address = server.app.server.address();
    if (address === null || typeof address === 'string') throw new Error('the test server is not listening on TCP');
    const result = await run(bin('tsx'), ['client.ts'], { cwd: project, env: { ACTIVATION_LAB_URL: `http://127.0.0.1:${address.port}` }, timeoutMs: 180_000 });
    expect(result.output).not.toMatch(/unexpected answer/);
    expect(result.code, result.output).toBe(0);
    for (const line of [
      /^GET \/healthz ok, \/readyz ok, \/metrics \d+ bytes$/m,
      /^GET \/v1\/activations: 25 activations; logistic is sigmoid, max derivative 0\.25$/m,
      /^POST evaluate: tanh'\(0\) = 1, d prelu\/d alpha = \[-2, 0, 0\]/m,
      /^problems: 400 Invalid request at x\.1, 400, 404, 413, 422$/m,
      /^POST evaluate\/binary\?alpha=0\.5: \(-0\.31606027941427883, 0, 1\), x-count 3$/m,
      /^POST feedforward: verdict vanishing/m,
      /^POST mean-field: relu chi1 1 \(critical\)/m,
      /^POST training: sigmoid \+ Xavier test accuracy 0\.\d+, relu \+ He test accuracy 0\.\d+; NDJSON \d+ lines$/m,
      /^jobs: sweep (cancelled|succeeded), simulation succeeded \(events, result, chart\), \d+ listed$/m,
    ]) {
      expect(result.output).toMatch(line);
    }
  }, 180_000);

  it('fails to type-check when the document lists a defaulted request field as required', async () => {
    const document = JSON.parse(await readFile(DOCUMENT, 'utf8')) as { components: { requestBodies: Record<string, { content: Record<string, { schema: { required?: string[] } }> }> } };
    const evaluate = document.components.requestBodies.EvaluateRequest?.content['application/json']?.schema;
    if (evaluate === undefined) throw new Error('no EvaluateRequest body');
    evaluate.required = [...(evaluate.required ?? []), 'mode', 'seed', 'outputs'];
    const regressed = await mkdtemp(join(tmpdir(), 'activation-lab-regressed-'));
    directories.push(regressed);
    await writeFile(join(regressed, 'openapi.json'), JSON.stringify(document));
    const broken = await clientProject(join(regressed, 'openapi.json'));
    directories.push(broken);
    const result = await typeCheck(broken);
    expect(result.code).not.toBe(0);
    expect(result.output).toMatch(/client\.ts\(\d+,\d+\): error TS\d+: .*(mode|seed|outputs)/);
  }, 120_000);
});
