import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

describe('loadConfig', () => {
  it('uses the documented defaults', () => {
    expect(loadConfig({})).toEqual({
      port: 3000,
      host: '127.0.0.1',
      logLevel: 'info',
      bodyLimitBytes: 64 * 1024 * 1024,
      maxElements: 1_000_000,
      simulation: {
        threads: expect.any(Number),
        queue: 32,
        timeoutMs: 60_000,
        maxFlops: 200e9,
        maxBytes: 1024 * 1024 * 1024,
      },
      maxEventLoopDelayMs: 1000,
      rateLimit: { max: 0, windowMs: 60_000 },
      corsOrigins: [],
    });
  });

  it('parses numbers from the environment', () => {
    expect(loadConfig({ PORT: '8080', MAX_ELEMENTS: '5000', HOST: '0.0.0.0' })).toMatchObject({
      port: 8080,
      maxElements: 5000,
      host: '0.0.0.0',
    });
  });

  it('reads the CORS origins as a comma-separated list', () => {
    expect(loadConfig({ CORS_ORIGINS: 'https://a.example, https://b.example' }).corsOrigins).toEqual(['https://a.example', 'https://b.example']);
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ PORT: '' }).port).toBe(3000);
  });

  it('refuses a bad value with a message naming the variable', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT="eighty"/);
    expect(() => loadConfig({ LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL="loud"/);
    expect(() => loadConfig({ MAX_ELEMENTS: '1.5' })).toThrow(/MAX_ELEMENTS/);
  });

  it('names every bad variable at once', () => {
    expect(() => loadConfig({ PORT: '-1', BODY_LIMIT_BYTES: 'big' })).toThrow(/PORT[\s\S]*BODY_LIMIT_BYTES/);
  });
});
