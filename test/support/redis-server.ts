import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startProcess, type RunningProcess } from './process.js';

/**
 * A redis-server of the tests' own (Debian's package: .ci/run installs it) on
 * a free loopback port, its files in a temporary directory, append-only so
 * that a restart keeps what it held.
 */

export const REDIS_SERVER = '/usr/bin/redis-server';
export const redisAvailable = (): boolean => existsSync(REDIS_SERVER);

export interface TestRedis {
  port: number;
  url: string;
  /** Stops the server (SIGTERM: it writes its append-only file first). */
  stop(): Promise<void>;
  /** Starts it again on the same port and directory. */
  restart(): Promise<void>;
  /** Stops it and removes its directory. */
  destroy(): Promise<void>;
}

async function waitForReady(server: RunningProcess): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!server.output().includes('Ready to accept connections')) {
    if (Date.now() > deadline || server.child.exitCode !== null) throw new Error(`redis-server did not start:\n${server.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export async function startRedis(): Promise<TestRedis> {
  const directory = await mkdtemp(join(tmpdir(), 'activation-lab-redis-'));
  const port = await freePort();
  const launch = async (): Promise<RunningProcess> => {
    const server = startProcess(REDIS_SERVER, ['--port', String(port), '--bind', '127.0.0.1', '--dir', directory, '--appendonly', 'yes', '--save', '', '--protected-mode', 'yes'], { env: {} });
    await waitForReady(server);
    return server;
  };
  let server: RunningProcess | undefined = await launch();
  const stop = async (): Promise<void> => {
    if (server === undefined) return;
    server.child.kill('SIGTERM');
    await server.exited;
    server = undefined;
  };
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    stop,
    restart: async () => {
      await stop();
      server = await launch();
    },
    destroy: async () => {
      await stop();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
