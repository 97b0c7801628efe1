import { formatAge } from '../../output/age.format.js';
import { formatTable } from '../../output/table.format.js';
import type { BundleRollout, PartitionStatus, Rollout } from './rollout-api.types.js';

/**
 * `rollout status` for people: a header (bundle, entry, state, pause and pin),
 * the rollout's message, where its content came from, then one row per
 * partition with its failed clusters named under it.
 */
export function formatRolloutStatus(view: BundleRollout, now = new Date()): string {
  const holds = [
    ...(view.paused ? [`paused by ${view.pausedBy.join(', ')}`] : []),
    ...(view.pinned ? [`pinned to ${view.pinned.seq === null ? 'an entry no longer in the history' : `#${view.pinned.seq}`} until ${view.pinned.until}`] : []),
  ];
  const r = view.rollout;
  const header = `bundle ${view.bundle}: ${r ? `rollout #${r.seq} ${r.state}` : 'no rollout yet'}${holds.length ? ` (${holds.join('; ')})` : ''}\n`;
  if (!r) return header;
  const origin = [
    `cause ${r.cause}`,
    ...(r.commit ? [`commit ${shortId(r.commit)}`] : []),
    ...(r.revision ? [`revision ${shortId(r.revision)}`] : r.source ? [`source ${shortId(r.source)}`] : []),
    `started ${formatAge(r.createdAt, now)} ago`,
    r.completedAt ? `completed ${formatAge(r.completedAt, now)} ago` : `updated ${formatAge(r.updatedAt, now)} ago`,
    // The message names the time; how far off it is, is what a glance wants.
    ...(r.state === 'OutsideWindow' && r.waitUntil ? [`next window in ${formatAge(now.toISOString(), new Date(r.waitUntil))}`] : []),
  ].join(', ');
  const lines = [header, ...(r.message ? [`${r.message}\n`] : []), `${origin}\n`];
  lines.push(r.partitions.length ? `\n${partitionTable(r)}` : 'no partitions: the bundle targets no cluster\n');
  return lines.join('');
}

/** NAME STATE CLUSTERS NOT-READY MAX-UNAVAIL APPROVAL, each partition's failed clusters indented under its row. */
export function partitionTable(r: Rollout): string {
  const rows = r.partitions.map((p) => [p.name, p.state, String(p.count), String(p.unavailable), String(p.maxUnavailable), approval(p)]);
  const [head, ...body] = formatTable(['NAME', 'STATE', 'CLUSTERS', 'NOT-READY', 'MAX-UNAVAIL', 'APPROVAL'], rows).trimEnd().split('\n');
  const out = [head!];
  r.partitions.forEach((p, i) => {
    out.push(body[i]!);
    for (const f of p.failed) out.push(`  failed: ${f.cluster} ${f.state}${f.message ? `: ${f.message}` : ''}`);
  });
  return `${out.join('\n')}\n`;
}

/** `required` (a gate not yet passed), `approved` (a gate promoted), `promoted` (continued past a halt), else none. */
function approval(p: PartitionStatus): string {
  if (p.requireApproval) return p.promoted ? 'approved' : 'required';
  return p.promoted ? 'promoted' : '';
}

/** `rollout history`: newest first, one row per entry. */
export function formatHistory(items: readonly Rollout[], now = new Date()): string {
  return formatTable(
    ['SEQ', 'STATE', 'CAUSE', 'COMMIT', 'REVISION', 'CREATED'],
    items.map((r) => [`#${r.seq}`, r.state, r.cause, shortId(r.commit), shortId(r.revision ?? r.source ?? ''), formatAge(r.createdAt, now)]),
  );
}

/** A Git commit or a `sha256:` digest cut to 12 hex digits, as `git log --oneline` cuts commits; anything else as is. */
export function shortId(id: string): string {
  const m = /^(sha256:)?([0-9a-f]{13,})$/.exec(id);
  return m ? `${m[1] ?? ''}${m[2]!.slice(0, 12)}` : id;
}
