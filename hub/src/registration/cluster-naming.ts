import { createHash } from 'node:crypto';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export function isValidClusterName(name: string): boolean {
  return name.length <= 63 && DNS_LABEL.test(name);
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
