import { describe, expect, it } from 'vitest';

import { fakeContext, fakeTree, generatorError } from './generator.fixtures.js';
import { evaluateGenerators } from './generator.registry.js';
import { gitFilesGenerator } from './git-files.generator.js';
import { MAX_PARAM_FILE_BYTES } from './param-file.parser.js';

function ctxWith(files: Record<string, string>) {
  return fakeContext({ repos: { cfg: fakeTree(files) } });
}

async function generate(files: Record<string, string>, patterns: { path: string; exclude?: boolean }[]) {
  return gitFilesGenerator.generate({ gitRepo: 'cfg', files: patterns }, ctxWith(files), 'f');
}

describe('gitFiles generator', () => {
  it('turns a YAML map into one set with argo-cd goTemplate path params', async () => {
    const sets = await generate({ 'clusters/Paris_1/config.yaml': 'cluster:\n  name: paris\nreplicas: 3\n' }, [{ path: 'clusters/*/config.yaml' }]);
    expect(sets).toEqual([
      {
        cluster: { name: 'paris' },
        replicas: 3,
        path: {
          path: 'clusters/Paris_1',
          basename: 'Paris_1',
          filename: 'config.yaml',
          basenameNormalized: 'paris-1',
          filenameNormalized: 'config.yaml',
          segments: ['clusters', 'Paris_1'],
        },
      },
    ]);
  });

  it('turns a JSON list into one set per element, files in sorted order', async () => {
    const sets = await generate({ 'b/list.json': '[{"n": 1}, {"n": 2}]', 'a/one.json': '{"n": 0}' }, [{ path: '**/*.json' }]);
    expect(sets.map((s) => [s['n'], (s['path'] as { path: string }).path])).toEqual([[0, 'a'], [1, 'b'], [2, 'b']]);
  });

  it('gives a root-level file the path "." and an empty file a set with only path, as argo-cd', async () => {
    const sets = await generate({ 'empty.yaml': '' }, [{ path: '*.yaml' }]);
    expect(sets).toEqual([{ path: { path: '.', basename: '.', filename: 'empty.yaml', basenameNormalized: '', filenameNormalized: 'empty.yaml', segments: ['.'] } }]);
  });

  it('matches doublestar globs and lets excludes win', async () => {
    const files = { 'a/x.yaml': 'k: 1', 'a/b/x.yaml': 'k: 2', 'a/b/skip.yaml': 'k: 3', 'c.yaml': 'k: 4' };
    const keys = async (patterns: { path: string; exclude?: boolean }[]) => (await generate(files, patterns)).map((s) => s['k']);
    expect(await keys([{ path: 'a/*.yaml' }])).toEqual([1]);
    expect(await keys([{ path: 'a/**/*.yaml' }])).toEqual([3, 2, 1]);
    expect(await keys([{ path: '**/skip.yaml', exclude: true }, { path: '**/*.yaml' }])).toEqual([2, 1, 4]);
  });

  it('reports a YAML syntax error as GitFileInvalid with file and 1-based line', async () => {
    const error = await generatorError(generate({ 'bad/config.yaml': 'a: 1\nb: [unclosed\nc: 3\n' }, [{ path: 'bad/*.yaml' }]));
    expect(error.reason).toBe('GitFileInvalid');
    expect(error.where.file).toBe('bad/config.yaml');
    // yaml reports the unclosed flow sequence where it notices it: the next line.
    expect(error.where.line).toBe(3);
    const json = await generatorError(generate({ 'x.json': '{\n  "a": 1,\n  "a": 2\n}' }, [{ path: '*.json' }]));
    expect(json.where).toEqual({ file: 'x.json', line: 3 });
  });

  it('rejects a scalar file and a list holding a scalar, naming the file', async () => {
    const scalar = await generatorError(generate({ 's.yaml': 'just text' }, [{ path: '*.yaml' }]));
    expect(scalar.reason).toBe('GitFileInvalid');
    expect(scalar.where.file).toBe('s.yaml');
    const mixed = await generatorError(generate({ 'l.yaml': '- a: 1\n- 42\n' }, [{ path: '*.yaml' }]));
    expect(mixed.where).toEqual({ file: 'l.yaml', line: 2 });
  });

  it('bounds file size and alias expansion', async () => {
    const big = await generatorError(generate({ 'big.yaml': `a: "${'x'.repeat(MAX_PARAM_FILE_BYTES)}"` }, [{ path: '*.yaml' }]));
    expect(big.reason).toBe('GitFileInvalid');
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
    for (const [i, prev] of ['a', 'b', 'c', 'd', 'e', 'f', 'g'].entries()) {
      const next = String.fromCharCode(98 + i);
      bomb.push(`${next}: &${next} [${Array(10).fill(`*${prev}`).join(',')}]`);
    }
    const aliases = await generatorError(generate({ 'bomb.yaml': bomb.join('\n') }, [{ path: '*.yaml' }]));
    expect(aliases.reason).toBe('GitFileInvalid');
    expect(aliases.where.file).toBe('bomb.yaml');
  });

  it('rejects a pattern-less spec at its field, and propagates an unknown repo', async () => {
    const ctx = ctxWith({});
    const none = await generatorError(evaluateGenerators([{ gitFiles: { gitRepo: 'cfg', files: [] } }], ctx));
    expect(none.where.field).toBe('generators[0].gitFiles.files');
    const repo = await generatorError(evaluateGenerators([{ gitFiles: { gitRepo: 'nope', files: [{ path: '*' }] } }], ctx));
    expect(repo.reason).toBe('GitRepoNotFound');
  });
});
