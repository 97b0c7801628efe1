import { describe, expect, it } from 'vitest';

import { fakeContext, fakeTree, generatorError } from './generator.fixtures.js';
import { evaluateGenerators } from './generator.registry.js';
import { listGenerator } from './list.generator.js';

describe('list generator', () => {
  it('yields each inline element, nested maps kept, in order', async () => {
    const elements = [{ cluster: 'b', cfg: { replicas: 2 } }, { cluster: 'a' }];
    expect(await listGenerator.generate({ elements }, fakeContext(), 'generators[0].list')).toEqual([
      { cluster: 'b', cfg: { replicas: 2 } },
      { cluster: 'a' },
    ]);
  });

  it('yields nothing for an empty list', async () => {
    expect(await listGenerator.generate({ elements: [] }, fakeContext(), 'generators[0].list')).toEqual([]);
  });

  it('reads a YAML list of maps from a GitRepo file at a revision', async () => {
    const ctx = fakeContext({ repos: { infra: fakeTree({ 'envs.yaml': '- env: dev\n- env: prod\n  size: 3\n' }), 'infra@v1': fakeTree({ 'envs.yaml': '[{"env": "old"}]' }) } });
    expect(await listGenerator.generate({ gitRepo: 'infra', file: 'envs.yaml' }, ctx, 'f')).toEqual([{ env: 'dev' }, { env: 'prod', size: 3 }]);
    expect(await listGenerator.generate({ gitRepo: 'infra', file: 'envs.yaml', revision: 'v1' }, ctx, 'f')).toEqual([{ env: 'old' }]);
    expect(ctx.gitReads).toEqual(['infra', 'infra@v1']);
  });

  it('rejects a file whose item is not a map, with the line of the item', async () => {
    const ctx = fakeContext({ repos: { infra: fakeTree({ 'envs.yaml': '- env: dev\n- just-a-string\n' }) } });
    const error = await generatorError(listGenerator.generate({ gitRepo: 'infra', file: 'envs.yaml' }, ctx, 'f'));
    expect(error.reason).toBe('GitFileInvalid');
    expect(error.where).toEqual({ file: 'envs.yaml', line: 2 });
  });

  it('rejects a file that holds a map rather than a list', async () => {
    const ctx = fakeContext({ repos: { infra: fakeTree({ 'envs.yaml': 'env: dev\n' }) } });
    const error = await generatorError(listGenerator.generate({ gitRepo: 'infra', file: 'envs.yaml' }, ctx, 'f'));
    expect(error.reason).toBe('GitFileInvalid');
    expect(error.where.file).toBe('envs.yaml');
  });

  it('propagates a missing file and an unreachable repo instead of yielding nothing', async () => {
    const ctx = fakeContext({ repos: { infra: fakeTree({}) }, unavailable: ['down'] });
    expect((await generatorError(listGenerator.generate({ gitRepo: 'infra', file: 'nope.yaml' }, ctx, 'f'))).reason).toBe('GitFileUnreadable');
    expect((await generatorError(listGenerator.generate({ gitRepo: 'down', file: 'x.yaml' }, ctx, 'f'))).reason).toBe('GitUnavailable');
    expect((await generatorError(listGenerator.generate({ gitRepo: 'ghost', file: 'x.yaml' }, ctx, 'f'))).reason).toBe('GitRepoNotFound');
  });

  it('accepts exactly one of the two forms', async () => {
    const both = await generatorError(evaluateGenerators([{ list: { elements: [], gitRepo: 'infra', file: 'a.yaml' } }], fakeContext()));
    expect(both.reason).toBe('InvalidGenerator');
    expect(both.where.field).toBe('generators[0].list');
    const neither = await generatorError(evaluateGenerators([{ list: {} }], fakeContext()));
    expect(neither.where.field).toBe('generators[0].list');
    const noFile = await generatorError(evaluateGenerators([{ list: { gitRepo: 'infra' } }], fakeContext()));
    expect(noFile.where.field).toBe('generators[0].list.file');
  });

  it('rejects an element that is not a map, naming it', async () => {
    const error = await generatorError(evaluateGenerators([{ list: { elements: [{ a: 1 }, 'x'] } }], fakeContext()));
    expect(error.reason).toBe('InvalidGenerator');
    expect(error.where.field).toBe('generators[0].list.elements[1]');
  });
});
