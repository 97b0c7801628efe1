/**
 * Clear errors: a component crashing at start, a port in use, a failing
 * build and a missing Go toolchain each give a typed error with a reason code,
 * the component's name and its log tail — and leave nothing behind.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CLUSTER_TOOLS, ClusterStartError, ToolBuildError, ensureTools, processesMentioning, startCluster } from './index.ts';

const TEST_TIMEOUT = 120_000;

function leftovers(name: string): { dirs: string[]; pids: number[] } {
  const prefix = `flotilla-${name}-`;
  return {
    dirs: fs.readdirSync(os.tmpdir()).filter((d) => d.startsWith(prefix)),
    pids: processesMentioning(path.join(os.tmpdir(), prefix)),
  };
}

describe('clear start errors', () => {
  beforeAll(async () => {
    await ensureTools(CLUSTER_TOOLS['api-only']);
  }, 60 * 60_000);

  it('names the component that crashed and shows its log tail', async () => {
    const name = `bad-flag-${randomBytes(3).toString('hex')}`;
    const err = await startCluster({ name, extraArgs: { 'kube-apiserver': ['--no-such-flag=1'] } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ClusterStartError);
    const e = err as ClusterStartError;
    expect(e.reason).toBe('ComponentCrashed');
    expect(e.component).toBe('kube-apiserver');
    expect(e.cluster).toBe(name);
    expect(e.logTail).toContain('unknown flag: --no-such-flag');
    expect(e.message).toContain('kube-apiserver exited with code');
    expect(e.message).toContain('unknown flag: --no-such-flag');
    expect(leftovers(name)).toEqual({ dirs: [], pids: [] });
  }, TEST_TIMEOUT);

  it('reports a port in use with the log tail', async () => {
    const name = `busy-port-${randomBytes(3).toString('hex')}`;
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const err = await startCluster({ name, ports: { apiserver: port } }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ClusterStartError);
      const e = err as ClusterStartError;
      expect(e.reason).toBe('PortInUse');
      expect(e.component).toBe('kube-apiserver');
      expect(e.logTail).toMatch(/address already in use/);
      expect(e.message).toContain(String(port));
    } finally {
      blocker.close();
    }
    expect(leftovers(name)).toEqual({ dirs: [], pids: [] });
  }, TEST_TIMEOUT);

  it('reports a readiness timeout naming the component waited for', async () => {
    const name = `slow-${randomBytes(3).toString('hex')}`;
    const err = await startCluster({ name, readyTimeoutMs: 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ClusterStartError);
    const e = err as ClusterStartError;
    expect(e.reason).toBe('ReadyTimeout');
    // The deadline passed before the first check: the first component not ready at its first check is named
    // (usually etcd; on a fast machine etcd answers at once and kube-apiserver is the one waited for).
    expect(['etcd', 'kube-apiserver']).toContain(e.component);
    expect(e.message).toContain(`timed out waiting for ${e.component}`);
    expect(leftovers(name)).toEqual({ dirs: [], pids: [] });
  }, TEST_TIMEOUT);
});

describe('clear build errors', () => {
  const saved = { GO: process.env.GO, FLOTILLA_CLUSTER_CACHE: process.env.FLOTILLA_CLUSTER_CACHE };
  let tmp: string;

  afterEach(() => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('GoMissing when the binaries are not cached and there is no Go', async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-cache-test-'));
    process.env.FLOTILLA_CLUSTER_CACHE = tmp; // an empty cache
    process.env.GO = path.join(tmp, 'no-such-go');
    const err = await ensureTools(['helm']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ToolBuildError);
    expect((err as ToolBuildError).reason).toBe('GoMissing');
    expect((err as Error).message).toContain('no-such-go');
  });

  it('BuildFailed names the build and shows the compiler output', async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-cache-test-'));
    process.env.FLOTILLA_CLUSTER_CACHE = tmp;
    const fakeGo = path.join(tmp, 'go');
    fs.writeFileSync(fakeGo, '#!/bin/sh\necho "main.go:1:1: simulated compile error" >&2\nexit 1\n', { mode: 0o755 });
    process.env.GO = fakeGo;
    const err = await ensureTools(['kustomize']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ToolBuildError);
    const e = err as ToolBuildError;
    expect(e.reason).toBe('BuildFailed');
    expect(e.component).toBe('go build kustomize');
    expect(e.logTail).toContain('simulated compile error');
    expect(e.message).toContain('simulated compile error');
  });
});
