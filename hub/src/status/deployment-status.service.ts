import { Inject, Injectable } from '@nestjs/common';
import type { DeploymentStatus as ProtoStatus } from '@flotilla/proto';
import type { DeploymentState, Prisma } from '../generated/prisma/client.js';
import { PrismaService } from '../database/prisma.service.js';
import { DomainError } from '../platform/errors/domain-error.js';
import { FROM_PROTO, countByState, reportedState } from './deployment-state.js';

export interface DeploymentView {
  deploymentId: string;
  bundleName: string;
  clusterId: string;
  clusterName: string;
  state: DeploymentState;
  reason: string;
  message: string;
  desiredRevision: string;
  appliedRevision: string | null;
  reportedAt: string | null;
}

export interface ResourceView {
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
  state: DeploymentState;
  message: string;
  diffs: { path: string; desired: string; live: string }[];
}

const VIEW_SELECT = {
  id: true,
  state: true,
  reason: true,
  message: true,
  desiredRevision: true,
  appliedRevision: true,
  reportedAt: true,
  bundle: { select: { name: true } },
  cluster: { select: { id: true, name: true } },
} as const;

@Injectable()
export class DeploymentStatusService {
  constructor(@Inject(PrismaService) private readonly prisma: PrismaService) {}

  /**
   * Stores an agent's report. Only deployments of the calling cluster are
   * touched (the WHERE clause carries the cluster id from the credential);
   * returns how many were recorded.
   */
  async record(clusterId: string, reports: ProtoStatus[]): Promise<number> {
    if (reports.length === 0) return 0;
    const current = await this.prisma.deployment.findMany({
      where: { clusterId, id: { in: reports.map((r) => r.deploymentId).filter(isUuid) } },
      select: { id: true, desiredRevision: true },
    });
    const desired = new Map(current.map((d) => [d.id, d.desiredRevision]));
    const updates = reports.filter((r) => desired.has(r.deploymentId));
    await this.prisma.$transaction(
      updates.map((r) =>
        this.prisma.deployment.updateMany({
          where: { id: r.deploymentId, clusterId },
          data: {
            appliedRevision: r.appliedRevision,
            state: reportedState(desired.get(r.deploymentId)!, r.appliedRevision, FROM_PROTO[r.state] ?? 'Pending'),
            reason: r.reason,
            message: r.message,
            resources: r.resources.map((res) => ({
              apiVersion: res.apiVersion,
              kind: res.kind,
              namespace: res.namespace,
              name: res.name,
              state: FROM_PROTO[res.state] ?? 'Pending',
              message: res.message,
              diffs: res.diffs.map((d) => ({ path: d.path, desired: d.desired, live: d.live })),
            })) as Prisma.InputJsonValue,
            reportedAt: new Date(),
          },
        }),
      ),
    );
    return updates.length;
  }

  async bundleStatus(bundleName: string): Promise<{ bundle: string; revision: string; counts: Record<DeploymentState, number>; clusters: DeploymentView[] }> {
    const bundle = await this.prisma.bundle.findUnique({ where: { name: bundleName }, select: { id: true, revisionId: true } });
    if (!bundle) throw new DomainError('BundleNotFound', `bundle "${bundleName}" not found`);
    const rows = await this.prisma.deployment.findMany({ where: { bundleId: bundle.id }, select: VIEW_SELECT, orderBy: { cluster: { name: 'asc' } } });
    const clusters = rows.map(view);
    return { bundle: bundleName, revision: bundle.revisionId, counts: countByState(clusters.map((c) => c.state)), clusters };
  }

  async clusterDeployments(clusterId: string): Promise<DeploymentView[]> {
    if (!(await this.prisma.cluster.findUnique({ where: { id: clusterId }, select: { id: true } }))) {
      throw new DomainError('ClusterNotFound', `cluster ${clusterId} not found`);
    }
    const rows = await this.prisma.deployment.findMany({ where: { clusterId }, select: VIEW_SELECT, orderBy: { bundle: { name: 'asc' } } });
    return rows.map(view);
  }

  async deployment(id: string): Promise<DeploymentView & { resources: ResourceView[] }> {
    const row = await this.prisma.deployment.findUnique({ where: { id }, select: { ...VIEW_SELECT, resources: true } });
    if (!row) throw new DomainError('DeploymentNotFound', `deployment ${id} not found`);
    return { ...view(row), resources: row.resources as unknown as ResourceView[] };
  }
}

function view(row: {
  id: string;
  state: DeploymentState;
  reason: string;
  message: string;
  desiredRevision: string;
  appliedRevision: string | null;
  reportedAt: Date | null;
  bundle: { name: string };
  cluster: { id: string; name: string };
}): DeploymentView {
  return {
    deploymentId: row.id,
    bundleName: row.bundle.name,
    clusterId: row.cluster.id,
    clusterName: row.cluster.name,
    state: row.state,
    reason: row.reason,
    message: row.message,
    desiredRevision: row.desiredRevision,
    appliedRevision: row.appliedRevision,
    reportedAt: row.reportedAt?.toISOString() ?? null,
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
function isUuid(s: string): boolean {
  return UUID.test(s);
}
