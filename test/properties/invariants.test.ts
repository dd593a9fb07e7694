import { describe, expect, it } from 'vitest';
import type { ContractRequest, ContractResponse } from '../support/contract-client.js';
import { applyMutation, RawJson, serialise } from './arbitraries.js';
import { invariantViolations } from './harness.js';

/** The property suite is only as good as its invariants: each must catch what it is for. */

const request: ContractRequest = { method: 'POST', path: '/v1/evaluate', json: { x: [1], activations: ['tanh'] } };
const problem = (status: number) => ({
  status,
  headers: { 'x-request-id': 'r1' },
  contentType: 'application/problem+json',
  body: { type: 'urn:activation-lab:problem:internal', title: 'Internal server error', status, detail: '…', instance: '/v1/evaluate', requestId: 'r1' },
  payload: Buffer.alloc(0),
});

describe('the invariants of the property suite', () => {
  it('accept a documented 400 problem', () => {
    expect(invariantViolations(request, { ...problem(400), body: { ...problem(400).body, type: 'urn:activation-lab:problem:malformed' } })).toEqual([]);
  });

  it('catch a 500, even as a well-formed problem', () => {
    expect(invariantViolations(request, problem(500))).toContain('a 500');
  });

  it('catch an error that is not application/problem+json', () => {
    const bare: ContractResponse = { status: 400, headers: { 'x-request-id': 'r1' }, contentType: 'application/json', body: { statusCode: 400, error: 'Bad Request' }, payload: Buffer.alloc(0) };
    expect(invariantViolations(request, bare).join('\n')).toMatch(/not application\/problem\+json/);
  });

  it('catch a 200 for a body that the documented request schema rejects', () => {
    const accepted: ContractResponse = {
      status: 200,
      headers: { 'x-request-id': 'r1' },
      contentType: 'application/json',
      body: { mode: 'eval', count: 1, x: [1], results: [] },
      payload: Buffer.alloc(0),
    };
    expect(invariantViolations({ ...request, json: { x: [1], activations: ['tanh'], colour: 'red' } }, accepted).join('\n')).toMatch(/request schema rejects/);
  });

  it('catch a polluted Object.prototype', () => {
    const prototype = Object.prototype as Record<string, unknown>;
    prototype['polluted'] = 'yes';
    try {
      expect(invariantViolations(request, { ...problem(400), body: { ...problem(400).body, type: 'urn:activation-lab:problem:malformed' } })).toContain('Object.prototype was polluted');
    } finally {
      delete prototype['polluted'];
    }
  });
});

describe('the near-valid body generator', () => {
  it('adds a __proto__ key as an own key, which JSON carries, without touching any prototype', () => {
    const mutated = applyMutation({ x: [1] }, { kind: 'addKey', at: 0, key: '__proto__', value: { polluted: 'yes' } });
    expect(serialise(mutated)).toBe('{"x":[1],"__proto__":{"polluted":"yes"}}');
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('splices raw JSON that JSON.stringify cannot write', () => {
    expect(serialise({ x: [new RawJson('1e400'), new RawJson('-0')] })).toBe('{"x":[1e400,-0]}');
  });
});
