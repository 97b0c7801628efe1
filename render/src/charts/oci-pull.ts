/**
 * `helm pull oci://… --version V` into a temporary directory and returns the archive.
 * helm gets its own config/cache homes there; credentials go through
 * `helm registry login --password-stdin` (never on a command line).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { RenderError } from '../render.error.js';
import type { ToolSet } from '../tools/tool-set.types.js';
import type { ChartRepositoryAuth } from './chart-fetch.js';
import { runChartProcess } from './chart-process.js';

export async function pullOciChart(ref: string, version: string | undefined, tools: ToolSet, auth: ChartRepositoryAuth | undefined, signal?: AbortSignal): Promise<Buffer> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-oci-'));
  try {
    const env = { ...process.env, HELM_CONFIG_HOME: path.join(tmp, 'config'), HELM_CACHE_HOME: path.join(tmp, 'cache'), HELM_DATA_HOME: path.join(tmp, 'data') };
    const registryConfig = path.join(tmp, 'registry.json');
    const tlsArgs: string[] = [];
    if (auth?.plainHttp) tlsArgs.push('--plain-http');
    else if (auth?.insecureSkipTLSVerify) tlsArgs.push('--insecure-skip-tls-verify');
    if (auth?.caBundle && !auth.plainHttp) {
      fs.writeFileSync(path.join(tmp, 'ca.pem'), auth.caBundle);
      tlsArgs.push('--ca-file', path.join(tmp, 'ca.pem'));
    }
    const run = (args: string[], input?: string) =>
      runChartProcess(tools.helm, args, { timeoutMs: tools.limits.timeoutMs, maxOutputBytes: tools.limits.maxOutputBytes, env, ...(input !== undefined ? { input } : {}), ...(signal ? { signal } : {}) });
    if (auth?.username) {
      const host = ref.replace(/^oci:\/\//, '').split('/')[0] ?? '';
      const loginTls = auth.plainHttp || auth.insecureSkipTLSVerify ? ['--insecure'] : [];
      const login = await run(['registry', 'login', host, '--username', auth.username, '--password-stdin', '--registry-config', registryConfig, ...loginTls], auth.password ?? '');
      if (login.code !== 0) throw new RenderError('ChartFetchFailed', `login to ${host} failed: ${login.stderr.trim()}`, { field: 'helm.repo' });
    }
    const dest = path.join(tmp, 'out');
    fs.mkdirSync(dest);
    const args = ['pull', ref, '--destination', dest, '--registry-config', registryConfig, ...tlsArgs, ...(version ? ['--version', version] : [])];
    const res = await run(args);
    if (res.code !== 0) {
      const field = /version|not found|manifest unknown/i.test(res.stderr) && version ? 'helm.version' : 'helm.chart';
      throw new RenderError('ChartFetchFailed', `helm pull ${ref}${version ? ` --version ${version}` : ''} failed: ${res.stderr.trim()}`, { field });
    }
    const tgz = fs.readdirSync(dest).find((f) => f.endsWith('.tgz'));
    if (!tgz) throw new RenderError('ChartFetchFailed', `helm pull ${ref} produced no chart archive`, { field: 'helm.chart' });
    const file = path.join(dest, tgz);
    if (fs.statSync(file).size > tools.limits.maxOutputBytes) {
      throw new RenderError('ChartFetchFailed', `chart ${ref} is larger than ${tools.limits.maxOutputBytes} bytes`, { field: 'helm.chart' });
    }
    return fs.readFileSync(file);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
