import { describe, expect, it } from 'vitest';
import type { BundleFile } from '../bundle/bundle-source.types.js';
import { determineKind } from './bundle-kind.rules.js';

const files = (...paths: string[]): BundleFile[] => paths.map((path) => ({ path, content: new Uint8Array() }));

describe('determineKind (Fleet DetermineStyle)', () => {
  it('is raw without a chart or a kustomization', () => {
    expect(determineKind(files('a.yaml', 'fleet.yaml'), {})).toBe('raw');
  });
  it('is helm with a Chart.yaml at the root', () => {
    expect(determineKind(files('Chart.yaml', 'templates/a.yaml'), {})).toBe('helm');
  });
  it('is helm when helm.chart names a path or a remote chart', () => {
    expect(determineKind(files('charts/app/Chart.yaml'), { helm: { chart: './charts/app/' } })).toBe('helm');
    expect(determineKind(files(), { helm: { repo: 'https://charts.example.com', chart: 'app' } })).toBe('helm');
    expect(determineKind(files(), { helm: { chart: 'oci://r.example.com/app' } })).toBe('helm');
  });
  it('helm values alone do not make a helm bundle', () => {
    expect(determineKind(files('a.yaml'), { helm: { values: { a: 1 } } })).toBe('raw');
  });
  it('is kustomize with <kustomize.dir>/kustomization.yaml only', () => {
    expect(determineKind(files('kustomization.yaml'), {})).toBe('kustomize');
    expect(determineKind(files('k/kustomization.yaml'), { kustomize: { dir: 'k' } })).toBe('kustomize');
    expect(determineKind(files('k/kustomization.yaml'), {})).toBe('raw');
    // Fleet looks for kustomization.yaml exactly.
    expect(determineKind(files('kustomization.yml'), {})).toBe('raw');
  });
  it('a chart wins over a kustomization (which then post-renders it)', () => {
    expect(determineKind(files('Chart.yaml', 'kustomization.yaml'), {})).toBe('helm');
  });
});
