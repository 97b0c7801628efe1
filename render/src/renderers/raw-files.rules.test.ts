import { describe, expect, it } from 'vitest';
import { selectRawFiles } from './raw-files.rules.js';

describe('selectRawFiles', () => {
  it('picks yaml/yml/json, leaving out fleet.yaml, values files, kustomizations and nested bundles or charts', () => {
    const paths = ['a.yaml', 'b.yml', 'c.json', 'fleet.yaml', 'README.md', 'values/prod.yaml', 'sub/kustomization.yaml', 'nested/fleet.yaml', 'nested/x.yaml', 'chart/Chart.yaml', 'chart/y.yaml', 'templates/t.yaml'];
    expect(selectRawFiles(paths, { helm: { valuesFiles: ['./values/prod.yaml'] } })).toEqual({
      manifests: ['a.yaml', 'b.yml', 'c.json'],
      templates: ['templates/t.yaml'],
    });
  });
});
