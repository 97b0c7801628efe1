import { appendEvents } from '../../platform/events/fleet-event-log.js';
import { displayedStateSql } from './displayed-state.js';
import type { Tx } from './rollout-reads.js';

/** What a bundle's clusters should run now: its own content, or the pinned history entry's after a rollback. */
export interface BundleContent {
  /** The revision of a bundle of objects, the source digest of a directory bundle. */
  key: string;
  revisionId: string | null;
  sourceId: string | null;
}

export interface PinnedBundle {
  revision_id: string | null;
  source_id: string | null;
  pinned_rollout_id: string | null;
  pin_until: string;
  pinned_over: string;
}

export const contentOf = (revisionId: string | null, sourceId: string | null): BundleContent => ({
  key: (revisionId ?? sourceId)!,
  revisionId,
  sourceId,
});

/**
 * The content the fan-out stages (docs/rollouts.md, rollback): the pinned
 * entry's while a pin holds; a pin "until newContent" ends (is cleared here)
 * as soon as the bundle's own content differs from what it was when pinned.
 */
export async function effectiveContent(tx: Tx, bundleId: string, b: PinnedBundle): Promise<{ content: BundleContent; unpinned: boolean }> {
  const own = contentOf(b.revision_id, b.source_id);
  if (!b.pinned_rollout_id) return { content: own, unpinned: false };
  if (b.pin_until === 'newContent' && own.key !== b.pinned_over) {
    await tx.$executeRaw`UPDATE bundles SET pinned_rollout_id = NULL, pin_until = '', pinned_over = '' WHERE id = ${bundleId}::uuid`;
    return { content: own, unpinned: true };
  }
  const pinned = (
    await tx.$queryRaw<{ revision_id: string | null; source_id: string | null }[]>`
      SELECT revision_id, source_id FROM rollouts WHERE id = ${b.pinned_rollout_id}::uuid`
  )[0];
  return { content: pinned ? contentOf(pinned.revision_id, pinned.source_id) : own, unpinned: false };
}

export interface EntryContext {
  bundleId: string;
  bundle: string;
  gitRepo: string;
  commit: string;
  /** Why the content changed: created, change, rollback, unpin. */
  cause: string;
  /** History entries kept per bundle (FLOTILLA_ROLLOUT_HISTORY). */
  depth: number;
}

/**
 * Opens a new history entry (a new rollout) when what the clusters should run
 * differs from the latest entry's content; the entry it supersedes keeps its
 * outcome (counts by displayed state at that moment). Keeps `depth` entries
 * (and the pinned one). Returns whether an entry was opened.
 */
export async function openRolloutIfChanged(tx: Tx, content: BundleContent, ctx: EntryContext): Promise<boolean> {
  const latest = (
    await tx.$queryRaw<{ id: string; seq: number; content_key: string; state: string }[]>`
      SELECT id::text, seq, content_key, state FROM rollouts WHERE bundle_id = ${ctx.bundleId}::uuid ORDER BY seq DESC LIMIT 1`
  )[0];
  if (latest?.content_key === content.key) return false;
  if (latest && latest.state !== 'Completed') {
    await tx.$executeRaw`
      UPDATE rollouts SET state = 'Superseded', completed_at = now(), updated_at = now(),
        outcome = (SELECT jsonb_build_object('counts', coalesce(jsonb_object_agg(s, n), '{}'::jsonb))
                   FROM (SELECT ${displayedStateSql('d')} AS s, count(*) AS n FROM deployments d WHERE d.bundle_id = ${ctx.bundleId}::uuid GROUP BY 1) c)
      WHERE id = ${latest.id}::uuid`;
  }
  const seq = (latest?.seq ?? 0) + 1;
  const cause = latest ? ctx.cause : 'created';
  await tx.$executeRaw`
    INSERT INTO rollouts (id, bundle_id, seq, content_key, revision_id, source_id, commit, cause, updated_at)
    VALUES (gen_random_uuid(), ${ctx.bundleId}::uuid, ${seq}, ${content.key}, ${content.revisionId}, ${content.sourceId}, ${ctx.commit}, ${cause}, now())`;
  await tx.$executeRaw`
    DELETE FROM rollouts r WHERE r.bundle_id = ${ctx.bundleId}::uuid AND r.seq <= ${seq - ctx.depth}
      AND r.id IS DISTINCT FROM (SELECT pinned_rollout_id FROM bundles WHERE id = ${ctx.bundleId}::uuid)`;
  await appendEvents(tx, [
    {
      kind: 'rollout.started',
      bundle: ctx.bundle,
      gitRepo: ctx.gitRepo,
      message: `rollout #${seq} of ${ctx.bundle} started (${cause}${ctx.commit ? ` at ${ctx.commit.slice(0, 12)}` : ''})`,
      data: { seq, cause, content: content.key, commit: ctx.commit },
    },
  ]);
  return true;
}
