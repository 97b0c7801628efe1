import { mkdir, mkdtemp, rm, symlink, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RenderError } from '../render.error.js';
import { loadBundleDir } from './bundle-dir.loader.js';
import { bundleDigest } from './bundle-digest.js';
import { discoverBundles } from './discover-bundles.js';

let tmp: string;
beforeEach(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'flotilla-load-'));
});
afterEach(async () => {
  await rm(tmp, { recursive: true, force: true });
});

async function put(path: string, text: string): Promise<void> {
  await mkdir(dirname(join(tmp, path)), { recursive: true });
  await writeFile(join(tmp, path), text);
}

async function rejection(promise: Promise<unknown>): Promise<RenderError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (error instanceof RenderError) return error;
  throw new Error(`expected a RenderError, got ${String(error)}`);
}

describe('loadBundleDir', () => {
  it('names the bundle after the directory, fleet.yaml `name` or options.name, in that order of strength', async () => {
    await put('My_App/cm.yaml', 'a: 1\n');
    expect((await loadBundleDir(join(tmp, 'My_App'))).name).toMatch(/^my-app-[0-9a-f]{8}$/);
    await put('My_App/fleet.yaml', 'name: from-yaml\n');
    expect((await loadBundleDir(join(tmp, 'My_App'))).name).toBe('from-yaml');
    expect((await loadBundleDir(join(tmp, 'My_App'), { name: 'given' })).name).toBe('given');
  });

  it('reads fleet.yaml before fleet.yml and ships neither', async () => {
    await put('fleet.yaml', 'defaultNamespace: a\n');
    await put('fleet.yml', 'defaultNamespace: b\n');
    await put('cm.yaml', 'a: 1\n');
    const source = await loadBundleDir(tmp);
    expect([source.fleetYaml.defaultNamespace, source.fleetYamlFile]).toEqual(['a', 'fleet.yaml']);
    expect(source.files.map((f) => f.path)).toEqual(['cm.yaml']);
  });

  it('skips .git and dot files', async () => {
    await put('.git/config.yaml', 'x: 1\n');
    await put('.hidden.yaml', 'x: 1\n');
    await put('cm.yaml', 'a: 1\n');
    expect((await loadBundleDir(tmp)).files.map((f) => f.path)).toEqual(['cm.yaml']);
  });

  it('a nonexistent directory is InvalidBundle', async () => {
    expect((await rejection(loadBundleDir(join(tmp, 'nope')))).reason).toBe('InvalidBundle');
  });

  it('refuses a symlink that escapes the bundle, reads one that stays inside', async () => {
    await put('b/real.yaml', 'a: 1\n');
    await put('outside.yaml', 'secret: 1\n');
    await symlink('real.yaml', join(tmp, 'b/link.yaml'));
    const inside = await loadBundleDir(join(tmp, 'b'));
    expect(inside.files.map((f) => [f.path, Buffer.from(f.content).toString()])).toEqual([
      ['link.yaml', 'a: 1\n'],
      ['real.yaml', 'a: 1\n'],
    ]);
    await symlink('../outside.yaml', join(tmp, 'b/escape.yaml'));
    const error = await rejection(loadBundleDir(join(tmp, 'b')));
    expect([error.reason, error.location.file]).toEqual(['InvalidBundle', 'escape.yaml']);
  });

  it('fails fast on a 100 MiB file, naming it, without reading it', async () => {
    await put('big/huge.yaml', '');
    await truncate(join(tmp, 'big/huge.yaml'), 100 * 1024 * 1024);
    const error = await rejection(loadBundleDir(join(tmp, 'big')));
    expect([error.reason, error.location.file]).toEqual(['OutputTooLarge', 'huge.yaml']);
    expect(error.message).toContain(String(16 * 1024 * 1024));
  });

  it('enforces maxFiles and maxTotalBytes', async () => {
    await put('a.yaml', 'a: 1\n');
    await put('b.yaml', 'b: 1\n');
    expect((await rejection(loadBundleDir(tmp, { limits: { maxFiles: 1 } }))).location.file).toBe('b.yaml');
    expect((await rejection(loadBundleDir(tmp, { limits: { maxTotalBytes: 7 } }))).reason).toBe('OutputTooLarge');
  });
});

describe('discoverBundles errors', () => {
  it('names the file of a too-large manifest relative to the root', async () => {
    await put('apps/web/fleet.yaml', '{}\n');
    await put('apps/web/big.yaml', 'x: 1\n');
    const error = await rejection(discoverBundles(tmp, { limits: { maxFileBytes: 2 } }));
    expect([error.reason, error.location.file]).toEqual(['OutputTooLarge', 'apps/web/big.yaml']);
  });

  it('a bad fleet.yaml is reported with its path from the root', async () => {
    await put('apps/web/fleet.yaml', 'helm: 3\n');
    await put('apps/web/a.yaml', 'x: 1\n');
    const error = await rejection(discoverBundles(tmp));
    expect([error.reason, error.location.file, error.location.field]).toEqual(['InvalidFleetYaml', 'apps/web/fleet.yaml', 'helm']);
  });

  it('no bundle at all fails like Fleet ("no resource found")', async () => {
    await put('README.md', 'x\n');
    expect((await rejection(discoverBundles(tmp))).reason).toBe('InvalidBundle');
  });

  it('a path glob leaving the root is refused', async () => {
    expect((await rejection(discoverBundles(tmp, { paths: ['../x'] }))).reason).toBe('InvalidBundle');
  });
});

describe('discoverBundles warnings', () => {
  it('drops a directory whose fleet.yaml has nothing to deploy, with a warning (Fleet ErrNoResources)', async () => {
    await put('empty/fleet.yaml', 'defaultNamespace: x\n');
    await put('chart/fleet.yaml', 'helm:\n  chart: oci://example.com/c\n');
    const { bundles, warnings } = await discoverBundles(tmp, { namePrefix: 'gr' });
    expect(bundles.map((b) => b.name)).toEqual(['gr-chart']);
    expect(warnings.map((w) => w.location.file)).toEqual(['empty']);
  });

  it('two bundles with one name: the later wins, with a warning', async () => {
    await put('a/fleet.yaml', 'name: same\n');
    await put('a/x.yaml', 'x: 1\n');
    await put('b/fleet.yaml', 'name: same\n');
    await put('b/x.yaml', 'x: 1\n');
    const { bundles, warnings } = await discoverBundles(tmp);
    expect(bundles.map((b) => b.path)).toEqual(['b']);
    expect(warnings).toHaveLength(1);
  });
});

describe('bundleDigest', () => {
  it('frames paths and contents unambiguously', () => {
    const enc = (s: string) => new TextEncoder().encode(s);
    expect(bundleDigest([{ path: 'ab', content: enc('c') }])).not.toBe(bundleDigest([{ path: 'a', content: enc('bc') }]));
    expect(bundleDigest([{ path: 'a', content: enc('x') }])).toBe(bundleDigest([{ path: 'a', content: enc('x') }]));
  });
});

describe('the digest of a loaded bundle', () => {
  it('changes with fleet.yaml alone (it shapes every render though it is not one of the files)', async () => {
    await put('b/cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: a }\n');
    await put('b/fleet.yaml', 'defaultNamespace: one\n');
    const first = await loadBundleDir(join(tmp, 'b'));
    await put('b/fleet.yaml', 'defaultNamespace: two\n');
    const second = await loadBundleDir(join(tmp, 'b'));
    expect(second.files).toEqual(first.files);
    expect(second.digest).not.toBe(first.digest);
    expect((await loadBundleDir(join(tmp, 'b'))).digest).toBe(second.digest);
  });
});
