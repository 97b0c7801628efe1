import type { DeploymentAssignment } from '@flotilla/proto';
import { AgentError, messageOf } from '../errors.js';
import { isNotFound } from '../kube/kube-api-error.js';
import { isNamespace } from '../kube/object-ref.js';
import type { Plan } from '../plan/plan.js';
import type { ReconcileContext } from './context.js';

/**
 * Field manager of the release namespace's labels and annotations: apart from
 * the bundle's objects, so the namespace is never in the bundle's inventory
 * (not pruned with it) and a label dropped from fleet.yaml is dropped here.
 */
export const NAMESPACE_FIELD_MANAGER = 'flotilla-agent-namespace';

/** What of the release namespace changes the applied state (part of the applied key). */
export function releaseNamespaceKey(a: DeploymentAssignment): string {
  const o = a.options;
  if (!o?.defaultNamespace || !(o.createNamespace || hasEntries(o.namespaceLabels) || hasEntries(o.namespaceAnnotations))) return '';
  return JSON.stringify([o.createNamespace, sorted(o.namespaceLabels), sorted(o.namespaceAnnotations)]);
}

/**
 * Fleet's (Helm's) createNamespace: the release namespace exists before the
 * bundle's hooks and objects are applied, with namespaceLabels and
 * namespaceAnnotations on it. A Namespace object of that name in the bundle
 * wins (it is the bundle's own). Namespaced mode (FLOTILLA_NAMESPACES) does
 * not manage namespaces.
 */
export async function ensureReleaseNamespace(ctx: ReconcileContext, a: DeploymentAssignment, plan: Plan): Promise<AgentError | undefined> {
  const o = a.options;
  const name = o?.defaultNamespace;
  const labels = o?.namespaceLabels ?? {};
  const annotations = o?.namespaceAnnotations ?? {};
  if (!o || !name || ctx.allowedNamespaces) return undefined;
  if (!o.createNamespace && !hasEntries(labels) && !hasEntries(annotations)) return undefined;
  if (plan.steps.some((s) => s.objects.some((p) => isNamespace(p.ref) && p.ref.name === name))) return undefined;
  const path = `/api/v1/namespaces/${encodeURIComponent(name)}`;
  try {
    // Without createNamespace only an existing namespace gets the labels (server-side apply would create it).
    if (!o.createNamespace && !(await exists(ctx, path))) return undefined;
    await ctx.kube.request('PATCH', path, {
      query: { fieldManager: NAMESPACE_FIELD_MANAGER, force: true },
      body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels, annotations } },
      contentType: 'application/apply-patch+yaml',
    });
    return undefined;
  } catch (error) {
    return new AgentError('ApplyFailed', `release namespace ${name} could not be created or labelled: ${messageOf(error)}`, { cause: error, retryable: true });
  }
}

/** Fleet's deleteNamespace: the release namespace goes with the bundle (after its objects). */
export async function deleteReleaseNamespace(ctx: ReconcileContext, bundleName: string, name: string): Promise<void> {
  try {
    await ctx.kube.request('DELETE', `/api/v1/namespaces/${encodeURIComponent(name)}`);
    ctx.logger.info('deleted the release namespace of a removed bundle (deleteNamespace)', { bundle: bundleName, namespace: name });
  } catch (error) {
    if (!isNotFound(error)) throw new AgentError('PruneFailed', `removing bundle ${bundleName}: namespace ${name} could not be deleted: ${messageOf(error)}`, { cause: error, retryable: true });
  }
}

async function exists(ctx: ReconcileContext, path: string): Promise<boolean> {
  try {
    await ctx.kube.request('GET', path);
    return true;
  } catch (error) {
    if (isNotFound(error)) return false;
    throw error;
  }
}

function hasEntries(map: Record<string, string> | undefined): boolean {
  return !!map && Object.keys(map).length > 0;
}

function sorted(map: Record<string, string> | undefined): [string, string][] {
  return Object.entries(map ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}
