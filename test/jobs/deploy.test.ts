import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { configVariableNames, loadConfig } from '../../src/config.js';
import { BULL_PREFIX, QUEUE_NAME } from '../../src/jobs/redis-store.js';

/** The job workers' deployment files: their environment is one the worker accepts, and they scale on the queue the engine uses. */
const root = fileURLToPath(new URL('../..', import.meta.url));
const read = (path: string): string => readFileSync(`${root}${path}`, 'utf8');

interface Container {
  command?: string[];
  env?: { name: string; value: string }[];
}

describe('the job workers in the deployment files', () => {
  it('run `node dist/worker.js` in compose with a Redis the replicas share, append-only', () => {
    const compose = parse(read('docker-compose.scale.yml')) as { services: Record<string, { command?: string[]; environment?: Record<string, string>; deploy?: { replicas?: number } }> };
    const worker = compose.services['worker'];
    expect(worker?.command).toEqual(['node', 'dist/worker.js']);
    expect(worker?.deploy?.replicas).toBeGreaterThanOrEqual(2);
    const environment = worker?.environment ?? {};
    expect(Object.keys(environment).filter((name) => !configVariableNames.includes(name))).toEqual([]);
    expect(loadConfig(environment).jobs.redisUrl).toBe(compose.services['activation-lab-1']?.environment?.['REDIS_URL']);
    expect(compose.services['redis']?.command).toEqual(expect.arrayContaining(['--appendonly', 'yes']));
  });

  it('run `node dist/worker.js` on Kubernetes with an environment the worker accepts', () => {
    const deployment = parse(read('deploy/kubernetes/worker-deployment.yaml')) as { spec: { template: { spec: { containers: Container[] } } } };
    const [container] = deployment.spec.template.spec.containers;
    expect(container?.command).toEqual(['node', 'dist/worker.js']);
    const environment = Object.fromEntries((container?.env ?? []).map(({ name, value }) => [name, value]));
    expect(Object.keys(environment).filter((name) => !configVariableNames.includes(name))).toEqual([]);
    expect(loadConfig(environment).jobs.redisUrl).toBe('redis://activation-lab-redis:6379');
  });

  it('scale on the length of the BullMQ wait list of the engine\'s queue', () => {
    const [scaledObject] = parseAllDocuments(read('deploy/kubernetes/worker-scaledobject.yaml')).map((document) => document.toJS() as { spec: { triggers: { type: string; metadata: { listName: string } }[] } });
    expect(scaledObject?.spec.triggers[0]).toMatchObject({ type: 'redis', metadata: { listName: `${BULL_PREFIX}:${QUEUE_NAME}:wait` } });
  });
});
