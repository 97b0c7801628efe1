import { describe, expect, it } from 'vitest';
import { overlayEntries, patchTarget } from './overlay-paths.rules.js';

describe('overlay paths', () => {
  it('maps _patch. files to their target, keeping the directory', () => {
    expect(patchTarget('cm_patch.yaml')).toBe('cm.yaml');
    expect(patchTarget('sub/deploy_patch.json')).toBe('sub/deploy.json');
    expect(patchTarget('cm.yaml')).toBeUndefined();
  });
  it('lists one overlay’s files as bundle paths', () => {
    expect(overlayEntries(['overlays/a/x.yaml', 'overlays/ab/y.yaml', 'z.yaml', 'overlays/a/s/t.yaml'], 'a')).toEqual([
      { source: 'overlays/a/s/t.yaml', name: 's/t.yaml' },
      { source: 'overlays/a/x.yaml', name: 'x.yaml' },
    ]);
  });
});
