import { describe, expect, it } from 'vitest';
import type { Exchange } from '../../bench/lib/abuse-client.js';
import { answerViolations, costViolations, serverTiming, type Answer } from '../../bench/lib/abuse-checks.js';

const problem = (status: number, extra: Record<string, unknown> = {}): string =>
  JSON.stringify({ type: 'urn:activation-lab:problem:x', title: 'T', status, detail: 'd', instance: '/v1/x', ...extra });
const answer = (status: number, body: string, headers: Answer['headers'] = { 'content-type': 'application/problem+json' }): Answer => ({ status, headers, body });
const exchangeOf = (status: number, ms: number, headers: Record<string, string>, body = ''): Exchange => ({
  kind: 'response', method: 'POST', path: '/v1/simulations/feedforward', status, headers, bytes: body.length, body, truncated: false, ms,
});

describe('the response classifier', () => {
  it('accepts a complete problem with a documented status', () => {
    expect(answerViolations(answer(400, problem(400)))).toEqual([]);
  });

  it('flags a 500, an undocumented status, a bare JSON error, a missing member and a 503 without Retry-After', () => {
    expect(answerViolations(answer(500, problem(500)))).toEqual(['undocumented status 500']);
    expect(answerViolations(answer(418, problem(418)))).toEqual(['undocumented status 418']);
    expect(answerViolations(answer(400, '{"error":"Bad Request"}', { 'content-type': 'application/json' }))[0]).toMatch(/not application\/problem\+json/);
    expect(answerViolations(answer(400, JSON.stringify({ type: 't', title: 'T', status: 400, detail: 'd' })))).toEqual(['400 problem without instance']);
    expect(answerViolations(answer(503, problem(503)))).toEqual(['503 without Retry-After']);
    expect(answerViolations(answer(405, problem(405)))).toEqual(['405 without Allow']);
  });
});

describe('the cost check', () => {
  it('reads the estimate and the run time from Server-Timing', () => {
    expect(serverTiming({ 'server-timing': 'estimate;dur=120.5, run;dur=80;desc="worker"' })).toEqual({ estimateMs: 120.5, runMs: 80 });
    expect(serverTiming({})).toEqual({});
  });

  it('accepts a 422 with estimate and limit, and a 200 within three times its estimate', () => {
    const refused = problem(422, { estimate: { flops: 1 }, limit: { flops: 0 } });
    expect(costViolations(exchangeOf(422, 5, { 'content-type': 'application/problem+json' }, refused))).toEqual([]);
    expect(costViolations(exchangeOf(200, 290, { 'server-timing': 'estimate;dur=100' }))).toEqual([]);
  });

  it('flags a 200 past three times its estimate, a 200 without one and a 422 without estimate and limit', () => {
    expect(costViolations(exchangeOf(200, 310, { 'server-timing': 'estimate;dur=100' }))[0]).toMatch(/more than 3× its estimate/);
    expect(costViolations(exchangeOf(200, 10, {}))[0]).toMatch(/no estimate given/);
    expect(costViolations(exchangeOf(422, 5, { 'content-type': 'application/problem+json' }, problem(422)))[0]).toMatch(/422 without estimate and limit/);
  });
});
