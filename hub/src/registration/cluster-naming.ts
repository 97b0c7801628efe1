import { createHash } from 'node:crypto';
import { isDnsLabel } from '@flotilla/core';

/** Cluster names are RFC 1123 DNS labels (rules: @flotilla/core). */
export function isValidClusterName(name: string): boolean {
  return isDnsLabel(name);
}

/** Short stable suffix derived from the cluster identity. */
export function identitySuffix(identity: string): string {
  return createHash('sha256').update(identity).digest('hex').slice(0, 8);
}

/**
 * Name candidates in order of preference: the requested name, then the
 * requested name with a suffix from the identity (as Fleet appends a hash when
 * names collide), then a name derived from the identity alone.
 */
export function clusterNameCandidates(requested: string, identity: string): string[] {
  const suffix = identitySuffix(identity);
  const fallback = `cluster-${suffix}`;
  if (!requested) return [fallback];
  return [requested, `${requested.slice(0, 63 - 9)}-${suffix}`, fallback];
}
