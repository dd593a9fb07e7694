/**
 * Runs deploy/nginx/nginx.conf for real on loopback: the same file, with its
 * listen port and upstream servers (the lines marked "test rewrites") pointed
 * at local replicas, nginx as a foreground child with its prefix, pid and
 * temporary files in a folder of its own.
 */
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { root, spawnChild, type RunningChild } from './service.js';

/** Debian's nginx (`apt-get install -y nginx`); NGINX_BIN overrides. */
export const nginxBinary = process.env['NGINX_BIN'] ?? '/usr/sbin/nginx';

export function nginxAvailable(): boolean {
  return existsSync(nginxBinary);
}

const templatePath = join(root, 'deploy/nginx/nginx.conf');
const upstreamLine = /^(\s*)server\s+\S+:\d+(\s[^;]*)?;\s*# test rewrites\n/gm;
const listenLine = /^(\s*)listen\s+\d+;\s*# test rewrites$/m;
// A child's stdout is a socket under Node, which nginx cannot open as /dev/stdout.
const accessLogLine = /^(\s*)access_log\s+\S+\s+(\S+);\s*# test rewrites$/m;

/** The access log, relative to the prefix, one JSON object per line. */
export const accessLogFile = 'access.log';

/** The deployment's nginx.conf with its upstream servers, listen port and access log replaced. */
export async function renderNginxConfig(listenPort: number, upstreamPorts: readonly number[]): Promise<string> {
  const template = await readFile(templatePath, 'utf8');
  const servers = [...template.matchAll(upstreamLine)];
  const first = servers[0];
  if (first === undefined || !listenLine.test(template) || !accessLogLine.test(template)) {
    throw new Error(`${templatePath} no longer has the upstream "server", "listen" and "access_log" lines marked "# test rewrites"`);
  }
  const [, indent = '', parameters = ''] = first;
  const localServers = upstreamPorts.map((port) => `${indent}server 127.0.0.1:${port}${parameters};\n`).join('');
  let replaced = false;
  return template
    .replace(upstreamLine, () => (replaced ? '' : ((replaced = true), localServers)))
    .replace(listenLine, (_line, listenIndent: string) => `${listenIndent}listen 127.0.0.1:${listenPort};`)
    .replace(accessLogLine, (_line, logIndent: string, format: string) => `${logIndent}access_log ${accessLogFile} ${format};`);
}

export interface NginxProcess extends RunningChild {
  url: string;
  prefix: string;
  /** The access log's lines so far. */
  accessLog: () => Promise<string[]>;
  /**
   * Stops nginx (SIGQUIT lets its workers finish; SIGTERM after 5 s; never SIGKILL, which would
   * orphan the workers) and removes its folder with the log.
   */
  close: () => Promise<void>;
}

export async function startNginx(listenPort: number, upstreamPorts: readonly number[]): Promise<NginxProcess> {
  const prefix = await mkdtemp(join(tmpdir(), 'activation-lab-nginx-'));
  // Started as root, nginx's workers run as an unprivileged user and must reach the temp folders.
  await chmod(prefix, 0o755);
  try {
    return await runNginx(prefix, listenPort, upstreamPorts);
  } catch (error) {
    await rm(prefix, { recursive: true, force: true });
    throw error;
  }
}

async function runNginx(prefix: string, listenPort: number, upstreamPorts: readonly number[]): Promise<NginxProcess> {
  const configPath = join(prefix, 'nginx.conf');
  await writeFile(configPath, await renderNginxConfig(listenPort, upstreamPorts));
  const args = ['-p', `${prefix}/`, '-c', configPath, '-e', 'stderr', '-g', 'daemon off;'];

  const check = spawnChild(nginxBinary, [...args, '-t', '-q'], process.env, false, 'SIGTERM');
  const checked = await check.exited;
  if (checked.code !== 0) throw new Error(`nginx -t refused the rendered configuration:\n${check.output()}`);

  const nginx = spawnChild(nginxBinary, args, process.env, false, 'SIGTERM');
  const url = `http://127.0.0.1:${listenPort}`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      if ((await fetch(`${url}/nginx-health`)).ok) break;
    } catch {
      // not listening yet
    }
    if (nginx.child.exitCode !== null || Date.now() > deadline) {
      nginx.child.kill('SIGTERM');
      throw new Error(`nginx did not start:\n${nginx.output()}`);
    }
    await sleep(50);
  }

  const close = async (): Promise<void> => {
    if (nginx.child.exitCode === null && nginx.child.signalCode === null) {
      nginx.child.kill('SIGQUIT');
      const timer = setTimeout(() => nginx.child.kill('SIGTERM'), 5_000);
      await nginx.exited;
      clearTimeout(timer);
    }
    await rm(prefix, { recursive: true, force: true });
  };
  const accessLog = async (): Promise<string[]> => {
    const text = await readFile(join(prefix, accessLogFile), 'utf8').catch(() => '');
    return text.split('\n').filter((line) => line !== '');
  };
  return { ...nginx, url, prefix, accessLog, close };
}
