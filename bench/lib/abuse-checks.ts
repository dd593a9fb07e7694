/**
 * What every answer of the fixed service must look like, as small pure
 * functions over what a client saw: a documented status, an RFC 9457 problem
 * for errors, Retry-After on 503, never a 500; and, for requests the service
 * prices, a 422 naming the estimate and the limit or a 200 within three times
 * the estimate it announces in Server-Timing.
 */
import type { Exchange, RawResponse } from './abuse-client.js';

/** The statuses the service documents; anything else is a violation. */
export const DOCUMENTED_STATUSES: ReadonlySet<number> = new Set([200, 204, 302, 400, 404, 405, 406, 408, 413, 415, 422, 429, 431, 503]);

const PROBLEM_MEMBERS = ['type', 'title', 'status', 'detail', 'instance'] as const;

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** All body bytes received. */
  bytes?: number;
  /** Whether `body` is only the beginning of it. */
  truncated?: boolean;
}

export function answerOf(exchange: Exchange): Answer | undefined {
  if (exchange.kind !== 'response' || exchange.status === undefined) return undefined;
  return { status: exchange.status, headers: exchange.headers ?? {}, body: exchange.body, bytes: exchange.bytes, truncated: exchange.truncated };
}

export function answerOfRaw(response: RawResponse): Answer {
  return { status: response.status, headers: response.headers, body: response.body };
}

const header = (answer: Answer, name: string): string | undefined => {
  const value = answer.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
};

/** The problem in an error answer, or why it is not one. */
export function parseProblem(answer: Answer): { problem?: Record<string, unknown>; violation?: string } {
  const contentType = header(answer, 'content-type') ?? '';
  if (!contentType.startsWith('application/problem+json')) {
    return { violation: `${answer.status} with content-type "${contentType}", not application/problem+json: ${answer.body.slice(0, 80)}` };
  }
  if (answer.truncated === true) return { violation: `${answer.status} problem of ${answer.bytes} bytes, too large to read` };
  let parsed: unknown;
  try {
    parsed = JSON.parse(answer.body);
  } catch {
    return { violation: `${answer.status} problem that is not JSON: ${answer.body.slice(0, 80)}` };
  }
  if (typeof parsed !== 'object' || parsed === null) return { violation: `${answer.status} problem that is not an object` };
  const problem = parsed as Record<string, unknown>;
  const missing = PROBLEM_MEMBERS.filter((member) => problem[member] === undefined);
  if (missing.length > 0) return { problem, violation: `${answer.status} problem without ${missing.join(', ')}` };
  if (problem['status'] !== answer.status) return { problem, violation: `${answer.status} problem whose status member is ${String(problem['status'])}` };
  return { problem };
}

/** Every way one answer breaks the response guarantees; [] when it keeps them. */
export function answerViolations(answer: Answer): string[] {
  const violations: string[] = [];
  if (!DOCUMENTED_STATUSES.has(answer.status)) violations.push(`undocumented status ${answer.status}`);
  if (answer.status >= 400) {
    const { violation } = parseProblem(answer);
    if (violation !== undefined) violations.push(violation);
  }
  if (answer.status === 503 && header(answer, 'retry-after') === undefined) violations.push('503 without Retry-After');
  if (answer.status === 405 && header(answer, 'allow') === undefined) violations.push('405 without Allow');
  return violations;
}

/** An exchange that did not end in a complete answer is a violation unless the attack meant it. */
export function exchangeViolations(exchange: Exchange): string[] {
  const answer = answerOf(exchange);
  if (answer === undefined) return [`${exchange.method} ${exchange.path.slice(0, 60)}: ${exchange.kind}${exchange.error === undefined ? '' : ` (${exchange.error})`} after ${Math.round(exchange.ms)} ms`];
  return answerViolations(answer).map((violation) => `${exchange.method} ${exchange.path.slice(0, 60)}: ${violation}`);
}

export interface ServerTiming {
  /** The service's own estimate of the work, in ms. */
  estimateMs?: number;
  /** What the work took on the server, in ms. */
  runMs?: number;
}

/** Reads `estimate;dur=…` and `run;dur=…` from a Server-Timing header (RFC: comma-separated metrics). */
export function serverTiming(headers: Record<string, string | string[] | undefined> | undefined): ServerTiming {
  const raw = headers?.['server-timing'];
  const text = Array.isArray(raw) ? raw.join(',') : (raw ?? '');
  const timing: ServerTiming = {};
  for (const metric of text.split(',')) {
    const [name = '', ...parameters] = metric.split(';').map((part) => part.trim());
    const duration = parameters.find((parameter) => parameter.startsWith('dur='));
    if (duration === undefined) continue;
    const ms = Number(duration.slice(4));
    if (!Number.isFinite(ms)) continue;
    if (name === 'estimate') timing.estimateMs = ms;
    if (name === 'run') timing.runMs = ms;
  }
  return timing;
}

/** How far past its own estimate a priced answer may come. */
export const ESTIMATE_SLACK = 3;

/** The cost guarantee for one priced request: refused with 422 {estimate, limit}, or answered 200 within 3× the estimate. */
export function costViolations(exchange: Exchange): string[] {
  const answer = answerOf(exchange);
  if (answer === undefined) return [`priced request ${exchange.kind} after ${Math.round(exchange.ms)} ms`];
  if (answer.status === 422) {
    const { problem } = parseProblem(answer);
    if (problem === undefined) return [];
    const missing = ['estimate', 'limit'].filter((member) => problem[member] === undefined);
    return missing.length === 0 ? [] : [`422 without ${missing.join(' and ')} (${String(problem['detail']).slice(0, 100)})`];
  }
  if (answer.status !== 200) return [];
  const { estimateMs } = serverTiming(answer.headers);
  if (estimateMs === undefined) return [`200 after ${Math.round(exchange.ms)} ms with no estimate given (no Server-Timing estimate;dur)`];
  if (exchange.ms > ESTIMATE_SLACK * estimateMs) return [`200 after ${Math.round(exchange.ms)} ms, more than ${ESTIMATE_SLACK}× its estimate of ${Math.round(estimateMs)} ms`];
  return [];
}
