import type { KubernetesObject } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { planRevision } from '../../plan/hooks/hook-plan.js';
import { decodeDeleteHooks, deleteHooksDigest, deleteHooksOf, encodeDeleteHooks, MAX_KEPT_DELETE_HOOK_BYTES } from './delete-hooks.js';

const scopeOf = () => 'Namespaced' as const;
const job = (name: string, hook: string, extra: Record<string, unknown> = {}): KubernetesObject => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name, annotations: { 'helm.sh/hook': hook } },
  ...extra,
});
const planned = (objects: KubernetesObject[]) =>
  planRevision({ bundleName: 'shop', deploymentId: 'd-1', objects, inventory: [], scopeOf, defaultNamespace: 'shop' }).hooks;

describe('kept delete hooks', () => {
  it('keeps only the delete phases, and reads back what it wrote', () => {
    const kept = deleteHooksOf('sha256:abc', planned([job('migrate', 'pre-install'), job('drain', 'pre-delete'), job('farewell', 'post-delete')]));
    expect(kept.hooks.map((h) => `${h.phase} ${h.planned.ref.name}`)).toEqual(['PreDelete drain', 'PostDelete farewell']);
    const back = decodeDeleteHooks(encodeDeleteHooks(kept), 'test');
    expect(back).toEqual(kept);
    expect(back.hooks[0]!.planned.ref).toEqual({ apiVersion: 'batch/v1', kind: 'Job', namespace: 'shop', name: 'drain' });
  });

  it('fingerprints equal hooks equally and none as the empty string', () => {
    const a = deleteHooksOf('r1', planned([job('drain', 'pre-delete')]));
    expect(deleteHooksDigest(a)).toBe(deleteHooksDigest(deleteHooksOf('r1', planned([job('drain', 'pre-delete')]))));
    expect(deleteHooksDigest(a)).not.toBe(deleteHooksDigest(deleteHooksOf('r1', planned([job('drain', 'post-delete')]))));
    expect(deleteHooksDigest(deleteHooksOf('r1', planned([job('migrate', 'pre-install')])))).toBe('');
  });

  it('refuses hooks too large to keep, naming the size and the bound', () => {
    const big = job('drain', 'pre-delete', { spec: { note: 'x'.repeat(MAX_KEPT_DELETE_HOOK_BYTES) } });
    expect(() => deleteHooksDigest(deleteHooksOf('r1', planned([big])))).toThrow(/pre\/post-delete hooks take 513 KiB; at most 512 KiB are kept/);
  });

  it('names the field of a malformed kept form (it is read from the cluster)', () => {
    const good = { phase: 'PreDelete', wave: 0, deletePolicies: ['HookSucceeded'], object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } } };
    const cases: [unknown, RegExp][] = [
      ['{', /^S: the content is not JSON/],
      [[], /^S: the content is not an object$/],
      [{ hooks: [] }, /^S: revision must be a string$/],
      [{ revision: 'r', hooks: {} }, /^S: hooks must be a list$/],
      [{ revision: 'r', hooks: [good, { ...good, phase: 'PreSync' }] }, /^S: hooks\[1\]\.phase must be one of PreDelete, PostDelete$/],
      [{ revision: 'r', hooks: [{ ...good, wave: 1.5 }] }, /^S: hooks\[0\]\.wave must be an integer$/],
      [{ revision: 'r', hooks: [{ ...good, deletePolicies: ['Always'] }] }, /^S: hooks\[0\]\.deletePolicies must list only BeforeHookCreation, HookSucceeded, HookFailed$/],
      [{ revision: 'r', hooks: [{ ...good, object: { kind: 'ConfigMap', metadata: {} } }] }, /^S: hooks\[0\]\.object must be a Kubernetes object/],
      [{ revision: 'r', hooks: [{ ...good, object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: {} } }] }, /^S: hooks\[0\]\.object\.metadata must have a name or generateName$/],
    ];
    for (const [input, message] of cases) {
      const text = typeof input === 'string' ? input : JSON.stringify(input);
      expect(() => decodeDeleteHooks(text, 'S'), text).toThrow(message);
    }
  });
});
