import { describe, expect, it } from 'vitest';
import type { FleetYaml } from '../fleet-yaml/fleet-yaml.types.js';
import { customizeForCluster } from './customize-for-cluster.js';

const fleetYaml: FleetYaml = {
  name: 'web',
  labels: { team: 'a' },
  paused: false,
  dependsOn: [{ name: 'db' }],
  rolloutStrategy: { maxUnavailable: '10%' },
  helm: { chart: './chart', values: { env: '${ .ClusterLabels.env }' } },
  targetCustomizations: [{ name: 'eu', clusterSelector: { matchLabels: { region: 'eu' } }, helm: { values: { region: 'eu' } } }],
};

describe('customizeForCluster', () => {
  it('gives equal keys to clusters with equal effective options, whatever their names', () => {
    const a = customizeForCluster(fleetYaml, { name: 'a', labels: { env: 'prod', region: 'eu' } });
    const b = customizeForCluster(fleetYaml, { name: 'b', labels: { env: 'prod', region: 'eu' } });
    const c = customizeForCluster(fleetYaml, { name: 'c', labels: { env: 'dev', region: 'eu' } });
    if (!a.deploy || !b.deploy || !c.deploy) throw new Error('expected deploy');
    expect(a.key).toBe(b.key);
    expect(a.key).not.toContain('"a"');
    expect(c.key).not.toBe(a.key);
  });

  it('keeps bundle-level fields and match criteria out of options', () => {
    const r = customizeForCluster(fleetYaml, { name: 'a', labels: { env: 'prod', region: 'eu' } });
    expect(r).toEqual({
      deploy: true,
      key: '{"helm":{"chart":"./chart","values":{"env":"prod","region":"eu"}}}',
      options: { helm: { chart: './chart', values: { env: 'prod', region: 'eu' } } },
      matched: ['eu'],
    });
  });

  it('hides kubectl.kubernetes.io/ and cattle.io/ keys from templates but keeps fleet/management labels', () => {
    const yaml: FleetYaml = { helm: { values: { a: '${ .ClusterLabels | toJson }', b: '${ .ClusterAnnotations | toJson }' } } };
    const labels = { 'kubectl.kubernetes.io/x': '1', 'provisioning.cattle.io/y': '2', 'fleet.cattle.io/z': '3', 'management.cattle.io/w': '4', k: 'v' };
    const r = customizeForCluster(yaml, { name: 'n', labels, annotations: { 'field.cattle.io/a': '1', note: 'x' } });
    if (!r.deploy) throw new Error('expected deploy');
    expect(r.options.helm?.values).toEqual({ a: { 'fleet.cattle.io/z': '3', 'management.cattle.io/w': '4', k: 'v' }, b: { note: 'x' } });
  });

  it('names the file and field of a failing template', () => {
    expect(() => customizeForCluster(fleetYaml, { name: 'a', labels: {} }, { file: 'apps/web/fleet.yaml' })).toThrow(
      'apps/web/fleet.yaml: helm.values.env: map has no entry for key "env"',
    );
  });
});

describe('customizeForCluster modes', () => {
  const yaml = (mode: FleetYaml['targetCustomizationMode']): FleetYaml => ({
    targetCustomizationMode: mode,
    helm: { timeoutSeconds: 30 },
    targetCustomizations: [{ name: 'clear', clusterSelector: {}, helm: { timeoutSeconds: -1 } }],
  });
  it('FirstMatch merges the customisation over the bundle directly (a negative timeout clears it)', () => {
    const r = customizeForCluster(yaml('FirstMatch'), { name: 'a', labels: {} });
    expect(r.deploy && r.options).toEqual({ helm: {} });
  });
  it('AllMatches folds the matches first, as Fleet does (the cleared timeout is then absent, not negative)', () => {
    const r = customizeForCluster(yaml('AllMatches'), { name: 'a', labels: {} });
    expect(r.deploy && r.options).toEqual({ helm: { timeoutSeconds: 30 } });
  });
});
