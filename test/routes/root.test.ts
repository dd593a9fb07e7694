import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync } from 'node:zlib';
import Fastify, { type FastifyInstance } from 'fastify';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installErrorHandlers } from '../../src/error-handler.js';
import rootRoutes from '../../src/routes/root.js';
import { useTestServer } from '../support/server.js';

/**
 * `GET /` serves the lab from its build folder. Both states are tested on a
 * small app pointed at a folder made here: a built lab (a stand-in
 * index.html and an asset, as vite would write them) and none at all. The
 * service's own app is checked for what the rest of it does to `/`.
 */

const INDEX = '<!doctype html><html lang="en"><head><title>lab</title><script type="module" src="/lab/assets/index-abc123.js"></script></head><body></body></html>';
const SCRIPT = 'console.log("the lab");'.repeat(40);

async function appServing(labDirectory: string): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  installErrorHandlers(app);
  await app.register(rootRoutes, { labDirectory });
  await app.ready();
  return app;
}

describe('GET / with the lab built', () => {
  let folder: string;
  let app: FastifyInstance;
  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'lab-built-'));
    await mkdir(join(folder, 'assets'));
    await writeFile(join(folder, 'index.html'), INDEX);
    await writeFile(join(folder, 'assets', 'index-abc123.js'), SCRIPT);
    await writeFile(join(folder, 'assets', 'index-abc123.js.br'), brotliCompressSync(SCRIPT));
    app = await appServing(folder);
  });
  afterAll(async () => {
    await app?.close();
    await rm(folder, { recursive: true, force: true });
  });

  it('serves the lab’s index.html as a page, revalidated on every visit', async () => {
    const response = await supertest(app.server).get('/').expect(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.headers['cache-control']).toBe('no-cache');
    expect(response.text).toBe(INDEX);
  });

  it('lets the page run its own scripts and nothing else (a document CSP, not the API’s)', async () => {
    const response = await supertest(app.server).get('/').expect(200);
    const policy = response.headers['content-security-policy'] as string;
    expect(policy).toContain("script-src 'self'");
    expect(policy).toContain("connect-src 'self'");
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).not.toContain('unsafe-eval');
    expect(response.headers['x-frame-options']).toBe('DENY');
  });

  it('serves hashed assets under /lab/ for a year, brotli-compressed when the client takes it', async () => {
    const response = await supertest(app.server).get('/lab/assets/index-abc123.js').set('accept-encoding', 'br').buffer(true).expect(200);
    expect(response.headers['content-encoding']).toBe('br');
    expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(response.text).toBe(SCRIPT);
    const plain = await supertest(app.server).get('/lab/assets/index-abc123.js').set('accept-encoding', 'identity').expect(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.text).toBe(SCRIPT);
  });

  it('answers an unknown asset with a 404 problem', async () => {
    const response = await supertest(app.server).get('/lab/assets/missing.js').expect(404);
    expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
  });
});

describe('GET / with the lab not built', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await appServing(join(tmpdir(), 'activation-lab-no-such-lab'));
  });
  afterAll(async () => {
    await app?.close();
  });

  it('answers a 503 problem that says how to build it', async () => {
    const response = await supertest(app.server).get('/').expect(503);
    expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(response.body).toMatchObject({ type: 'urn:activation-lab:problem:unavailable', status: 503, instance: '/' });
    expect(response.body.detail).toContain('npm run build');
    // Like every 503 of the service, with Retry-After (the abuse suite checks every 503 for it).
    expect(response.headers['retry-after']).toBe('60');
  });
});

describe('GET / on the service', () => {
  const server = useTestServer();

  it('is a page or the 503 problem, never a redirect, with security headers', async () => {
    const response = await server.http().get('/');
    expect([200, 503]).toContain(response.status);
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['content-type']).toMatch(response.status === 200 ? /^text\/html/ : /^application\/problem\+json/);
  });

  it('answers other methods on / with a 405 problem allowing GET', async () => {
    const response = await server.http().post('/').expect(405);
    expect(response.headers.allow).toBe('GET, HEAD, OPTIONS');
    expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
  });

  it('keeps the API headers on the API (the lab’s CSP is for the lab’s paths only)', async () => {
    const response = await server.http().get('/healthz').expect(200);
    expect(response.headers['content-security-policy']).toBe("default-src 'none';frame-ancestors 'none'");
  });
});
