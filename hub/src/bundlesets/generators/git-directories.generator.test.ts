import { describe, expect, it } from 'vitest';

import { fakeContext, fakeTree, generatorError } from './generator.fixtures.js';
import { evaluateGenerators } from './generator.registry.js';
import { gitDirectoriesGenerator } from './git-directories.generator.js';

const tree = fakeTree(
  { 'apps/web/fleet.yaml': '', 'apps/api/fleet.yaml': '', 'apps/api/sub/x.yaml': '', 'apps/Legacy_App/x': '', 'apps/.hidden/x': '', 'README.md': '' },
  ['apps/empty', '.github/workflows'],
);
const ctx = fakeContext({ repos: { apps: tree, 'apps@v2': fakeTree({ 'apps/v2only/a': '' }) } });

async function dirs(directories: { path: string; exclude?: boolean }[], revision?: string): Promise<string[]> {
  const sets = await gitDirectoriesGenerator.generate({ gitRepo: 'apps', directories, ...(revision ? { revision } : {}) }, ctx, 'f');
  return sets.map((s) => (s['path'] as { path: string }).path);
}

describe('gitDirectories generator', () => {
  it('yields argo-cd goTemplate path params for each matching directory, sorted', async () => {
    const sets = await gitDirectoriesGenerator.generate({ gitRepo: 'apps', directories: [{ path: 'apps/*' }] }, ctx, 'f');
    expect(sets).toEqual([
      { path: { path: 'apps/Legacy_App', basename: 'Legacy_App', basenameNormalized: 'legacy-app', segments: ['apps', 'Legacy_App'] } },
      { path: { path: 'apps/api', basename: 'api', basenameNormalized: 'api', segments: ['apps', 'api'] } },
      { path: { path: 'apps/empty', basename: 'empty', basenameNormalized: 'empty', segments: ['apps', 'empty'] } },
      { path: { path: 'apps/web', basename: 'web', basenameNormalized: 'web', segments: ['apps', 'web'] } },
    ]);
  });

  it('matches like Go path.Match: * stays in one segment, ** is no globstar', async () => {
    expect(await dirs([{ path: 'apps/*/*' }])).toEqual(['apps/api/sub']);
    expect(await dirs([{ path: 'apps/**' }])).toEqual(['apps/Legacy_App', 'apps/api', 'apps/empty', 'apps/web']);
    expect(await dirs([{ path: 'apps/[aw]*' }])).toEqual(['apps/api', 'apps/web']);
    expect(await dirs([{ path: 'apps/{api,web}' }])).toEqual([]);
  });

  it('lets an exclude win whatever the order', async () => {
    expect(await dirs([{ path: 'apps/web', exclude: true }, { path: 'apps/*' }, { path: 'apps/empty', exclude: true }])).toEqual(['apps/Legacy_App', 'apps/api']);
  });

  it('skips hidden directories and what is under them, as argo-cd', async () => {
    expect(await dirs([{ path: '*' }, { path: '*/*' }])).toEqual(['apps', 'apps/Legacy_App', 'apps/api', 'apps/empty', 'apps/web']);
  });

  it('reads the tree at the revision override', async () => {
    expect(await dirs([{ path: 'apps/*' }], 'v2')).toEqual(['apps/v2only']);
  });

  it('propagates a failed git read', async () => {
    const down = fakeContext({ unavailable: ['apps'] });
    const error = await generatorError(gitDirectoriesGenerator.generate({ gitRepo: 'apps', directories: [{ path: '*' }] }, down, 'f'));
    expect(error.reason).toBe('GitUnavailable');
  });

  it('rejects an empty pattern and an empty list at their fields', async () => {
    const empty = await generatorError(evaluateGenerators([{ gitDirectories: { gitRepo: 'apps', directories: [{ path: '' }] } }], ctx));
    expect(empty.where.field).toBe('generators[0].gitDirectories.directories[0].path');
    const none = await generatorError(evaluateGenerators([{ gitDirectories: { gitRepo: 'apps', directories: [] } }], ctx));
    expect(none.where.field).toBe('generators[0].gitDirectories.directories');
  });
});
