/** How a `_patch.` file is applied (wrangler `patch.GetPatchStyle`, which Fleet's overlays use). */
export type PatchStyle = 'json' | 'merge' | 'strategic';

/**
 * API groups of the Kubernetes types client-go's scheme registers: Fleet
 * strategic-merges objects of these (except CRDs) and JSON-merge-patches
 * everything else. Fleet checks the exact group/version/kind against the
 * scheme; the group is close enough (a made-up kind in a built-in group
 * would get kustomize's schema-less strategic merge, which acts like a merge patch).
 */
const BUILT_IN_GROUPS = new Set([
  '',
  'admissionregistration.k8s.io',
  'apps',
  'authentication.k8s.io',
  'authorization.k8s.io',
  'autoscaling',
  'batch',
  'certificates.k8s.io',
  'coordination.k8s.io',
  'discovery.k8s.io',
  'events.k8s.io',
  'extensions',
  'flowcontrol.apiserver.k8s.io',
  'internal.apiserver.k8s.io',
  'networking.k8s.io',
  'node.k8s.io',
  'policy',
  'rbac.authorization.k8s.io',
  'resource.k8s.io',
  'scheduling.k8s.io',
  'storage.k8s.io',
  'storagemigration.k8s.io',
]);

/**
 * Fleet's choice (pure): a list is an RFC 6902 JSON patch; otherwise the
 * target's apiVersion/kind decide: a built-in kind gets a strategic merge
 * patch, anything else (CRDs, custom resources, no kind) a JSON merge patch.
 */
export function patchStyle(target: unknown, patch: unknown): PatchStyle {
  if (Array.isArray(patch)) return 'json';
  if (typeof target !== 'object' || target === null || Array.isArray(target)) return 'merge';
  const { apiVersion, kind } = target as { apiVersion?: unknown; kind?: unknown };
  if (typeof apiVersion !== 'string' || typeof kind !== 'string' || !apiVersion || !kind) return 'merge';
  if (kind === 'CustomResourceDefinition') return 'merge';
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  return BUILT_IN_GROUPS.has(group) ? 'strategic' : 'merge';
}
