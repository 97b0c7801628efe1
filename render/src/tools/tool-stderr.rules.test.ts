import { describe, expect, it } from 'vitest';
import { helmErrorLocation, kustomizeErrorLocation, stderrMessage } from './tool-stderr.rules.js';

describe('tool stderr', () => {
  it('reads helm execute and parse errors, mapping the chart name to its directory', () => {
    expect(helmErrorLocation('Error: template: demo/templates/cm.yaml:3:5: executing "x"', '')).toEqual({ file: 'templates/cm.yaml', line: 3 });
    expect(helmErrorLocation('Error: parse error at (demo/templates/cm.yaml:7): bad', 'charts/app')).toEqual({ file: 'charts/app/templates/cm.yaml', line: 7 });
    expect(helmErrorLocation('Error: something else', '')).toEqual({});
  });
  it('reads the first path inside the tree from kustomize errors', () => {
    expect(kustomizeErrorLocation("accumulating resources from 'x': lstat /t/tree/base/missing.yaml: no such file", '/t/tree')).toEqual({ file: 'base/missing.yaml' });
    expect(kustomizeErrorLocation('no path here', '/t/tree')).toEqual({});
  });
  it('bounds and trims messages', () => {
    expect(stderrMessage('Error: boom\n')).toBe('boom');
    expect(stderrMessage('x'.repeat(10_000)).length).toBeLessThan(4100);
  });
});
