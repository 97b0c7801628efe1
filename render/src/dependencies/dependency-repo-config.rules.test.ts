import { describe, expect, it } from 'vitest';
import type { ChartRepositoryAuth } from '../charts/chart-fetch.js';
import { dependencyRepoConfig } from './dependency-repo-config.rules.js';

const auth: ChartRepositoryAuth = { username: 'fleet', password: 's3cret' };

describe('dependencyRepoConfig', () => {
  it('writes a repositories entry for each http(s) repository the credentials apply to, and none for the others', () => {
    const config = dependencyRepoConfig(
      [
        { kind: 'http', url: 'https://private.example.com/charts' },
        { kind: 'http', url: 'https://public.example.com/charts' },
        { kind: 'http', url: 'https://private.example.com/charts' },
        { kind: 'file', dir: 'lib' },
        { kind: 'charts-dir' },
      ],
      (url) => (url.includes('private') ? { ...auth, caBundle: 'PEM', insecureSkipTLSVerify: true } : undefined),
      '/s',
    );
    expect(JSON.parse(config.files.get('/s/repositories.yaml') ?? '')).toEqual({
      apiVersion: 'v1',
      generated: '0001-01-01T00:00:00Z',
      repositories: [
        {
          name: 'flotilla-dependency-1',
          url: 'https://private.example.com/charts',
          username: 'fleet',
          password: 's3cret',
          caFile: '/s/ca-1.pem',
          certFile: '',
          keyFile: '',
          insecure_skip_tls_verify: true,
          pass_credentials_all: false,
        },
      ],
    });
    expect(config.files.get('/s/ca-1.pem')).toBe('PEM');
    expect(JSON.parse(config.files.get('/s/registry.json') ?? '')).toEqual({ auths: {} });
    expect(config.args).toEqual(['--repository-config', '/s/repositories.yaml', '--registry-config', '/s/registry.json']);
  });

  it('puts OCI credentials in the registry file by host and turns on plain HTTP when they ask for it', () => {
    const config = dependencyRepoConfig([{ kind: 'oci', url: 'oci://127.0.0.1:5000/charts' }], () => ({ ...auth, plainHttp: true }), '/s');
    expect(JSON.parse(config.files.get('/s/registry.json') ?? '')).toEqual({ auths: { '127.0.0.1:5000': { auth: Buffer.from('fleet:s3cret').toString('base64') } } });
    expect(config.args).toContain('--plain-http');
  });

  it('without credentials, nothing but empty files (helm fetches unmanaged repositories itself)', () => {
    const config = dependencyRepoConfig([{ kind: 'http', url: 'https://x/charts' }, { kind: 'oci', url: 'oci://r/c' }], () => undefined, '/s');
    expect(JSON.parse(config.files.get('/s/repositories.yaml') ?? '').repositories).toEqual([]);
    expect(config.args).toEqual(['--repository-config', '/s/repositories.yaml', '--registry-config', '/s/registry.json']);
  });
});
