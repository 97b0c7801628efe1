import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RenderError } from '../render.error.js';
import { loadBundleDir } from './bundle-dir.loader.js';
import { memoryFs } from './bundle-fs.js';

let tmp: string;
beforeEach(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'flotilla-memfs-'));
});
afterEach(async () => {
  await rm(tmp, { recursive: true, force: true });
});

/** A bundle tree that exercises every rule of the walk: fleet.yaml, nested bundles, .fleetignore, dot files. */
const TREE: Record<string, string> = {
  'fleet.yaml': 'defaultNamespace: web\nhelm:\n  releaseName: web\n',
  'deploy.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: a }\n',
  'sub/svc.yaml': 'apiVersion: v1\nkind: Service\nmetadata: { name: s }\n',
  'sub/deep/x.json': '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x"}}',
  'nested/fleet.yaml': 'name: other\n',
  'nested/cm.yaml': 'a: 1\n',
  '.fleetignore': 'ignored.yaml\nskip\n',
  'ignored.yaml': 'b: 2\n',
  'skip/y.yaml': 'c: 3\n',
  '.hidden/z.yaml': 'd: 4\n',
  'sub/.dot.yaml': 'e: 5\n',
};

describe('memoryFs', () => {
  it('reads an in-memory tree exactly as the same files on disk: files, digest, fleet.yaml and warnings', async () => {
    for (const [path, text] of Object.entries(TREE)) {
      await mkdir(dirname(join(tmp, path)), { recursive: true });
      await writeFile(join(tmp, path), text);
    }
    const files = Object.entries(TREE).map(([path, text]) => ({ path, content: Buffer.from(text) }));
    const fromDisk = await loadBundleDir(tmp, { name: 'web' });
    const fromMemory = await loadBundleDir('/', { name: 'web', fs: memoryFs(files) });
    expect(fromMemory).toEqual(fromDisk);
    expect(fromMemory.files.map((f) => f.path)).toEqual(['deploy.yaml', 'sub/deep/x.json', 'sub/svc.yaml']);
  });

  it('applies the same limits, naming the file', async () => {
    const files = [{ path: 'big.yaml', content: Buffer.alloc(2048, 'a') }];
    const error = await loadBundleDir('/', { name: 'b', fs: memoryFs(files), limits: { maxFileBytes: 1024 } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RenderError);
    expect(error).toMatchObject({ reason: 'OutputTooLarge', location: { file: 'big.yaml' } });
  });

  it('reports a malformed fleet.yaml with its file and line, as from disk', async () => {
    const files = [{ path: 'fleet.yaml', content: Buffer.from('defaultNamespace: web\nhelm: [unclosed\n') }, { path: 'a.yaml', content: Buffer.from('a: 1\n') }];
    const error = await loadBundleDir('/', { name: 'b', fs: memoryFs(files) }).catch((e: unknown) => e);
    expect(error).toMatchObject({ reason: 'InvalidFleetYaml', location: { file: 'fleet.yaml', line: 3 } });
  });
});
