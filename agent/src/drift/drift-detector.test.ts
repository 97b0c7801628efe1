import type { KubernetesObject } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { KubeApiError } from '../kube/kube-api-error.js';
import { detectDrift, AGENT_FIELD_MANAGER } from './drift-detector.js';
import { DriftCheckError } from './drift.errors.js';
import type { DryRunApplier } from './drift.types.js';

/** A DryRunApplier that returns a fixed object (or fails), recording its arguments. */
function fakeApi(result: KubernetesObject | Error) {
  const calls: [KubernetesObject, string][] = [];
  const api: DryRunApplier = {
    async dryRunApply(desired, fieldManager) {
      calls.push([desired, fieldManager]);
      if (result instanceof Error) throw result;
      return result;
    },
  };
  return { api, calls };
}

const desired = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'settings', namespace: 'shop' },
  data: { key: 'want' },
};

/**
 * What the server returns: the object plus server-owned noise, as plain JSON
 * (client-node's type says `creationTimestamp` is a Date; on the wire it is a string).
 */
function server(data: Record<string, string>, extra: Record<string, unknown> = {}): KubernetesObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: 'settings',
      namespace: 'shop',
      uid: 'u-1',
      resourceVersion: String(Math.floor(Math.random() * 1e6)),
      creationTimestamp: '2025-05-04T10:00:00Z',
      managedFields: [{ manager: 'flotilla-agent', operation: 'Apply' }],
      ...extra,
    },
    data,
  } as unknown as KubernetesObject;
}

describe('detectDrift', () => {
  it('reports a missing live object as one diff at the root', async () => {
    const { api, calls } = fakeApi(new Error('must not be called'));
    const result = await detectDrift(api, desired, undefined, []);
    expect(result).toEqual({ drifted: true, diffs: [{ path: '', desired: JSON.stringify(desired), live: '' }] });
    expect(calls).toEqual([]);
  });

  it('runs the dry-run as the agent, with desired unchanged', async () => {
    const { api, calls } = fakeApi(server({ key: 'want' }));
    await detectDrift(api, desired, server({ key: 'want' }), []);
    expect(calls).toHaveLength(1);
    const [body, fieldManager] = calls[0] ?? [];
    expect(body).toBe(desired);
    expect(fieldManager).toBe(AGENT_FIELD_MANAGER);
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

  it('keeps fields with any name, such as a CRD schema\'s x-kubernetes-*, and modifies no input', async () => {
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'widgets.example.com' },
      spec: { versions: [{ name: 'v1', schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }] },
    };
    const applied = { ...crd, metadata: { ...crd.metadata, uid: 'u-2', resourceVersion: '7' } };
    const live = structuredClone(applied);
    live.spec.versions[0]!.schema.openAPIV3Schema['x-kubernetes-preserve-unknown-fields'] = false;
    const before = structuredClone({ crd, applied, live });
    const { api, calls } = fakeApi(applied);
    expect(await detectDrift(api, crd, live, [])).toEqual({
      drifted: true,
      diffs: [{ path: '/spec/versions/0/schema/openAPIV3Schema/x-kubernetes-preserve-unknown-fields', desired: 'true', live: 'false' }],
    });
    expect(calls[0]?.[0]).toBe(crd);
    expect({ crd, applied, live }).toEqual(before);
  });

  it('honours another field manager', async () => {
    const { api, calls } = fakeApi(server({ key: 'want' }));
    await detectDrift(api, desired, server({ key: 'want' }), [], { fieldManager: 'someone' });
    expect(calls[0]?.[1]).toBe('someone');
  });

  it("wraps a failed dry-run with the server's message, terminal for an invalid object, retryable for server errors", async () => {
    // What the agent's client rejects with.
    const invalid = new KubeApiError(422, 'Invalid', 'Deployment.apps "web" is invalid: spec.selector: field is immutable');
    const failure = await detectDrift(fakeApi(invalid).api, desired, server({}), []).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(DriftCheckError);
    expect(failure).toMatchObject({ reason: 'DryRunFailed', retryable: false, cause: invalid });
    expect((failure as Error).message).toBe(
      'server-side apply dry-run of ConfigMap shop/settings failed (HTTP 422): Deployment.apps "web" is invalid: spec.selector: field is immutable',
    );
    await expect(detectDrift(fakeApi(new KubeApiError(409, 'Conflict', 'conflict')).api, desired, server({}), [])).rejects.toMatchObject({ retryable: true });
    await expect(detectDrift(fakeApi(new KubeApiError(503, 'ServiceUnavailable', 'unavailable')).api, desired, server({}), [])).rejects.toMatchObject({
      retryable: true,
    });
    // Not reached (status 0): no HTTP status in the message, retryable.
    const unreachable = await detectDrift(fakeApi(new KubeApiError(0, 'Unreachable', 'PATCH /api/v1/x: ECONNRESET')).api, desired, server({}), []).catch(
      (e: unknown) => e,
    );
    expect(unreachable).toMatchObject({
      retryable: true,
      message: 'server-side apply dry-run of ConfigMap shop/settings failed: PATCH /api/v1/x: ECONNRESET',
    });
    await expect(detectDrift(fakeApi(new Error('ECONNRESET')).api, desired, server({}), [])).rejects.toMatchObject({ retryable: true });
  });

  it('reads the status of other errors from `status` or `code`, and a Status body if they carry one', async () => {
    const generic = Object.assign(new Error('forbidden: cannot patch configmaps'), { status: 403 });
    await expect(detectDrift(fakeApi(generic).api, desired, server({}), [])).rejects.toMatchObject({
      retryable: false,
      message: 'server-side apply dry-run of ConfigMap shop/settings failed (HTTP 403): forbidden: cannot patch configmaps',
    });
    const withBody = Object.assign(new Error('HTTP-Code: 422'), {
      code: 422,
      body: JSON.stringify({ kind: 'Status', message: 'ConfigMap "settings" is invalid' }),
    });
    await expect(detectDrift(fakeApi(withBody).api, desired, server({}), [])).rejects.toMatchObject({
      retryable: false,
      message: 'server-side apply dry-run of ConfigMap shop/settings failed (HTTP 422): ConfigMap "settings" is invalid',
    });
  });
});
