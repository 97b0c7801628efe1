import { describe, expect, it } from 'vitest';
import type { DeploymentDetail } from '../hub/hub-api.types.js';
import { driftedResources, formatDeploymentDiff } from './deployment-diff.format.js';

/** GET /api/v1/deployments/{id} as the hub answers it after an agent reported drift (values are JSON text; the Secret's redacted). */
const drifted: DeploymentDetail = {
  deploymentId: '5b0b9c0e-5a43-4c43-9f5e-0d5e0f3c2a11',
  bundleName: 'shop-web',
  clusterId: '0d7f2d7c-1e0b-4b8e-8d59-3a4f2b7c9e10',
  clusterName: 'eu-prod-1',
  state: 'Modified',
  reason: 'Modified',
  message: 'Deployment web/web: changed in the cluster: /spec/replicas',
  desiredRevision: 'sha256:4f1c',
  appliedRevision: 'sha256:4f1c',
  reportedAt: '2026-01-10T11:59:00.000Z',
  resources: [
    { apiVersion: 'v1', kind: 'Namespace', namespace: '', name: 'web', state: 'Ready', message: '', diffs: [] },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      namespace: 'web',
      name: 'web',
      state: 'Modified',
      message: 'changed in the cluster: /spec/replicas, /spec/template/metadata/labels/debug',
      diffs: [
        { path: '/spec/replicas', desired: '3', live: '5' },
        { path: '/spec/template/metadata/labels/debug', desired: '', live: '"true"' },
      ],
    },
    { apiVersion: 'v1', kind: 'Secret', namespace: 'web', name: 'api-key', state: 'Modified', message: 'changed in the cluster: /data/key', diffs: [{ path: '/data/key', desired: '"<redacted:1a2b3c4d>"', live: '"<redacted:9f8e7d6c>"' }] },
    { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'web', name: 'greeting', state: 'Modified', message: 'deleted from the cluster', diffs: [{ path: '', desired: '{"apiVersion":"v1","kind":"ConfigMap"}', live: '' }] },
  ],
};

describe('formatDeploymentDiff', () => {
  it('prints each drifted object and each field as path: desired → live', () => {
    expect(formatDeploymentDiff(drifted)).toBe(
      [
        'bundle shop-web on cluster eu-prod-1: Modified (revision sha256:4f1c)',
        'Deployment web/web (Modified)',
        '  /spec/replicas: 3 → 5',
        '  /spec/template/metadata/labels/debug: (absent) → "true"',
        'Secret web/api-key (Modified)',
        '  /data/key: "<redacted:1a2b3c4d>" → "<redacted:9f8e7d6c>"',
        'ConfigMap web/greeting (Modified)',
        '  (object): {"apiVersion":"v1","kind":"ConfigMap"} → (absent)',
        '',
      ].join('\n'),
    );
    expect(driftedResources(drifted).map((r) => r.name)).toEqual(['web', 'api-key', 'greeting']);
  });

  it('says so when nothing drifted, or when the agent has not reported yet', () => {
    const clean: DeploymentDetail = { ...drifted, state: 'Ready', appliedRevision: 'sha256:0ld', resources: drifted.resources.map((r) => ({ ...r, state: 'Ready', diffs: [] })) };
    expect(formatDeploymentDiff(clean)).toBe('bundle shop-web on cluster eu-prod-1: Ready (revision sha256:4f1c, applied sha256:0ld)\nno drift: 4 object(s) as desired\n');
    expect(driftedResources(clean)).toEqual([]);
    const pending: DeploymentDetail = { ...clean, state: 'Pending', appliedRevision: null, reportedAt: null, resources: [] };
    expect(formatDeploymentDiff(pending)).toMatch(/applied none\)\nthe agent has not reported this deployment yet: no drift known\n$/);
  });
});
