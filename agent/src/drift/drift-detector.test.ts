import { KubernetesObjectApi, PatchStrategy, V1ConfigMap, type KubernetesObject } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { detectDrift, AGENT_FIELD_MANAGER } from './drift-detector.js';
import { DriftCheckError } from './drift.errors.js';

/** A KubernetesObjectApi whose SSA dry-run returns a fixed object, recording its arguments. */
function fakeApi(result: KubernetesObject | Error) {
  const calls: unknown[][] = [];
  const api = {
    async patch(...args: unknown[]) {
      calls.push(args);
      if (result instanceof Error) throw result;
      return result;
    },
  } as unknown as KubernetesObjectApi;
  return { api, calls };
}

const desired = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'settings', namespace: 'shop' },
  data: { key: 'want' },
};

/** What the server returns: the object plus server-owned noise. */
function server(data: Record<string, string>, extra: Record<string, unknown> = {}): KubernetesObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: 'settings',
      namespace: 'shop',
      uid: 'u-1',
      resourceVersion: String(Math.floor(Math.random() * 1e6)),
      creationTimestamp: new Date('2025-05-04T10:00:00Z'),
      managedFields: [{ manager: 'flotilla-agent', operation: 'Apply' }],
      ...extra,
    },
    data,
  } as KubernetesObject;
}

describe('detectDrift', () => {
  it('reports a missing live object as one diff at the root', async () => {
    const { api, calls } = fakeApi(new Error('must not be called'));
    const result = await detectDrift(api, desired, undefined, []);
    expect(result).toEqual({ drifted: true, diffs: [{ path: '', desired: JSON.stringify(desired), live: '' }] });
    expect(calls).toEqual([]);
  });

  it('runs a forced server-side apply dry-run as the agent', async () => {
    const { api, calls } = fakeApi(server({ key: 'want' }));
    await detectDrift(api, desired, server({ key: 'want' }), []);
    expect(calls).toHaveLength(1);
    const [body, pretty, dryRun, fieldManager, force, strategy] = calls[0] ?? [];
    expect(body).toBe(desired);
    expect([pretty, dryRun, fieldManager, force, strategy]).toEqual([undefined, 'All', AGENT_FIELD_MANAGER, true, PatchStrategy.ServerSideApply]);
  });

  it('sees no drift when only server-owned fields differ', async () => {
    const { api } = fakeApi(server({ key: 'want' }));
    const live = server({ key: 'want' }, { annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}' } });
    expect(await detectDrift(api, desired, live, [])).toEqual({ drifted: false, diffs: [] });
  });

  it('reports the changed field with the dry-run value as desired', async () => {
    const { api } = fakeApi(server({ key: 'want' }));
    expect(await detectDrift(api, desired, server({ key: 'edited' }), [])).toEqual({
      drifted: true,
      diffs: [{ path: '/data/key', desired: '"want"', live: '"edited"' }],
    });
  });

  it('drops diffs under pointers of matching ignore rules only', async () => {
    const { api } = fakeApi(server({ key: 'want' }));
    const live = server({ key: 'edited' });
    const ignore = { apiVersion: 'v1', kind: 'ConfigMap', namespace: '', name: 'settings', jsonPointers: ['/data/key'] };
    expect((await detectDrift(api, desired, live, [ignore])).drifted).toBe(false);
    const other = { ...ignore, name: 'other' };
    expect((await detectDrift(api, desired, live, [other])).drifted).toBe(true);
  });

  it("hands the library's own client a typed model, so that its serializer keeps every field", async () => {
    const calls: unknown[][] = [];
    const api = Object.create(KubernetesObjectApi.prototype) as KubernetesObjectApi;
    api.patch = (async (...args: unknown[]) => {
      calls.push(args);
      return server({ key: 'want' });
    }) as KubernetesObjectApi['patch'];
    await detectDrift(api, desired, server({ key: 'want' }), []);
    expect(calls[0]?.[0]).toBeInstanceOf(V1ConfigMap);
    expect(calls[0]?.[0]).toEqual(desired);
  });

  it('honours another field manager', async () => {
    const { api, calls } = fakeApi(server({ key: 'want' }));
    await detectDrift(api, desired, server({ key: 'want' }), [], { fieldManager: 'someone' });
    expect(calls[0]?.[3]).toBe('someone');
  });

  it('wraps a failed dry-run, terminal for an invalid object, retryable for server errors', async () => {
    const invalid = Object.assign(new Error('HTTP-Code: 422'), {
      code: 422,
      body: JSON.stringify({ kind: 'Status', message: 'Deployment.apps "web" is invalid: spec.selector: field is immutable' }),
    });
    const failure = await detectDrift(fakeApi(invalid).api, desired, server({}), []).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(DriftCheckError);
    expect(failure).toMatchObject({ reason: 'DryRunFailed', retryable: false, cause: invalid });
    expect((failure as Error).message).toBe(
      'server-side apply dry-run of ConfigMap shop/settings failed (HTTP 422): Deployment.apps "web" is invalid: spec.selector: field is immutable',
    );
    const unavailable = Object.assign(new Error('HTTP-Code: 503'), { code: 503, body: 'unavailable' });
    await expect(detectDrift(fakeApi(unavailable).api, desired, server({}), [])).rejects.toMatchObject({ retryable: true });
    await expect(detectDrift(fakeApi(new Error('ECONNRESET')).api, desired, server({}), [])).rejects.toMatchObject({ retryable: true });
  });
});
