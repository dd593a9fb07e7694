import fc from 'fast-check';
import { afterAll, beforeAll, expect } from 'vitest';
import { buildApp, type App } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { conventionViolations, injectTransport, type ContractRequest, type ContractResponse, type Transport } from '../support/contract-client.js';
import { checkResponse, requestBodyViolations } from '../support/contract.js';

/**
 * What every property file shares: an app built through the same factory and
 * driven by Fastify's inject (the same routing, validation, error handler and
 * serialisers as over HTTP, without sockets), the invariants every response
 * must keep, and the count of bodies tried per endpoint.
 *
 * Fixed seed for reproducibility; PROPERTY_SEED=<n> replays another run, and
 * fast-check prints the seed and the shrunk counterexample of a failure.
 */

export const PROPERTY_SEED = Number(process.env['PROPERTY_SEED'] ?? 20_251_127);

/** Limits small enough that generated requests reach 413 and 422 often and simulations stay cheap. */
export const propertyEnvironment = {
  LOG_LEVEL: 'silent',
  MAX_ELEMENTS: '2000',
  BODY_LIMIT_BYTES: String(256 * 1024),
  SIMULATION_THREADS: '1',
  SIMULATION_QUEUE: '64',
  SIMULATION_TIMEOUT_MS: '20000',
  SIMULATION_MAX_GFLOP: '0.002',
  SIMULATION_MAX_MEMORY_MB: '16',
  // No event-loop-delay 503s: a property run keeps the loop busy on purpose.
  MAX_EVENT_LOOP_DELAY_MS: '0',
};

/**
 * Recognises a response that breaks an invariant because of a bug already
 * reported (see the contract suite's `it.fails`), so the property goes on
 * looking for new ones; returns the bug's label, or undefined. `violations`
 * is everything the response breaks: a classifier should excuse the response
 * only when every one of them is its bug.
 */
export type KnownBug = (request: ContractRequest, response: ContractResponse, send: Transport, violations: readonly string[]) => Promise<string | undefined>;

export interface CheckOptions {
  numRuns: number;
  /** Bugs already reported, recognised and counted instead of failing the property. */
  knownBug?: KnownBug;
  /** An endpoint's own invariant beyond the shared ones: what it breaks, or undefined. */
  invariant?: (request: ContractRequest, response: ContractResponse) => string | undefined;
}

export interface PropertyApp {
  app: () => App;
  /** Sends one request without checking anything. */
  send: Transport;
  /** Runs a property over `numRuns` generated requests for `endpoint`, checking /healthz every 100 runs and at the end. */
  check: <Value>(endpoint: string, arbitrary: fc.Arbitrary<Value>, toRequest: (value: Value) => ContractRequest, options: CheckOptions) => Promise<void>;
}

const POLLUTED = 'Object.prototype was polluted';

const pollutionProbe = (): unknown => {
  const probe = {} as Record<string, unknown>;
  return probe['polluted'] ?? probe['isAdmin'] ?? (Object.prototype as Record<string, unknown>)['polluted'];
};

/** The JSON text a request sends, parsed back (undefined when not JSON). */
function sentJson(request: ContractRequest): unknown {
  if (request.json !== undefined) return request.json;
  if (typeof request.raw !== 'string') return undefined;
  try {
    return JSON.parse(request.raw);
  } catch {
    return undefined;
  }
}

/** Every invariant a response must keep, as a list of what it breaks. */
export function invariantViolations(request: ContractRequest, response: ContractResponse): string[] {
  const violations: string[] = [];
  const deliberate503 = response.status === 503 && response.headers['retry-after'] !== undefined;
  if (response.status >= 500 && !deliberate503) violations.push(`a ${response.status}`);
  violations.push(
    ...checkResponse({ method: request.method, path: request.path, status: response.status, contentType: response.contentType, body: response.body }),
    ...conventionViolations(request, response),
  );
  if (response.status >= 400 && !/^application\/problem\+json/.test(response.contentType ?? '')) {
    violations.push(`a ${response.status} as ${response.contentType ?? 'no content type'}, not application/problem+json`);
  }
  if (response.status < 300) {
    // The server may refuse more than the document's request schema says (domains, shapes), never accept more.
    const requestViolations = request.json !== undefined || request.raw !== undefined ? requestBodyViolations(request.method, request.path, sentJson(request)) : undefined;
    if (requestViolations !== undefined && requestViolations.length > 0) {
      violations.push(`accepted a body the document's request schema rejects: ${requestViolations.slice(0, 3).join('; ')}`);
    }
  }
  if (pollutionProbe() !== undefined) violations.push(POLLUTED);
  return violations;
}

const bodiesTried = new Map<string, number>();
const knownBugHits = new Map<string, number>();
const statusesSeen = new Map<string, Map<number, number>>();

/** Builds the app once per file and reports the bodies tried per endpoint when the file ends. */
export function usePropertyApp(environment: Record<string, string> = {}): PropertyApp {
  let app: App | undefined;
  const current = (): App => {
    if (app === undefined) throw new Error('the property app is not built yet');
    return app;
  };
  const send = injectTransport(current);
  const started = Date.now();

  beforeAll(async () => {
    app = await buildApp(loadConfig({ ...propertyEnvironment, ...environment }));
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    const summary = [...bodiesTried.entries()]
      .map(([endpoint, count]) => {
        const statuses = [...(statusesSeen.get(endpoint) ?? new Map<number, number>()).entries()].sort(([a], [b]) => a - b);
        return `${endpoint}: ${count} (${statuses.map(([status, times]) => `${status}×${times}`).join(' ')})`;
      })
      .join(', ');
    const bugs = [...knownBugHits.entries()].map(([bug, count]) => `${bug} ×${count}`).join('; ');
    console.warn(
      `[properties] seed ${PROPERTY_SEED}; bodies tried — ${summary} (${((Date.now() - started) / 1000).toFixed(1)} s)${bugs ? `; known bugs hit — ${bugs}` : ''}`,
    );
  });

  const healthy = async (): Promise<void> => {
    const response = await send({ method: 'GET', path: '/healthz' });
    expect(response.status, 'the server stays up').toBe(200);
  };

  const check: PropertyApp['check'] = async (endpoint, arbitrary, toRequest, { numRuns, knownBug, invariant }) => {
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(arbitrary, async (value) => {
        runs += 1;
        bodiesTried.set(endpoint, (bodiesTried.get(endpoint) ?? 0) + 1);
        const request = toRequest(value);
        const response = await send(request);
        const statuses = statusesSeen.get(endpoint) ?? new Map<number, number>();
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        statusesSeen.set(endpoint, statuses);
        const own = invariant?.(request, response);
        const violations = [...invariantViolations(request, response), ...(own === undefined ? [] : [own])];
        if (violations.length > 0) {
          // A known bug excuses the response, never a polluted prototype.
          const polluted = violations.includes(POLLUTED);
          const bug = polluted ? undefined : await knownBug?.(request, response, send, violations);
          if (bug !== undefined) {
            knownBugHits.set(`${endpoint}: ${bug}`, (knownBugHits.get(`${endpoint}: ${bug}`) ?? 0) + 1);
          } else {
            const body = JSON.stringify(response.body)?.slice(0, 500);
            throw new Error(`${request.method} ${request.path} → ${response.status}:\n  ${violations.join('\n  ')}\nresponse: ${body}`);
          }
        }
        if (runs % 100 === 0) await healthy();
      }),
      { numRuns, seed: PROPERTY_SEED },
    );
    await healthy();
  };

  return { app: current, send, check };
}
