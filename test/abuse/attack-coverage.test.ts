import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { attacks } from '../../bench/lib/attacks.js';

describe('the abuse tests', () => {
  it('replay every attack of bench/lib/attacks.ts, each in one test file', () => {
    const folder = new URL('./', import.meta.url);
    const sources = readdirSync(folder)
      .filter((name) => name.endsWith('.test.ts') && name !== 'attack-coverage.test.ts')
      .map((name) => readFileSync(new URL(name, folder), 'utf8'));
    const replayed = attacks.map((attack) => sources.filter((source) => source.includes(`'${attack.id}'`)).length);
    expect(Object.fromEntries(attacks.map((attack, index) => [attack.id, replayed[index]]))).toEqual(Object.fromEntries(attacks.map((attack) => [attack.id, 1])));
  });
});
