import type { PrismaService } from '../database/prisma.service.js';

/** A Prisma client or interactive transaction. */
export type Db = Pick<PrismaService, '$executeRaw' | '$queryRaw'>;

/**
 * Raises the desired-state generation of each cluster. Call it in the same
 * transaction as the change to the clusters' deployments (or their bundles'
 * options): a stream that sees generation N then reads a state at least as
 * new as N, and a stream whose last sent generation is below PostgreSQL's is
 * behind and gets refreshed by the gateway's periodic re-check, whatever
 * happened to the pub/sub event.
 *
 * The generations live in `cluster_generations` (one narrow row per cluster,
 * created with it), not on the clusters row: a bundle change raises one per
 * cluster it reaches. Rows are locked in id order so that concurrent fan-outs
 * over overlapping clusters do not deadlock each other; a cluster deleted
 * meanwhile has no row and is skipped.
 */
export async function raiseGenerations(db: Db, clusterIds: readonly string[]): Promise<void> {
  const ids = [...new Set(clusterIds)].sort();
  if (ids.length === 0) return;
  await db.$executeRaw`
    UPDATE cluster_generations SET generation = generation + 1
    WHERE cluster_id IN (SELECT cluster_id FROM cluster_generations WHERE cluster_id = ANY(${ids}::uuid[]) ORDER BY cluster_id FOR NO KEY UPDATE)`;
}

/** Raises the generation of every cluster that has a deployment of the bundle. */
export async function raiseGenerationsOfBundle(db: Db, bundleId: string): Promise<string[]> {
  const rows = await db.$queryRaw<{ cluster_id: string }[]>`
    SELECT cluster_id::text FROM deployments WHERE bundle_id = ${bundleId}::uuid`;
  const ids = rows.map((r) => r.cluster_id);
  await raiseGenerations(db, ids);
  return ids;
}
