import { describe, expect, it } from 'vitest';
import { classify, deletePolicies, hookWave, isHookObject, namedDeletePolicies, type AnnotatedObject } from './hook-annotations.rules.js';

const withAnnotations = (annotations: Record<string, string>): AnnotatedObject => ({ metadata: { annotations } });

describe('classify (gitops-engine hook.IsHook / hook.Types)', () => {
  it('maps Helm install and upgrade hooks onto PreSync and PostSync', () => {
    expect(classify(withAnnotations({ 'helm.sh/hook': 'pre-install' }))).toMatchObject({ role: 'hook', phases: ['PreSync'] });
    expect(classify(withAnnotations({ 'helm.sh/hook': 'pre-install, pre-upgrade' }))).toMatchObject({ role: 'hook', phases: ['PreSync'] });
    expect(classify(withAnnotations({ 'helm.sh/hook': 'post-install,post-upgrade' }))).toMatchObject({ role: 'hook', phases: ['PostSync'] });
    expect(classify(withAnnotations({ 'helm.sh/hook': 'pre-install,post-install' }))).toMatchObject({ role: 'hook', phases: ['PreSync', 'PostSync'] });
  });

  it('drops test hooks and Helm phases that have no place in a sync', () => {
    for (const hook of ['test', 'test-success', 'test-failure', 'pre-rollback', 'post-rollback']) {
      expect(classify(withAnnotations({ 'helm.sh/hook': hook })).role).toBe('dropped');
    }
  });

  it('keeps delete hooks, by either annotation, as Argo CD’s controller reads them (controller/hook.go)', () => {
    expect(classify(withAnnotations({ 'helm.sh/hook': 'pre-delete' }))).toMatchObject({ role: 'hook', phases: [], deletePhases: ['PreDelete'] });
    expect(classify(withAnnotations({ 'helm.sh/hook': 'post-delete' }))).toMatchObject({ role: 'hook', phases: [], deletePhases: ['PostDelete'] });
    expect(classify(withAnnotations({ 'argocd.argoproj.io/hook': 'PreDelete,PostDelete' }))).toMatchObject({ phases: [], deletePhases: ['PreDelete', 'PostDelete'] });
    // A hook of a sync phase and a delete phase runs in both.
    expect(classify(withAnnotations({ 'helm.sh/hook': 'pre-install, pre-delete' }))).toMatchObject({ phases: ['PreSync'], deletePhases: ['PreDelete'] });
    // Argo's annotation wins for sync phases only: Argo CD's controller still finds Helm's delete hook beside it.
    expect(classify(withAnnotations({ 'argocd.argoproj.io/hook': 'PostSync', 'helm.sh/hook': 'post-delete' }))).toMatchObject({ phases: ['PostSync'], deletePhases: ['PostDelete'] });
    expect(classify(withAnnotations({ 'argocd.argoproj.io/hook': 'Skip', 'helm.sh/hook': 'pre-delete' }))).toMatchObject({ role: 'hook', deletePhases: ['PreDelete'] });
    expect(classify(withAnnotations({ 'helm.sh/hook': 'post-install' }))).toMatchObject({ deletePhases: [] });
  });

  it('applies crd-install objects and objects without hook annotations as main objects', () => {
    expect(classify(withAnnotations({ 'helm.sh/hook': 'crd-install' }))).toEqual({ role: 'main' });
    expect(classify(withAnnotations({}))).toEqual({ role: 'main' });
    expect(classify({ metadata: {} })).toEqual({ role: 'main' });
  });

  it('reads Argo CD hooks, whose annotation wins over Helm’s', () => {
    for (const phase of ['PreSync', 'Sync', 'PostSync', 'SyncFail'] as const) {
      expect(classify(withAnnotations({ 'argocd.argoproj.io/hook': phase }))).toMatchObject({ role: 'hook', phases: [phase] });
    }
    expect(classify(withAnnotations({ 'argocd.argoproj.io/hook': 'PostSync', 'helm.sh/hook': 'pre-install' }))).toMatchObject({ phases: ['PostSync'] });
    // Argo's Skip wins over a Helm test hook too, and only Skip alone skips.
    expect(classify(withAnnotations({ 'argocd.argoproj.io/hook': 'Skip', 'helm.sh/hook': 'pre-install' })).role).toBe('dropped');
    expect(classify(withAnnotations({ 'argocd.argoproj.io/hook': 'Skip,PreSync' }))).toMatchObject({ role: 'hook', phases: ['PreSync'] });
  });
});

describe('deletePolicies', () => {
  it('defaults to BeforeHookCreation', () => {
    expect(deletePolicies(withAnnotations({}))).toEqual(['BeforeHookCreation']);
    expect(deletePolicies(withAnnotations({ 'helm.sh/hook-delete-policy': 'bogus' }))).toEqual(['BeforeHookCreation']);
    expect(namedDeletePolicies(withAnnotations({ 'helm.sh/hook-delete-policy': 'bogus' }))).toEqual([]);
    expect(namedDeletePolicies(withAnnotations({ 'helm.sh/hook-delete-policy': 'hook-failed' }))).toEqual(['HookFailed']);
  });

  it('maps Helm’s policies and unites them with Argo CD’s', () => {
    expect(deletePolicies(withAnnotations({ 'helm.sh/hook-delete-policy': 'hook-succeeded,hook-failed' }))).toEqual(['HookSucceeded', 'HookFailed']);
    expect(deletePolicies(withAnnotations({ 'helm.sh/hook-delete-policy': 'before-hook-creation' }))).toEqual(['BeforeHookCreation']);
    expect(deletePolicies(withAnnotations({ 'argocd.argoproj.io/hook-delete-policy': 'HookSucceeded', 'helm.sh/hook-delete-policy': 'hook-failed' }))).toEqual([
      'HookSucceeded',
      'HookFailed',
    ]);
  });
});

describe('hookWave (gitops-engine syncwaves.Wave)', () => {
  it('takes the sync-wave, else the hook-weight, else 0; ignores non-integers', () => {
    expect(hookWave(withAnnotations({ 'argocd.argoproj.io/sync-wave': '-2', 'helm.sh/hook-weight': '5' }))).toBe(-2);
    expect(hookWave(withAnnotations({ 'helm.sh/hook-weight': '5' }))).toBe(5);
    expect(hookWave(withAnnotations({ 'argocd.argoproj.io/sync-wave': 'x', 'helm.sh/hook-weight': '3' }))).toBe(3);
    expect(hookWave(withAnnotations({}))).toBe(0);
  });
});

describe('isHookObject (who may use metadata.generateName)', () => {
  it('is true for hooks with a phase', () => {
    expect(isHookObject(withAnnotations({ 'helm.sh/hook': 'post-install' }))).toBe(true);
    expect(isHookObject(withAnnotations({ 'argocd.argoproj.io/hook': 'Sync' }))).toBe(true);
    expect(isHookObject(withAnnotations({ 'argocd.argoproj.io/hook': 'SyncFail', 'helm.sh/hook': 'test' }))).toBe(true);
    expect(isHookObject(withAnnotations({ 'helm.sh/hook': 'pre-delete' }))).toBe(true);
    expect(isHookObject(withAnnotations({ 'argocd.argoproj.io/hook': 'PostDelete' }))).toBe(true);
  });

  it('is false for main objects, dropped hooks and hook annotations without a phase', () => {
    expect(isHookObject({ metadata: {} })).toBe(false);
    expect(isHookObject({})).toBe(false);
    expect(isHookObject(withAnnotations({ 'helm.sh/hook': 'crd-install' }))).toBe(false);
    expect(isHookObject(withAnnotations({ 'helm.sh/hook': 'test' }))).toBe(false);
    expect(isHookObject(withAnnotations({ 'helm.sh/hook': 'pre-rollback' }))).toBe(false);
    expect(isHookObject(withAnnotations({ 'argocd.argoproj.io/hook': 'Skip' }))).toBe(false);
    expect(isHookObject(withAnnotations({ 'argocd.argoproj.io/hook': 'Bogus' }))).toBe(false);
  });
});
