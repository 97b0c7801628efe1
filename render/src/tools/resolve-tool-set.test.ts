import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { resolveToolSet } from './resolve-tool-set.js';

describe('resolveToolSet', () => {
  afterEach(() => vi.unstubAllEnvs());
  it('explicit path > environment > PATH > bare name, with default limits and cache', async () => {
    vi.stubEnv('FLOTILLA_HELM', '/env/helm');
    vi.stubEnv('FLOTILLA_KUSTOMIZE', '');
    vi.stubEnv('PATH', '/nonexistent-dir');
    expect(await resolveToolSet({ helm: '/explicit/helm' })).toMatchObject({ helm: '/explicit/helm', kustomize: 'kustomize' });
    const set = await resolveToolSet({ limits: { timeoutMs: 5 } });
    expect(set.helm).toBe('/env/helm');
    expect(set.limits).toEqual({ timeoutMs: 5, maxOutputBytes: 64 * 1024 * 1024 });
    expect(set.chartCacheDir).toBe(path.join(os.homedir(), '.cache', 'flotilla', 'charts'));
  });
  it('finds a binary on PATH, skipping non-executables', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-path-'));
    const notExec = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-path-'));
    fs.writeFileSync(path.join(dir, 'kustomize'), '#!/bin/sh\n', { mode: 0o755 });
    fs.writeFileSync(path.join(notExec, 'kustomize'), '', { mode: 0o644 });
    vi.stubEnv('FLOTILLA_KUSTOMIZE', '');
    vi.stubEnv('PATH', `${notExec}${path.delimiter}${dir}`);
    expect((await resolveToolSet()).kustomize).toBe(path.join(dir, 'kustomize'));
    fs.rmSync(dir, { recursive: true });
    fs.rmSync(notExec, { recursive: true });
  });
});
