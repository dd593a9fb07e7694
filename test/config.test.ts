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
        maxBytes: 384 * 1024 * 1024,
        maxSeconds: 20,
        maxWaitSeconds: 10,
        maxAnswerBytes: 96 * 1024 * 1024,
        maxQueuedBytes: 256 * 1024 * 1024,
        maxHeapMb: 512,
      },
      maxEventLoopDelayMs: 1000,
      rateLimit: { max: 0, windowMs: 60_000 },
      corsOrigins: [],
      trustProxy: false,
      jobs: {
        redisUrl: null,
        maxSeconds: 600,
        maxFlops: 6000e9,
        timeoutMs: 900_000,
        maxCells: 2500,
        maxStored: 1000,
        maxActive: 64,
        maxStoredBytes: 256 * 1024 * 1024,
        resultTtlSeconds: 86_400,
        concurrency: expect.any(Number),
        heartbeatMs: 15_000,
        maxQueuedRuns: 20_000,
        lockMs: 30_000,
      },
      timeouts: { requestMs: 30_000, headersMs: 10_000, keepAliveMs: 72_000, socketIdleMs: 120_000, checkingIntervalMs: 1000 },
    });
  });

  it('checks for expired requests ten times per headers timeout, at most once a second', () => {
    expect(loadConfig({ HEADERS_TIMEOUT_MS: '500' }).timeouts.checkingIntervalMs).toBe(50);
    expect(loadConfig({ HEADERS_TIMEOUT_MS: '20000' }).timeouts.checkingIntervalMs).toBe(1000);
  });

  it('refuses a socket idle timeout that would close connections waiting for their simulation', () => {
    expect(() => loadConfig({ SIMULATION_TIMEOUT_MS: '60000', SOCKET_IDLE_TIMEOUT_MS: '60000' })).toThrow(/SOCKET_IDLE_TIMEOUT_MS="60000": must exceed SIMULATION_TIMEOUT_MS/);
  });

  it('refuses a headers timeout longer than the request timeout (Node would refuse to start)', () => {
    expect(() => loadConfig({ REQUEST_TIMEOUT_MS: '5000', HEADERS_TIMEOUT_MS: '6000' })).toThrow(/HEADERS_TIMEOUT_MS="6000": must not exceed REQUEST_TIMEOUT_MS/);
  });

  it('takes a redis:// or rediss:// REDIS_URL for the distributed job engine, and refuses anything else', () => {
    expect(loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379' }).jobs.redisUrl).toBe('redis://127.0.0.1:6379');
    expect(loadConfig({ REDIS_URL: 'rediss://user:secret@cache.example:6380/2' }).jobs.redisUrl).toBe('rediss://user:secret@cache.example:6380/2');
    expect(() => loadConfig({ REDIS_URL: 'localhost:6379' })).toThrow(/REDIS_URL="localhost:6379": must be a redis:\/\/ or rediss:\/\/ URL/);
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

  it('reads TRUST_PROXY as off, everything, or a list of addresses, ranges and range names', () => {
    expect(loadConfig({ TRUST_PROXY: 'false' }).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8,fd00::/8 , 192.168.1.7' }).trustProxy).toEqual(['loopback', '10.0.0.0/8', 'fd00::/8', '192.168.1.7']);
  });

  it('refuses a TRUST_PROXY entry that is no address, range or range name, and hop counts', () => {
    expect(() => loadConfig({ TRUST_PROXY: 'loopback,nginx' })).toThrow(/TRUST_PROXY="loopback,nginx": .*nginx/);
    expect(() => loadConfig({ TRUST_PROXY: '10.0.0.0/33' })).toThrow(/TRUST_PROXY/);
    expect(() => loadConfig({ TRUST_PROXY: '2' })).toThrow(/TRUST_PROXY="2": hop counts/);
  });

  it('refuses the catch-all ranges the proxy matcher cannot take, pointing to `true` (a start-up crash otherwise)', () => {
    for (const range of ['0.0.0.0/0', '::/0']) expect(() => loadConfig({ TRUST_PROXY: range })).toThrow(/TRUST_PROXY=.*`true` trusts any peer/);
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
