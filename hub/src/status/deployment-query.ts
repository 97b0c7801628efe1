import type { DeploymentState } from '../generated/prisma/client.js';
import type { Page } from '../platform/http/pagination.js';
import type { DeploymentRowFilter } from './deployment-rows.js';
import type { RevisionCounts } from './gitrepo-summary.js';
import { STATE_SEVERITY } from './deployment-state.js';
import type { DeploymentView } from './deployment-status.service.js';

/** Filters of a bundle's or a cluster's deployment list (the rest of DeploymentRowFilter is the list's own scope). */
export type DeploymentFilter = Pick<DeploymentRowFilter, 'state' | 'revision' | 'notOnLatest' | 'selector'>;

/** `GET /bundles/:name/status`: counts over all deployments, plus one page of them. */
export interface BundleStatusView extends Page<DeploymentView> {
  bundle: string;
  /** null for a directory bundle, whose deployments each have their own revision. */
  revision: string | null;
  /** Deployments of the bundle, all states (not just this page). */
  total: number;
  /** Deployments per state, every state present (zero included). */
  counts: Record<DeploymentState, number>;
  /** Per revision: clusters that have it staged, deployed (given) and applied (running). */
  revisions: RevisionCounts[];
}

/** GROUP BY rows → a count for every state. */
export function countsOf(grouped: { state: DeploymentState; n: number }[]): Record<DeploymentState, number> {
  const counts = Object.fromEntries(STATE_SEVERITY.map((s) => [s, 0])) as Record<DeploymentState, number>;
  for (const g of grouped) counts[g.state] = g.n;
  return counts;
}
