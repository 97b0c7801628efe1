import type { Prisma } from '../generated/prisma/client.js';

type Db = Pick<Prisma.TransactionClient, '$executeRaw'>;

/**
 * Advances a GitRepo's `rendered_commit` to its fetched `commit` when that
 * commit is wholly rendered: its last sync wrote every bundle (Synced, no
 * failures) and none of its bundles is Rendering or Failed. Called by both
 * sides that can complete it — the sync after it records a commit, and the
 * fan-out after it marks a bundle Rendered — so whichever finishes last
 * advances it; a commit that fails to render leaves the previous one.
 * `bundleId` names the GitRepo through its bundle (a bundle with no GitRepo
 * updates nothing). Call it inside a transaction (see the lock below).
 */
export async function advanceRenderedCommit(db: Db, of: { gitRepoId: string } | { bundleId: string }): Promise<void> {
  const repo = 'gitRepoId' in of ? of.gitRepoId : null;
  const bundle = 'bundleId' in of ? of.bundleId : null;
  // Both sides run this in a transaction and take this lock first (held to commit): otherwise each can check before
  // the other's change is visible — the sync before the fan-out committed "Rendered", the fan-out before the sync
  // committed the new commit — and neither advances. With the lock the later one waits and sees both.
  // (No GitRepo: the key is NULL and the strict lock function takes nothing.)
  await db.$executeRaw`
    SELECT pg_advisory_xact_lock(hashtextextended('flotilla:rendered-commit:' || COALESCE(${repo}::uuid, (SELECT git_repo_id FROM bundles WHERE id = ${bundle}::uuid))::text, 0))`;
  await db.$executeRaw`
    UPDATE git_repos g SET rendered_commit = g.commit, rendered_at = now()
    WHERE g.id = COALESCE(${repo}::uuid, (SELECT git_repo_id FROM bundles WHERE id = ${bundle}::uuid))
      AND g.commit <> '' AND g.rendered_commit <> g.commit
      AND g.sync_reason = 'Synced' AND g.sync_message = ''
      AND NOT EXISTS (SELECT 1 FROM bundles b WHERE b.git_repo_id = g.id AND b.render_state IN ('Rendering', 'Failed'))`;
}
