import { Injectable } from '@nestjs/common';
import type { DeploymentAssignment } from '@flotilla/proto';

/**
 * Where a cluster's deployment assignments come from. Bundles and their
 * per-cluster deployments are not built yet (issue 4), so every cluster's set
 * is empty for now; the Watch protocol, generations and change pushes around
 * it are complete.
 */
@Injectable()
export class AssignmentSource {
  async forCluster(_clusterId: string): Promise<DeploymentAssignment[]> {
    return [];
  }
}
