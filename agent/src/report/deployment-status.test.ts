import { DeploymentState } from '@flotilla/proto';
import { describe, expect, it } from 'vitest';
import { deploymentStatus, type ObjectResult } from './deployment-status.js';

const ref = (name: string) => ({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name });
const healthy = (name: string): ObjectResult => ({ ref: ref(name), health: { status: 'Healthy', message: '' }, drift: { drifted: false, diffs: [] } });

describe('deploymentStatus', () => {
  it('is Ready when every object is healthy and in sync', () => {
    const s = deploymentStatus('d', 'sha256:a', undefined, [healthy('a'), healthy('b')]);
    expect(s).toMatchObject({ state: DeploymentState.DEPLOYMENT_STATE_READY, reason: 'Ready', appliedRevision: 'sha256:a' });
    expect(s.resources.map((r) => r.state)).toEqual([DeploymentState.DEPLOYMENT_STATE_READY, DeploymentState.DEPLOYMENT_STATE_READY]);
  });

  it('is NotReady naming the first unhealthy object', () => {
    const progressing: ObjectResult = { ref: ref('web'), health: { status: 'Progressing', message: '0 of 2 replicas available' } };
    const s = deploymentStatus('d', '', undefined, [healthy('a'), progressing, { ...progressing, ref: ref('api') }]);
    expect(s.state).toBe(DeploymentState.DEPLOYMENT_STATE_NOT_READY);
    expect(s.reason).toBe('NotHealthy');
    expect(s.message).toBe('Deployment shop/web: Progressing: 0 of 2 replicas available (and 1 more)');
  });

  it('is Modified with the drifted fields, worse than NotReady', () => {
    const drifted: ObjectResult = {
      ref: ref('web'),
      health: { status: 'Healthy', message: '' },
      drift: { drifted: true, diffs: [{ path: '/spec/replicas', desired: '2', live: '5' }] },
    };
    const s = deploymentStatus('d', '', undefined, [{ ref: ref('a'), health: { status: 'Degraded', message: 'x' } }, drifted]);
    expect(s.state).toBe(DeploymentState.DEPLOYMENT_STATE_MODIFIED);
    expect(s.message).toBe('Deployment shop/web: changed in the cluster: /spec/replicas');
    expect(s.resources[1]?.diffs).toEqual([{ path: '/spec/replicas', desired: '2', live: '5' }]);
  });

  it('says why a drifted object was not corrected yet', () => {
    const s = deploymentStatus('d', '', undefined, [
      { ref: ref('web'), drift: { drifted: true, diffs: [{ path: '/spec/replicas', desired: '2', live: '5' }] }, checkError: 'drift keeps coming back' },
    ]);
    expect(s.state).toBe(DeploymentState.DEPLOYMENT_STATE_MODIFIED);
    expect(s.resources[0]?.message).toBe('changed in the cluster: /spec/replicas; drift keeps coming back');
    expect(s.message).toBe('Deployment shop/web: changed in the cluster: /spec/replicas; drift keeps coming back');
  });

  it('says an object was deleted', () => {
    const s = deploymentStatus('d', '', undefined, [{ ref: ref('web'), drift: { drifted: true, diffs: [{ path: '', desired: '{}', live: '' }] } }]);
    expect(s.resources[0]?.message).toBe('deleted from the cluster');
  });

  it('is ErrApplied with the reason of the first failed object', () => {
    const s = deploymentStatus('d', 'sha256:old', undefined, [
      healthy('a'),
      { ref: ref('b'), applyError: { reason: 'OwnershipConflict', message: 'Deployment shop/b belongs to bundle "other"' } },
    ]);
    expect(s).toMatchObject({ state: DeploymentState.DEPLOYMENT_STATE_ERR_APPLIED, reason: 'OwnershipConflict', appliedRevision: 'sha256:old' });
    expect(s.message).toMatch(/belongs to bundle "other"/);
  });

  it('reports a deployment-level failure as ErrApplied, or WaitApplied when transient', () => {
    const failed = deploymentStatus('d', '', { reason: 'EmptyRevisionRefused', message: 'no objects' }, [healthy('a')]);
    expect(failed).toMatchObject({ state: DeploymentState.DEPLOYMENT_STATE_ERR_APPLIED, reason: 'EmptyRevisionRefused' });
    const waiting = deploymentStatus('d', '', { reason: 'ContentFetchFailed', message: 'hub unreachable', waiting: true }, []);
    expect(waiting.state).toBe(DeploymentState.DEPLOYMENT_STATE_WAIT_APPLIED);
  });

  it('keeps each diff value within the hub\'s bound (4 KiB), as JSON that says how long it was', () => {
    const big = JSON.stringify('a"'.repeat(500_000));
    const s = deploymentStatus('d', '', undefined, [{ ref: ref('web'), drift: { drifted: true, diffs: [{ path: '/data/config', desired: big, live: '"small"' }] } }]);
    const [diff] = s.resources[0]!.diffs;
    expect(diff!.desired.length).toBeLessThanOrEqual(4000);
    expect(JSON.parse(diff!.desired)).toMatch(new RegExp(`^"a\\\\"a.*… \\(truncated, ${big.length} characters\\)$`));
    expect(diff!.live).toBe('"small"');
  });
});
