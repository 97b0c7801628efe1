import { describe, expect, it } from 'vitest';
import { RenderError } from '../render.error.js';
import { declaredDependencies, dependencyLocation, dependencySource, missingDependencies, type DeclaredDependency } from './chart-dependencies.rules.js';

const chartYaml = `apiVersion: v2
name: shop
version: 1.0.0
dependencies:
  - name: redis
    version: 19.x
    repository: https://charts.example.com/bitnami/
    alias: cache
  - name: common
    version: 2
    repository: file://../common
  - name: vendored
    version: 1.0.0
`;

const dep = (repository: string): DeclaredDependency => ({ index: 0, name: 'lib', version: '1.0.0', repository, declaredIn: 'Chart.yaml', line: 5 });

describe('declaredDependencies (Helm loader rules)', () => {
  it('reads name, version (numbers as text), repository and the line of each entry', () => {
    expect(declaredDependencies(chartYaml, undefined)).toEqual({
      chartName: 'shop',
      dependencies: [
        { index: 0, name: 'redis', version: '19.x', repository: 'https://charts.example.com/bitnami/', declaredIn: 'Chart.yaml', line: 5 },
        { index: 1, name: 'common', version: '2', repository: 'file://../common', declaredIn: 'Chart.yaml', line: 9 },
        { index: 2, name: 'vendored', version: '1.0.0', repository: '', declaredIn: 'Chart.yaml', line: 12 },
      ],
    });
  });

  it("takes requirements.yaml's list when it has one (apiVersion v1), else Chart.yaml's", () => {
    const v1 = 'apiVersion: v1\nname: legacy\nversion: 0.1.0\n';
    const req = 'dependencies:\n  - name: lib\n    version: ">=1"\n    repository: file://../lib\n';
    expect(declaredDependencies(v1, req).dependencies).toEqual([{ index: 0, name: 'lib', version: '>=1', repository: 'file://../lib', declaredIn: 'requirements.yaml', line: 2 }]);
    expect(declaredDependencies(chartYaml, '# nothing here\n').dependencies).toHaveLength(3);
  });

  it('gives nothing for text that is not a YAML map (helm reports the chart error)', () => {
    expect(declaredDependencies('name: [', undefined)).toEqual({ chartName: '', dependencies: [] });
    expect(declaredDependencies('- a\n', undefined).dependencies).toEqual([]);
  });
});

describe('missingDependencies (Helm CheckDependencies)', () => {
  it('matches subcharts in charts/ by chart name, not alias', () => {
    const { dependencies } = declaredDependencies(chartYaml, undefined);
    expect(missingDependencies(dependencies, new Set(['redis', 'vendored'])).map((d) => d.name)).toEqual(['common']);
    expect(missingDependencies(dependencies, new Set(['cache', 'common', 'vendored'])).map((d) => d.name)).toEqual(['redis']);
  });
});

describe('dependencySource', () => {
  const inBundle = { inBundle: 'apps/shop' };
  it('resolves file:// against the chart directory and keeps it inside the bundle', () => {
    expect(dependencySource(dep('file://../common'), inBundle, 'shop')).toEqual({ kind: 'file', dir: 'apps/common' });
    expect(dependencySource(dep('file://./libs/x/'), inBundle, 'shop')).toEqual({ kind: 'file', dir: 'apps/shop/libs/x' });
    expect(dependencySource(dep('file://../..'), inBundle, 'shop')).toEqual({ kind: 'file', dir: '' });
  });

  it.each(['file://../../../etc', 'file:///etc/charts', 'file://../../x/../../y'])('refuses %s: outside the bundle, at the Chart.yaml line', (repo) => {
    const e = (() => {
      try {
        dependencySource(dep(repo), inBundle, 'shop');
      } catch (error) {
        return error as RenderError;
      }
      throw new Error('expected an error');
    })();
    expect(e).toBeInstanceOf(RenderError);
    expect(e.reason).toBe('InvalidBundle');
    expect(e.location).toEqual({ file: 'apps/shop/Chart.yaml', line: 5, field: 'dependencies[0].repository' });
    expect(e.message).toContain(`dependency "lib" of chart "shop" (apps/shop): ${repo} is outside the bundle directory`);
  });

  it('a fetched chart keeps file:// inside the chart itself', () => {
    expect(() => dependencySource(dep('file://../x'), { fetched: 'oci://r/c' }, 'c')).toThrow(/outside the fetched chart/);
    expect(dependencySource(dep('file://sub'), { fetched: 'oci://r/c' }, 'c')).toEqual({ kind: 'file', dir: 'sub' });
  });

  it('classifies http(s), oci:// and charts/-only; refuses repository aliases and other schemes', () => {
    expect(dependencySource(dep('https://x/charts'), inBundle, 's')).toEqual({ kind: 'http', url: 'https://x/charts' });
    expect(dependencySource(dep('oci://r:5000/charts'), inBundle, 's')).toEqual({ kind: 'oci', url: 'oci://r:5000/charts' });
    expect(dependencySource(dep(''), inBundle, 's')).toEqual({ kind: 'charts-dir' });
    expect(() => dependencySource(dep('@stable'), inBundle, 's')).toThrow(/helm repo add.*write its URL/);
    expect(() => dependencySource(dep('alias:stable'), inBundle, 's')).toThrow(RenderError);
    expect(() => dependencySource(dep('s3://bucket'), inBundle, 's')).toThrow(/not an http\(s\):\/\/, oci:\/\/ or file:\/\/ URL/);
  });
});

describe('dependencyLocation', () => {
  it('points at the declaring file in the bundle, or at helm.chart for a fetched chart', () => {
    expect(dependencyLocation({ ...dep(''), declaredIn: 'requirements.yaml', index: 2 }, { inBundle: '' }, 'name')).toEqual({ file: 'requirements.yaml', line: 5, field: 'dependencies[2].name' });
    expect(dependencyLocation(dep(''), { fetched: 'https://r chart' })).toEqual({ field: 'helm.chart' });
  });
});
