import type { KubernetesObject } from '@kubernetes/client-node';
import { assessHealth, podHealth } from '../../health/index.js';
import { findCondition } from '../../health/object-fields.js';

/** Where a created hook is: still running, done, or failed (with why). */
export type HookCompletion = { state: 'running'; message: string } | { state: 'succeeded' } | { state: 'failed'; message: string };

/**
 * Whether a hook completed (pure). Jobs must be Complete and Pods Succeeded
 * (as in Argo CD and Helm: a hook is a task that finishes); any other kind
 * is done once the agent's health check calls it Healthy (or Suspended).
 */
export function hookCompletion(live: KubernetesObject): HookCompletion {
  const group = (live.apiVersion ?? '').includes('/') ? live.apiVersion!.split('/')[0] : '';
  if (live.kind === 'Job' && group === 'batch') {
    const failed = [findCondition(live, 'Failed'), findCondition(live, 'FailureTarget')].find((c) => c?.status === 'True');
    if (failed) return { state: 'failed', message: failed.message || failed.reason || 'Job failed' };
    if (findCondition(live, 'Complete')?.status === 'True') return { state: 'succeeded' };
    return { state: 'running', message: assessHealth(live).message };
  }
  if (live.kind === 'Pod' && group === '') {
    const phase = (live as { status?: { phase?: string } }).status?.phase;
    if (phase === 'Succeeded') return { state: 'succeeded' };
    const health = podHealth.assess(live);
    // Failed, or a container that will never start (image cannot be pulled, …).
    if (health.status === 'Degraded') return { state: 'failed', message: health.message };
    return { state: 'running', message: health.message || `Pod phase is ${phase ?? 'unknown'}` };
  }
  const health = assessHealth(live);
  if (health.status === 'Healthy' || health.status === 'Suspended') return { state: 'succeeded' };
  if (health.status === 'Degraded') return { state: 'failed', message: health.message };
  return { state: 'running', message: `${health.status}${health.message ? `: ${health.message}` : ''}` };
}
