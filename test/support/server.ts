import supertest from 'supertest';
import { afterAll, beforeAll } from 'vitest';
import { buildApp, type App } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';

export interface TestServer {
  app: App;
  /** supertest bound to the listening server. */
  http: () => ReturnType<typeof supertest>;
}

/** Builds the app through the same factory as the server, listens on 127.0.0.1 on a free port, and closes it after the suite. */
export function useTestServer(environment: Record<string, string> = {}): TestServer {
  const server = {} as TestServer;
  beforeAll(async () => {
    server.app = await buildApp(loadConfig({ LOG_LEVEL: 'silent', ...environment }));
    await server.app.listen({ host: '127.0.0.1', port: 0 });
    server.http = () => supertest(server.app.server);
  });
  afterAll(async () => {
    await server.app?.close();
  });
  return server;
}
