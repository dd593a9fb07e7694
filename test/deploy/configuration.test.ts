import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { configVariableNames, loadConfig } from '../../src/config.js';

/**
 * The deployment files set the service's environment in three places; a
 * misspelt variable would be ignored silently and a bad value would stop the
 * container at start. Both are caught here, without Docker or a cluster.
 */
const root = fileURLToPath(new URL('../..', import.meta.url));
const readYaml = (path: string): unknown => parse(readFileSync(`${root}${path}`, 'utf8'));

interface ComposeFile {
  services: Record<string, { build?: unknown; environment?: Record<string, string | number> }>;
}
interface Deployment {
  spec: { template: { spec: { containers: { name: string; env?: { name: string; value: string }[] }[] } } };
}

/** Each activation-lab container's environment, by file and container. */
function environments(): [string, Record<string, string>][] {
  const found: [string, Record<string, string>][] = [];
  for (const file of ['docker-compose.yml', 'docker-compose.scale.yml']) {
    const compose = readYaml(file) as ComposeFile;
    for (const [name, service] of Object.entries(compose.services)) {
      if (service.build === undefined) continue; // nginx and other images
      const environment = Object.fromEntries(Object.entries(service.environment ?? {}).map(([key, value]) => [key, String(value)]));
      found.push([`${file}: ${name}`, environment]);
    }
  }
  const deployment = readYaml('deploy/kubernetes/deployment.yaml') as Deployment;
  for (const container of deployment.spec.template.spec.containers) {
    found.push([`deployment.yaml: ${container.name}`, Object.fromEntries((container.env ?? []).map(({ name, value }) => [name, value]))]);
  }
  return found;
}

describe('the environment set by the deployment files', () => {
  const all = environments();

  it('covers the compose services and the Kubernetes container', () => {
    expect(all.map(([where]) => where)).toEqual([
      'docker-compose.yml: activation-lab',
      'docker-compose.scale.yml: activation-lab-1',
      'docker-compose.scale.yml: activation-lab-2',
      'docker-compose.scale.yml: activation-lab-3',
      'deployment.yaml: activation-lab',
    ]);
  });

  it.each(all)('%s names only variables the service reads, with values it accepts', (_where, environment) => {
    expect(Object.keys(environment).filter((name) => !configVariableNames.includes(name))).toEqual([]);
    expect(() => loadConfig(environment)).not.toThrow();
  });
});
