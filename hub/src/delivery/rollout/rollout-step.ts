import { appendEvents, type FleetEventInput } from '../../platform/events/fleet-event-log.js';
import type { GroupSelectors } from '../../target/bundle-target.js';
import { readDependencyStates } from './dependency-reads.js';
import { windowState } from './plan/delivery-window.js';
import { planRolloutPasses, type PartitionStatus, type RolloutPlan, type RolloutTarget } from './plan/rollout-plan.js';
import { readDeployments, readLatestRollout, readRolloutSettings, type DeploymentRow, type RolloutRow, type Tx } from './rollout-reads.js';

/** Rollout phases after which nothing more happens until something changes. */
const FINAL = new Set(['Completed', 'Superseded']);

const identity = (revision: string | null, renderKey: string | null, options: unknown) =>
  revision === null ? null : JSON.stringify([revision, renderKey, options ?? null]);

/**
 * One planning pass of a bundle's rollout, in the caller's transaction,
 * which holds the bundle's row lock: reads its deployments and settings,
 * asks the planner what to deploy, gives those deployments their staged
 * values, and records the outcome on the current history entry (with an
 * event for each partition and phase change); returns the clusters whose
 * deployed revision changed (their generation must be raised). Idempotent: a
 * second pass with nothing changed deploys nothing and writes no event.
 */
export async function stepRollout(tx: Tx, bundleId: string, groups: GroupSelectors, now = Date.now()): Promise<string[]> {
  const settings = await readRolloutSettings(tx, bundleId);
  if (!settings) return [];
  const [rows, rollout] = await Promise.all([readDeployments(tx, bundleId), readLatestRollout(tx, bundleId)]);
  const deps = await readDependencyStates(tx, bundleId, settings, rows.map((r) => r.cluster_id));
  const targets = rows.map((r) => toTarget(r, deps.met(r.cluster_id)));
  const window = windowState(settings.windows, new Date(now));
  const plan = deps.cycle
    ? cyclePlan(targets, deps.cycle)
    : planRolloutPasses(targets, {
        strategy: settings.strategy,
        paused: settings.paused,
        windowOpen: window.open,
        promoted: new Set(rollout?.promoted ?? []),
        now,
        groups,
      });
  if (plan.phase === 'OutsideWindow' && window.nextOpen) plan.message = `outside every delivery window; the next opens at ${window.nextOpen.toISOString()}`;
  if (plan.deploy.length) {
    // deployed_at is the time of this write (clock_timestamp), not the transaction's start: a pass may have waited
    // for the bundle's lock, and progress deadlines count from when the cluster was really given the revision.
    await tx.$executeRaw`
      UPDATE deployments SET desired_revision = staged_revision, render_key = staged_render_key, options = staged_options,
        deployed_at = clock_timestamp(), state = 'WaitApplied', reason = '', message = '', report_hash = '', updated_at = now()
      WHERE id = ANY(${plan.deploy}::uuid[])`;
  }
  // Something staged and not deployed: reports from its clusters plan it again at once. An unfinished rollout with
  // everything deployed (waiting for Ready) is re-checked by the scheduler. A finished one keeps its outcome: later
  // health changes are deployment status, and clusters that join are deployed without reopening it.
  const open = rollout !== undefined && !FINAL.has(rollout.state);
  await tx.$executeRaw`UPDATE bundles SET rollout_pending = ${plan.pending} WHERE id = ${bundleId}::uuid AND rollout_pending <> ${plan.pending}`;
  if (open) await recordProgress(tx, rollout, plan, settings.name, settings.gitRepo, plan.phase === 'OutsideWindow' ? window.nextOpen ?? null : null);
  const deployed = new Set(plan.deploy);
  return rows.filter((r) => deployed.has(r.id)).map((r) => r.cluster_id);
}

function toTarget(r: DeploymentRow, dep: { met: boolean; waitingFor?: string }): RolloutTarget {
  const deployed = identity(r.desired_revision, r.render_key, r.options);
  return {
    deploymentId: r.id,
    cluster: { id: r.cluster_id, name: r.cluster_name, labels: r.labels },
    staged: identity(r.staged_revision, r.staged_render_key, r.staged_options)!,
    deployed,
    applied: deployed !== null && r.applied_revision === r.desired_revision,
    state: r.state,
    deployedAt: r.deployed_at?.getTime() ?? null,
    dependenciesMet: dep.met,
    ...(dep.waitingFor !== undefined ? { waitingFor: dep.waitingFor } : {}),
  };
}

/** A dependsOn cycle deploys nothing new: the bundles in it say so. */
function cyclePlan(targets: RolloutTarget[], cycle: string[]): RolloutPlan {
  const pending = targets.some((t) => t.deployed !== t.staged);
  return {
    deploy: [],
    phase: pending ? 'Halted' : 'Completed',
    message: pending ? `dependsOn cycle: ${cycle.join(' → ')}` : '',
    partitions: [],
    pending,
    moreNew: false,
  };
}

/** Writes the plan's status on the history entry, and an event for each change (none when nothing changed). */
async function recordProgress(tx: Tx, rollout: RolloutRow, plan: RolloutPlan, bundle: string, gitRepo: string, waitUntil: Date | null): Promise<void> {
  const events = progressEvents(rollout, plan, bundle, gitRepo);
  const unchanged = rollout.state === plan.phase && rollout.message === plan.message && JSON.stringify(rollout.partitions) === JSON.stringify(plan.partitions);
  if (unchanged && events.length === 0) return;
  const completed = plan.phase === 'Completed';
  await tx.$executeRaw`
    UPDATE rollouts SET state = ${plan.phase}, message = ${plan.message}, partitions = ${JSON.stringify(plan.partitions)}::jsonb, wait_until = ${waitUntil},
      completed_at = CASE WHEN ${completed} THEN coalesce(completed_at, now()) ELSE NULL END,
      outcome = CASE WHEN ${completed} THEN ${JSON.stringify(outcomeOf(plan.partitions))}::jsonb ELSE outcome END, updated_at = now()
    WHERE id = ${rollout.id}::uuid`;
  await appendEvents(tx, events);
}

/** Counts at the end of a rollout, and the clusters that failed. */
export function outcomeOf(partitions: PartitionStatus[]): Record<string, unknown> {
  return {
    clusters: partitions.reduce((n, p) => n + p.count, 0),
    notReady: partitions.reduce((n, p) => n + p.unavailable, 0),
    failed: partitions.flatMap((p) => p.failed).slice(0, 20),
  };
}

function progressEvents(rollout: RolloutRow, plan: RolloutPlan, bundle: string, gitRepo: string): FleetEventInput[] {
  const base = { bundle, gitRepo };
  const data = (extra: Record<string, unknown>) => ({ seq: rollout.seq, ...extra });
  const before = new Map(rollout.partitions.map((p) => [p.name, p.state]));
  const events: FleetEventInput[] = [];
  for (const p of plan.partitions) {
    const was = before.get(p.name) ?? 'Pending';
    if (was === p.state) continue;
    events.push({
      ...base,
      kind: 'rollout.partition',
      severity: p.state === 'Halted' ? 'error' : 'info',
      message: `rollout #${rollout.seq} of ${bundle}: partition "${p.name}" ${p.state}`,
      data: data({ partition: p.name, from: was, to: p.state, count: p.count, unavailable: p.unavailable, failed: p.failed }),
    });
  }
  if (rollout.state !== plan.phase) {
    const kind = plan.phase === 'Halted' ? 'rollout.halted' : plan.phase === 'Completed' ? 'rollout.completed' : undefined;
    if (kind) {
      events.push({
        ...base,
        kind,
        severity: kind === 'rollout.halted' ? 'error' : 'info',
        message: `rollout #${rollout.seq} of ${bundle} ${plan.phase}${plan.message ? `: ${plan.message}` : ''}`,
        data: data({ from: rollout.state, to: plan.phase }),
      });
    }
  }
  return events;
}

/**
 * Deploys every staged value of the bundle not deployed yet (a strategy that
 * deploys at once, after one that held some back), with no planning; returns
 * their clusters. The bundle's rollout then has nothing pending.
 */
export async function deployOutstanding(tx: Tx, bundleId: string): Promise<string[]> {
  const rows = await tx.$queryRaw<{ cluster_id: string }[]>`
    UPDATE deployments SET desired_revision = staged_revision, render_key = staged_render_key, options = staged_options,
      deployed_at = clock_timestamp(), state = 'WaitApplied', reason = '', message = '', report_hash = '', updated_at = now()
    WHERE bundle_id = ${bundleId}::uuid AND (desired_revision IS DISTINCT FROM staged_revision
      OR render_key IS DISTINCT FROM staged_render_key OR options::jsonb IS DISTINCT FROM staged_options::jsonb)
    RETURNING cluster_id::text`;
  await tx.$executeRaw`UPDATE bundles SET rollout_pending = false WHERE id = ${bundleId}::uuid AND rollout_pending`;
  return rows.map((r) => r.cluster_id);
}
