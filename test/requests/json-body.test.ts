import { describe, expect, it } from 'vitest';
import { jsonCharset, parseJson } from '../../src/requests/json-body.js';
import { ProblemError } from '../../src/problems.js';

const refusal = (text: string): ProblemError => {
  try {
    parseJson(text);
  } catch (error) {
    if (error instanceof ProblemError) return error;
    throw error;
  }
  throw new Error(`${text} was accepted`);
};

describe('parseJson', () => {
  it('parses JSON text and bytes alike', () => {
    expect(parseJson('{"x":[1,2]}')).toEqual({ x: [1, 2] });
    expect(parseJson(new TextEncoder().encode('{"x":[3]}'))).toEqual({ x: [3] });
  });

  it('refuses an empty body and invalid JSON as malformed', () => {
    expect(refusal('  ').kind).toBe('malformed');
    expect(refusal('{"x":').detail).toMatch(/^The body is not valid JSON: /);
  });

  it('refuses __proto__ keys anywhere, also spelled with escapes and inside arrays', () => {
    expect(refusal('{"__proto__":{"polluted":true}}').kind).toBe('malformed');
    expect(refusal('{"a":[1,{"b":{"\\u005f_proto__":1}}]}').kind).toBe('malformed');
  });

  it('refuses a constructor object with a prototype key, and lets a plain "constructor" key through to validation', () => {
    expect(refusal('{"params":{"constructor":{"prototype":{"alpha":2}}}}').kind).toBe('malformed');
    expect(refusal('{"params":{"constr\\u0075ctor":{"prototype":{"alpha":2}}}}').kind).toBe('malformed');
    expect(parseJson('{"x":[0],"constructor":1}')).toEqual({ x: [0], constructor: 1 });
    expect(parseJson('{"constructor":{"name":"x"}}')).toEqual({ constructor: { name: 'x' } });
  });

  it('checks a body with millions of array elements and a "constructor" key without walking array indices as keys', () => {
    const body = `{"x":[${'0,'.repeat(3_000_000)}0],"constructor":1}`;
    const parsed = parseJson(body) as { x: number[] };
    expect(parsed.x).toHaveLength(3_000_001);
  });
});

describe('jsonCharset', () => {
  it('accepts no charset and UTF-8 in any spelling', () => {
    expect(jsonCharset('application/json')).toBeNull();
    expect(jsonCharset('application/json; charset=UTF-8')).toBeNull();
    expect(jsonCharset('application/json;charset="utf8"')).toBeNull();
    expect(jsonCharset(undefined)).toBeNull();
  });

  it('names any other charset', () => {
    expect(jsonCharset('application/json; charset=utf-16')).toBe('utf-16');
    expect(jsonCharset('application/json; Charset=ISO-8859-1')).toBe('iso-8859-1');
  });
});
