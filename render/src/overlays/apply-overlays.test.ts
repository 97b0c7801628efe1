import { describe, expect, it } from 'vitest';
import type { BundleFile } from '../bundle/bundle-source.types.js';
import type { ToolSet } from '../tools/tool-set.types.js';
import { applyOverlays } from './apply-overlays.js';

const f = (path: string, text: string): BundleFile => ({ path, content: new TextEncoder().encode(text) });
const text = (files: BundleFile[], path: string) => new TextDecoder().decode(files.find((x) => x.path === path)?.content);
// JSON and merge patches need no tool.
const ctx = { tools: {} as ToolSet, workDir: '/nonexistent' };

describe('applyOverlays', () => {
  it('drops overlays/ even without overlays', async () => {
    expect((await applyOverlays([f('a.yaml', ''), f('overlays/x/a.yaml', '')], undefined, ctx)).map((x) => x.path)).toEqual(['a.yaml']);
  });
  it('applies overlays in list order: a later replacement wins, a later patch sees it', async () => {
    const out = await applyOverlays(
      [f('a.yaml', 'v: base\n'), f('overlays/one/a.yaml', 'v: one\n'), f('overlays/two/a_patch.yaml', 'w: two\n')],
      ['one', 'two'],
      ctx,
    );
    expect(JSON.parse(text(out, 'a.yaml'))).toEqual({ v: 'one', w: 'two' });
  });
  it('refuses a patch of a multi-document file', async () => {
    await expect(applyOverlays([f('a.yaml', 'a: 1\n---\nb: 2\n'), f('overlays/x/a_patch.yaml', 'c: 3\n')], ['x'], ctx)).rejects.toMatchObject({ reason: 'OverlayFailed', location: { file: 'a.yaml' } });
  });
});
