/**
 * The helm configuration a `helm dependency update` run gets (pure): a
 * repositories file with an entry for each http(s) dependency repository the
 * GitRepo's helm credentials apply to (helm matches a dependency's URL to an
 * entry and uses its username, password, CA and TLS setting for the index and
 * the archive), and a registry credentials file for the OCI registries they
 * apply to. Repositories without credentials need no entry: helm fetches them
 * as unmanaged repositories. Nothing else of the user's helm setup is used.
 */
import * as path from 'node:path';
import type { ChartRepositoryAuth } from '../charts/chart-fetch.js';
import type { DependencySource } from './chart-dependencies.rules.js';

export interface DependencyRepoConfig {
  /** Files to write, by path. */
  files: Map<string, string>;
  /** Arguments for `helm dependency update`. */
  args: string[];
}

export function dependencyRepoConfig(sources: readonly DependencySource[], authFor: (url: string) => ChartRepositoryAuth | undefined, dir: string): DependencyRepoConfig {
  const files = new Map<string, string>();
  const repositories: Record<string, unknown>[] = [];
  const auths: Record<string, { auth: string }> = {};
  const ociFlags = new Set<string>();
  const repositoriesFile = path.join(dir, 'repositories.yaml');
  const registryFile = path.join(dir, 'registry.json');
  const seen = new Set<string>();
  for (const source of sources) {
    if (source.kind !== 'http' && source.kind !== 'oci') continue;
    if (seen.has(source.url)) continue;
    seen.add(source.url);
    const auth = authFor(source.url);
    if (!auth) continue;
    const n = seen.size;
    let caFile = '';
    if (auth.caBundle) {
      caFile = path.join(dir, `ca-${n}.pem`);
      files.set(caFile, auth.caBundle);
    }
    if (source.kind === 'http') {
      repositories.push({
        name: `flotilla-dependency-${n}`,
        url: source.url,
        username: auth.username ?? '',
        password: auth.password ?? '',
        caFile,
        certFile: '',
        keyFile: '',
        insecure_skip_tls_verify: Boolean(auth.insecureSkipTLSVerify),
        pass_credentials_all: false,
      });
      continue;
    }
    if (auth.username !== undefined || auth.password !== undefined) {
      auths[ociHost(source.url)] = { auth: Buffer.from(`${auth.username ?? ''}:${auth.password ?? ''}`).toString('base64') };
    }
    // Registry-wide in helm: one registry client serves every OCI dependency of the run.
    if (auth.plainHttp) ociFlags.add('--plain-http');
    else if (auth.insecureSkipTLSVerify) ociFlags.add('--insecure-skip-tls-verify');
    if (caFile && !auth.plainHttp) ociFlags.add(`--ca-file=${caFile}`);
  }
  // JSON is YAML: helm reads the repositories file with a YAML parser.
  files.set(repositoriesFile, JSON.stringify({ apiVersion: 'v1', generated: '0001-01-01T00:00:00Z', repositories }));
  files.set(registryFile, JSON.stringify({ auths }));
  return { files, args: ['--repository-config', repositoriesFile, '--registry-config', registryFile, ...ociFlags] };
}

/** `host[:port]` of an `oci://` reference, the key of helm's registry credentials. */
export function ociHost(url: string): string {
  return url.replace(/^oci:\/\//, '').split('/')[0] ?? '';
}
