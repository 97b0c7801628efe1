import type { Prisma } from '../generated/prisma/client.js';
import { wakeSignals } from '../platform/schedule/wake-signal.js';

type Db = Pick<Prisma.TransactionClient, '$executeRaw'>;

/**
 * What changed that a BundleSet may read: some clusters (joined, relabelled
 * or removed: `ids`), the clusters in general (a group changed), or a
 * GitRepo's commit.
 */
export type BundleSetInput = { clusters: true; ids?: readonly string[] } | { gitRepo: string };

/**
 * Stamps `evaluation_requested_at` on the BundleSets that may read what
 * changed, in the caller's transaction: the BundleSet scheduler
 * (bundlesets/evaluation) evaluates stamped BundleSets, so an input change is
 * never lost with a Redis job, and a BundleSet whose inputs do not change is
 * never evaluated. Known cluster ids are added to `pending_cluster_ids`, so
 * the evaluation may cover only those clusters; anything else asks for a
 * full one (`pending_full`). The match is deliberately wide (a text search
 * of the generators and template): an extra evaluation writes nothing when
 * nothing changed, a missed one would leave bundles stale.
 */
export async function requestBundleSetEvaluation(db: Db, input: BundleSetInput): Promise<void> {
  if ('clusters' in input) {
    if (input.ids?.length) {
      await db.$executeRaw`
        UPDATE bundle_sets SET evaluation_requested_at = now(), pending_cluster_ids = array_cat(pending_cluster_ids, ${[...input.ids]}::uuid[])
        WHERE generators::text LIKE '%"clusters"%'`;
    } else {
      await db.$executeRaw`
        UPDATE bundle_sets SET evaluation_requested_at = now(), pending_full = true
        WHERE generators::text LIKE '%"clusters"%'`;
    }
    wakeSignals.bundleSetEvaluations.notify();
    return;
  }
  await db.$executeRaw`
    UPDATE bundle_sets SET evaluation_requested_at = now(), pending_full = true
    WHERE strpos(generators::text || template::text, ${JSON.stringify(input.gitRepo)}) > 0
       OR strpos(template->>'gitRepo', '{{') > 0`;
  wakeSignals.bundleSetEvaluations.notify();
}
