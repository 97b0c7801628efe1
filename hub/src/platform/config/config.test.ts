import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

const base = { DATABASE_URL: 'postgresql://localhost/db', FLOTILLA_GRPC_INSECURE: 'true' };

describe('loadConfig', () => {
  it('applies defaults', () => {
    const config = loadConfig(base);
    expect(config.http.port).toBe(8080);
    expect(config.grpc).toMatchObject({ port: 8443, insecure: true });
    expect(config.redisPrefix).toBe('flotilla');
    expect(config).toMatchObject({ revisionGcGraceSeconds: 3600, revisionGcIntervalSeconds: 300 });
  });

  it('reads the revision GC grace period and interval', () => {
    expect(loadConfig({ ...base, FLOTILLA_REVISION_GC_GRACE_SECONDS: '60', FLOTILLA_REVISION_GC_INTERVAL_SECONDS: '5' })).toMatchObject({ revisionGcGraceSeconds: 60, revisionGcIntervalSeconds: 5 });
  });

  it('names every bad variable at once', () => {
    let error: unknown;
    try {
      loadConfig({ FLOTILLA_HTTP_PORT: 'eighty', FLOTILLA_GRPC_INSECURE: 'maybe' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.map((p) => p.variable).sort();
    expect(problems).toEqual(['DATABASE_URL', 'FLOTILLA_GRPC_INSECURE', 'FLOTILLA_HTTP_PORT']);
    expect((error as ConfigError).message).toContain('DATABASE_URL: is required');
  });

  it('requires TLS files unless insecure is set', () => {
    expect(() => loadConfig({ DATABASE_URL: base.DATABASE_URL })).toThrow(/FLOTILLA_GRPC_TLS_CERT/);
    const config = loadConfig({ DATABASE_URL: base.DATABASE_URL, FLOTILLA_GRPC_TLS_CERT: '/c', FLOTILLA_GRPC_TLS_KEY: '/k' });
    expect(config.grpc).toMatchObject({ insecure: false, tlsCertFile: '/c', tlsKeyFile: '/k' });
  });

  it('rejects an offline timeout not longer than the heartbeat', () => {
    expect(() =>
      loadConfig({ ...base, FLOTILLA_HEARTBEAT_INTERVAL_SECONDS: '60', FLOTILLA_OFFLINE_AFTER_SECONDS: '30' }),
    ).toThrow(/FLOTILLA_OFFLINE_AFTER_SECONDS: must be greater/);
  });

  it('treats empty strings as unset', () => {
    expect(loadConfig({ ...base, REDIS_URL: '' }).redisUrl).toBe('redis://127.0.0.1:6379');
  });
});
