/**
 * Starts the service (and other Node scripts) in child processes for the load
 * benches and tests, so that the load generator never shares the server's
 * event loop, with a preload that answers `process.memoryUsage()` over the IPC
 * channel. The tests run the service from source through tsx (`node --import
 * tsx src/server.ts`); the benches run what ships, tsc's output (compileForBench).
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdir, rm, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { freePort, waitForHealthy } from '../../test/support/process.js';

export { freePort, waitForHealthy };

export const root = fileURLToPath(new URL('../..', import.meta.url));
const memoryProbe = new URL('./memory-probe.ts', import.meta.url).href;

/** Where compileForBench puts its output (git-ignored). */
const BENCH_BUILD = join(root, '.bench-build');

/**
 * Compiles src/ and bench/lib/ with tsc (bench/tsconfig.json) into .bench-build/ and returns that folder.
 * tsx, which the tests use, wraps named closures in a helper call each time they are created; a bench must
 * measure the JavaScript that `npm start` and the Docker image run. The compiled service finds assets/ and
 * package.json one level above its src/, as dist/ does, through two links.
 */
export async function compileForBench(): Promise<string> {
  await rm(BENCH_BUILD, { recursive: true, force: true });
  await promisify(execFile)(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'bench/tsconfig.json')], { cwd: root });
  await mkdir(BENCH_BUILD, { recursive: true });
  await symlink(join(root, 'assets'), join(BENCH_BUILD, 'assets'));
  await symlink(join(root, 'package.json'), join(BENCH_BUILD, 'package.json'));
  return BENCH_BUILD;
}

/** Keeps the last this-many bytes of a child's output (a soak logs for minutes). */
const OUTPUT_TAIL_BYTES = 4 * 1024 * 1024;

export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A child process started by spawnChild or spawnNode. */
export interface RunningChild {
  child: ChildProcess;
  pid: number;
  exited: Promise<ChildExit>;
  /** The tail of stdout and stderr together. */
  output: () => string;
  /** SIGTERM, then the last-resort signal if the child has not exited after `graceMs`. */
  stop: (graceMs?: number) => Promise<ChildExit>;
}

/** Children still running, with the signal that ends them for sure. */
const running = new Map<ChildProcess, NodeJS.Signals>();
// A bench that throws must not leave servers behind: signal, by pid, what this process started.
process.once('exit', () => {
  for (const [child, signal] of running) child.kill(signal);
});

/** Runs `node [...nodeArgs] script [...args]` from the repository root. */
export function spawnNode(nodeArgs: string[], script: string, args: string[], env: NodeJS.ProcessEnv, ipc = false): RunningChild {
  return spawnChild(process.execPath, [...nodeArgs, script, ...args], env, ipc);
}

/**
 * Runs a command from the repository root, its output kept, ended with `lastResort` if this
 * process exits first (nginx needs SIGTERM: a SIGKILLed master leaves its workers running).
 */
export function spawnChild(command: string, args: string[], env: NodeJS.ProcessEnv, ipc = false, lastResort: NodeJS.Signals = 'SIGKILL'): RunningChild {
  const child = spawn(command, args, {
    cwd: root,
    env,
    stdio: ipc ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
  });
  // A command that cannot be run also emits 'error' (later); the missing pid says so now.
  child.once('error', () => undefined);
  if (child.pid === undefined) throw new Error(`could not start ${command} ${args.join(' ')}`);
  running.set(child, lastResort);
  // Chunks, dropped from the front past the tail's length: re-slicing one 4 MB string per chunk would load the
  // bench process (which also generates the load) in proportion to how much the service logs.
  const chunks: Buffer[] = [];
  let buffered = 0;
  const onData = (chunk: Buffer): void => {
    chunks.push(chunk);
    buffered += chunk.length;
    while (chunks.length > 1 && buffered - (chunks[0]?.length ?? 0) >= OUTPUT_TAIL_BYTES) buffered -= chunks.shift()?.length ?? 0;
  };
  const output = (): string => Buffer.concat(chunks).toString().slice(-OUTPUT_TAIL_BYTES);
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = new Promise<ChildExit>((resolve) =>
    child.once('exit', (code, signal) => {
      running.delete(child);
      resolve({ code, signal });
    }),
  );

  const stop = async (graceMs = 15_000): Promise<ChildExit> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill(lastResort), graceMs);
      const exit = await exited;
      clearTimeout(timer);
      return exit;
    }
    return exited;
  };

  return { child, pid: child.pid, exited, output, stop };
}

export interface MemorySample {
  rssBytes: number;
  heapUsedBytes: number;
  heapTotalBytes: number;
  externalBytes: number;
}

export interface ServiceProcess extends RunningChild {
  port: number;
  url: string;
  /**
   * process.memoryUsage() of the server process (rss covers its worker threads too; heap is the
   * main isolate's); with `afterGc`, after a full collection (needs `exposeGc` at start).
   */
  memory: (afterGc?: boolean) => Promise<MemorySample>;
}

export interface ServiceOptions {
  /** Environment variables on top of this process's own; LOG_LEVEL defaults to warn. */
  env?: Record<string, string>;
  /** A port to listen on; a free one by default. */
  port?: number;
  /** Extra node flags, e.g. ['--cpu-prof', '--cpu-prof-dir=/tmp/profiles'] (which NODE_OPTIONS refuses). */
  nodeArgs?: string[];
  /** Start node with --expose-gc, so that memory(true) can collect first. */
  exposeGc?: boolean;
  startTimeoutMs?: number;
  /** Run the tsc output in this folder (from compileForBench) instead of the sources through tsx. */
  compiled?: string;
}

/** Starts `src/server.ts` on 127.0.0.1 and waits until /healthz answers. */
export async function startService(options: ServiceOptions = {}): Promise<ServiceProcess> {
  const port = options.port ?? (await freePort());
  const env = { ...process.env, LOG_LEVEL: 'warn', ...options.env, HOST: '127.0.0.1', PORT: String(port) };
  const flags = [...(options.nodeArgs ?? []), ...(options.exposeGc === true ? ['--expose-gc'] : [])];
  const node =
    options.compiled === undefined
      ? spawnNode([...flags, '--import', 'tsx', '--import', memoryProbe], 'src/server.ts', [], env, true)
      : spawnNode([...flags, '--import', pathToFileURL(join(options.compiled, 'bench/lib/memory-probe.js')).href], join(options.compiled, 'src/server.js'), [], env, true);
  const url = `http://127.0.0.1:${port}`;
  try {
    await Promise.race([
      waitForHealthy(`${url}/healthz`, options.startTimeoutMs ?? 30_000),
      node.exited.then((exit) => {
        throw new Error(`the service exited (${exit.code ?? exit.signal}) before it was healthy:\n${node.output()}`);
      }),
    ]);
  } catch (error) {
    node.child.kill('SIGKILL');
    throw error;
  }

  const memory = (afterGc = false): Promise<MemorySample> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        node.child.off('message', onMessage);
        reject(new Error('the service did not report its memory within 5 s'));
      }, 5_000);
      const onMessage = (message: unknown): void => {
        if (typeof message !== 'object' || message === null || !('memory' in message)) return;
        clearTimeout(timer);
        node.child.off('message', onMessage);
        const usage = message.memory as NodeJS.MemoryUsage;
        resolve({ rssBytes: usage.rss, heapUsedBytes: usage.heapUsed, heapTotalBytes: usage.heapTotal, externalBytes: usage.external });
      };
      node.child.on('message', onMessage);
      node.child.send(afterGc ? 'memory-after-gc' : 'memory', (error) => {
        if (error === null) return;
        clearTimeout(timer);
        node.child.off('message', onMessage);
        reject(new Error(`could not ask the service for its memory: ${error.message}\n${node.output().slice(-4000)}`));
      });
    });

  return { ...node, port, url, memory };
}
