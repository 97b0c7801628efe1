import { describe, expect, it } from 'vitest';
import { applyTemplatePatch } from './template-patch.js';

describe('applyTemplatePatch', () => {
  const base = { name: '{{ .app }}', gitRepo: 'src', helm: { values: { a: 1, nested: { x: 1, y: 2 } }, valuesFiles: ['one.yaml'] }, targets: [{ clusterName: 'c1' }] };

  it('merges maps key by key and replaces lists and scalars', () => {
    expect(applyTemplatePatch(base, { namespace: 'prod', helm: { values: { nested: { y: 3 } }, valuesFiles: ['two.yaml'] }, targets: [{ clusterGroup: 'g' }] })).toEqual({
      name: '{{ .app }}',
      gitRepo: 'src',
      namespace: 'prod',
      helm: { values: { a: 1, nested: { x: 1, y: 3 } }, valuesFiles: ['two.yaml'] },
      targets: [{ clusterGroup: 'g' }],
    });
  });

  it('leaves the template alone without a patch, and never changes it in place', () => {
    expect(applyTemplatePatch(base, undefined)).toBe(base);
    const copy = structuredClone(base);
    applyTemplatePatch(base, { helm: { values: { a: 2 } } });
    expect(base).toEqual(copy);
  });
});
