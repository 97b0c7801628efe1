import { createHash } from 'node:crypto';
import type { DeploymentAssignment, DesiredState } from '@flotilla/proto';

/**
 * Builds the DesiredState message for a set of assignments (pure). The
 * generation is a hash of the sorted content, so equal sets always get equal
 * generations on every hub replica and an agent that already holds the
 * current generation is not sent it again.
 */
export function desiredState(assignments: DeploymentAssignment[]): DesiredState {
  const sorted = [...assignments].sort((a, b) => a.deploymentId.localeCompare(b.deploymentId));
  const hash = createHash('sha256');
  // Options are part of the state: turning on correctDrift must reach the agent.
  for (const a of sorted) hash.update(`${a.deploymentId}\0${a.bundleName}\0${a.revision}\0${JSON.stringify(a.options ?? null)}\n`);
  return { generation: hash.digest('hex').slice(0, 32), deployments: sorted };
}
