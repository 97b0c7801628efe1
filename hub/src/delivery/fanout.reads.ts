import type { LabelSelector, Labels } from '@flotilla/core';
import type { GroupSelectors, TargetableCluster } from '../target/bundle-target.js';
import type { PrismaService } from '../database/prisma.service.js';

/** A client or a transaction. */
type Db = Pick<PrismaService, 'cluster' | 'clusterGroup'>;

/** Every cluster as targeting sees it (id, name, labels). */
export async function readTargetableClusters(db: Db): Promise<TargetableCluster[]> {
  const rows = await db.cluster.findMany({ select: { id: true, name: true, labels: true } });
  return rows.map((r) => ({ id: r.id, name: r.name, labels: r.labels as Labels }));
}

/** Cluster group name → selector. */
export async function readGroupSelectors(db: Db): Promise<GroupSelectors> {
  const rows = await db.clusterGroup.findMany({ select: { name: true, selector: true } });
  return new Map(rows.map((g) => [g.name, g.selector as LabelSelector]));
}
