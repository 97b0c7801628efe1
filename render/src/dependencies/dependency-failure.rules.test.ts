/** helm 3.22's own output for each failure, as `helm dependency update` printed it. */
import { describe, expect, it } from 'vitest';
import type { DeclaredDependency } from './chart-dependencies.rules.js';
import { dependencyUpdateFailure } from './dependency-failure.rules.js';

const dep = (name: string, repository: string, index = 0): DeclaredDependency => ({ index, name, version: '1.0.0', repository, declaredIn: 'Chart.yaml', line: 5 + index * 3 });
const place = { inBundle: 'app' };

describe('dependencyUpdateFailure', () => {
  it('an unreachable unmanaged repository: named from the stdout refresh warning', () => {
    const e = dependencyUpdateFailure(
      {
        stdout: 'Getting updates for unmanaged Helm repositories...\n...Unable to get an update from the "http://127.0.0.1:1/charts" chart repository:\n\tGet "http://127.0.0.1:1/charts/index.yaml": dial tcp 127.0.0.1:1: connect: connection refused\n',
        stderr: "Error: no cached repository for helm-manager-4822 found. (try 'helm repo update'): open /x/helm-manager-4822-index.yaml: no such file or directory\n",
      },
      'app',
      place,
      [dep('lib', 'oci://r/c'), dep('sub', 'http://127.0.0.1:1/charts/', 1)],
    );
    expect(e.reason).toBe('ChartFetchFailed');
    expect(e.location).toEqual({ file: 'app/Chart.yaml', line: 8, field: 'dependencies[1].repository' });
    expect(e.message).toContain('cannot fetch dependency "sub" (version "1.0.0") of chart "app" (app) from http://127.0.0.1:1/charts/: its repository index cannot be fetched: Get "http://127.0.0.1:1/charts/index.yaml": dial tcp');
  });

  it('a repository with credentials (named entry, URL in parentheses)', () => {
    const e = dependencyUpdateFailure(
      { stdout: '...Unable to get an update from the "flotilla-dependency-1" chart repository (https://p.example.com/charts):\n\tfailed to fetch https://p.example.com/charts/index.yaml : 401 Unauthorized\n', stderr: 'Error: no cached repository\n' },
      'app',
      place,
      [dep('lib', 'https://p.example.com/charts')],
    );
    expect(e.message).toContain('from https://p.example.com/charts: its repository index cannot be fetched: failed to fetch https://p.example.com/charts/index.yaml : 401 Unauthorized');
  });

  it('an OCI download error: the dependency whose repository stderr names', () => {
    const e = dependencyUpdateFailure(
      { stdout: 'Saving 2 charts\n', stderr: 'Error: could not download oci://127.0.0.1:1/charts/sub: failed to perform "FetchReference" on source: connection refused\n' },
      'app',
      place,
      [dep('lib', 'https://x/charts'), dep('sub', 'oci://127.0.0.1:1/charts', 1)],
    );
    expect(e.location.field).toBe('dependencies[1].repository');
    expect(e.message).toContain('of chart "app" (app) from oci://127.0.0.1:1/charts: could not download oci://127.0.0.1:1/charts/sub');
  });

  it('a message naming no repository: the only remote dependency, else the chart', () => {
    const run = { stdout: '', stderr: "Error: can't get a valid version for 1 subchart(s)\n" };
    expect(dependencyUpdateFailure(run, 'app', place, [dep('lib', 'file://../lib'), dep('sub', 'https://x/c', 1)]).location.field).toBe('dependencies[1].repository');
    const many = dependencyUpdateFailure(run, 'app', place, [dep('a', 'https://x/c'), dep('b', 'https://y/c', 1)]);
    expect(many.location).toEqual({ file: 'app/Chart.yaml' });
    expect(many.message).toContain(`cannot fetch the dependencies of chart "app" (app): can't get a valid version`);
    expect(dependencyUpdateFailure(run, 'c', { fetched: 'oci://r/c' }, [dep('a', 'https://x/c'), dep('b', 'https://y/c', 1)]).location).toEqual({ field: 'helm.chart' });
  });
});
