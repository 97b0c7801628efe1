import type { DeploymentState } from '../../../generated/prisma/client.js';
import type { GroupSelectors, TargetableCluster } from '../../../target/bundle-target.js';
import { partitionTargets } from './partitions.js';
import { limit, ROLLOUT_DEFAULTS, type RolloutStrategy } from './rollout-strategy.js';

/** One deployment of the bundle as the planner sees it (Fleet's Target with its BundleDeployment). */
export interface RolloutTarget {
  deploymentId: string;
  cluster: TargetableCluster;
  /** Identity of what is staged (revision, customisation and options). */
  staged: string;
  /** Identity of what was deployed to the agent; null before the first deployment. */
  deployed: string | null;
  /** The agent reported on the deployed revision. */
  applied: boolean;
  /** The agent's last reported state. */
  state: DeploymentState;
  deployedAt: number | null;
  /** dependsOn: the bundles this one needs are in an accepted state on this cluster. */
  dependenciesMet: boolean;
  waitingFor?: string;
}

export interface RolloutInput {
  strategy: RolloutStrategy;
  paused: boolean;
  /** A delivery window is open (always, without a schedule). */
  windowOpen: boolean;
  /** Partitions promoted in this rollout (past an approval gate or a halt). */
  promoted: ReadonlySet<string>;
  now: number;
  groups: GroupSelectors;
}

export type PartitionState = 'Pending' | 'Rolling' | 'Done' | 'Halted' | 'AwaitingApproval';
export type RolloutPhase = 'Progressing' | 'Waiting' | 'Halted' | 'AwaitingApproval' | 'Paused' | 'OutsideWindow' | 'Completed';

export interface ClusterProblem {
  cluster: string;
  state: string;
  message: string;
}

export interface PartitionStatus {
  name: string;
  state: PartitionState;
  count: number;
  maxUnavailable: number;
  /** Clusters not yet Ready on the staged revision. */
  unavailable: number;
  failed: ClusterProblem[];
  requireApproval: boolean;
  promoted: boolean;
}

export interface RolloutPlan {
  /** Deployments to give their staged revision now. */
  deploy: string[];
  phase: RolloutPhase;
  message: string;
  partitions: PartitionStatus[];
  /** Something staged is still not deployed: the plan must run again when states change. */
  pending: boolean;
  /** maxNew held new deployments back: plan again right away. */
  moreNew: boolean;
}

/** Failed clusters named in a status (the counts cover all). */
const MAX_NAMED = 20;

function isUnavailable(t: RolloutTarget): boolean {
  return t.deployed !== null && (!t.applied || (t.state !== 'Ready' && t.state !== 'Modified'));
}

function upToDate(t: RolloutTarget): boolean {
  return t.deployed === t.staged && !isUnavailable(t);
}

function failed(t: RolloutTarget, now: number, deadlineMs: number): boolean {
  if (t.deployed !== t.staged || !isUnavailable(t)) return false;
  if (t.state === 'ErrApplied') return true;
  return t.deployedAt !== null && now - t.deployedAt > deadlineMs;
}

/**
 * What to deploy next (pure; docs/rollouts.md). Partitions go in order. In
 * each, staged revisions are deployed while the bundle's in-flight budget
 * (`maxUnavailable`, at least 1) allows, held back by dependsOn, `maxNew`
 * new deployments per pass, a pause or a closed window. A partition with more
 * clusters not Ready on the new revision than its `maxUnavailable` is over
 * budget; once more than `maxUnavailablePartitions` are, later partitions
 * wait. Over budget with more failed clusters (ErrApplied, or not Ready
 * within the progress deadline) than the budget, it is Halted until they
 * recover or it is promoted. A partition that requires approval waits for a
 * promote.
 */
export function planRollout(targets: RolloutTarget[], input: RolloutInput): RolloutPlan {
  const { strategy } = input;
  const partitions = partitionTargets(strategy, targets, input.groups);
  const inFlightMax = Math.max(1, limit(targets.length, strategy.maxUnavailable, ROLLOUT_DEFAULTS.maxUnavailable));
  const maxPartitionsDown = limit(partitions.length, strategy.maxUnavailablePartitions, ROLLOUT_DEFAULTS.maxUnavailablePartitions, 'maxUnavailablePartitions');
  const maxNew = strategy.maxNew ?? ROLLOUT_DEFAULTS.maxNew;
  const deadlineMs = (strategy.progressDeadlineSeconds ?? ROLLOUT_DEFAULTS.progressDeadlineSeconds) * 1000;
  const canDeploy = !input.paused && input.windowOpen;
  const current = new Map(targets.map((t) => [t.deploymentId, { ...t }]));
  const deploy: string[] = [];
  let inFlight = targets.filter(isUnavailable).length;
  let newCount = 0;
  let moreNew = false;
  let partitionsDown = 0;
  let stop: { phase: RolloutPhase; message: string } | undefined;
  const statuses: PartitionStatus[] = [];

  for (const p of partitions) {
    const mine = p.targets.map((t) => current.get(t.deploymentId)!);
    const promoted = input.promoted.has(p.name);
    const base = { name: p.name, count: mine.length, maxUnavailable: p.maxUnavailable, requireApproval: p.requireApproval, promoted };
    const notUpToDate = () => mine.filter((t) => !upToDate(t)).length;
    if (stop) {
      statuses.push({ ...base, state: notUpToDate() ? 'Pending' : 'Done', unavailable: notUpToDate(), failed: [] });
      continue;
    }
    const needs = mine.filter((t) => t.deployed !== t.staged);
    if (p.requireApproval && !promoted && needs.length > 0) {
      statuses.push({ ...base, state: 'AwaitingApproval', unavailable: notUpToDate(), failed: [] });
      stop = { phase: 'AwaitingApproval', message: `partition "${p.name}" waits for approval (promote the rollout)` };
      continue;
    }
    if (canDeploy) {
      for (const t of needs) {
        if (!t.dependenciesMet) continue;
        if (t.deployed === null && newCount >= maxNew) {
          moreNew = true;
          continue;
        }
        const wasUnavailable = isUnavailable(t);
        if (!wasUnavailable && inFlight >= inFlightMax) continue;
        if (t.deployed === null) newCount++;
        if (!wasUnavailable) inFlight++;
        deploy.push(t.deploymentId);
        Object.assign(t, { deployed: t.staged, applied: false, state: 'WaitApplied', deployedAt: input.now });
      }
    }
    const unavailable = notUpToDate();
    const failures = mine.filter((t) => failed(t, input.now, deadlineMs));
    const problems = failures.slice(0, MAX_NAMED).map((t) => ({ cluster: t.cluster.name, state: t.state, message: t.deployedAt !== null && t.state !== 'ErrApplied' ? `not Ready within ${deadlineMs / 1000} s` : '' }));
    const halted = failures.length > p.maxUnavailable;
    const state: PartitionState = unavailable === 0 ? 'Done' : halted && !promoted ? 'Halted' : 'Rolling';
    statuses.push({ ...base, state, unavailable, failed: problems });
    if (unavailable > p.maxUnavailable && !promoted && ++partitionsDown > maxPartitionsDown) {
      const waiting = mine.filter((t) => !t.dependenciesMet && t.deployed !== t.staged);
      stop = halted
        ? { phase: 'Halted', message: `partition "${p.name}": ${failures.length} of ${mine.length} cluster(s) failed (max unavailable ${p.maxUnavailable}): ${problems.map((f) => `${f.cluster} ${f.state}`).join(', ')}` }
        : { phase: 'Waiting', message: `partition "${p.name}": ${unavailable} of ${mine.length} cluster(s) not Ready on the new revision yet (max unavailable ${p.maxUnavailable})${waiting.length ? `; ${waiting.length} wait for dependencies (${waiting[0]!.waitingFor ?? 'dependsOn'})` : ''}` };
    }
  }
  const pending = [...current.values()].some((t) => t.deployed !== t.staged);
  const done = statuses.every((s) => s.state === 'Done');
  let phase: RolloutPhase = done ? 'Completed' : stop?.phase ?? 'Progressing';
  let message = done ? '' : stop?.message ?? heldMessage([...current.values()]);
  if (!done && pending && input.paused) [phase, message] = ['Paused', 'the rollout is paused'];
  else if (!done && pending && !input.windowOpen) [phase, message] = ['OutsideWindow', 'outside every delivery window'];
  return { deploy, phase, message, partitions: statuses, pending, moreNew };
}

/** Why a rollout that is not stopped still has clusters to go: dependsOn holds them. */
function heldMessage(targets: RolloutTarget[]): string {
  const held = targets.filter((t) => !t.dependenciesMet && t.deployed !== t.staged);
  return held.length ? `${held.length} cluster(s) wait for dependencies (${held[0]!.waitingFor ?? 'dependsOn'})` : '';
}

/** Passes one planning run makes at most (maxNew 1 over 1,000 new clusters needs 1,000). */
const MAX_PASSES = 10_000;

/**
 * Planning passes back to back until maxNew holds nothing back (pure): what
 * Fleet does by re-queueing the bundle at once, without a round trip per
 * pass. Each pass sees the previous passes' deployments as deployed and not
 * yet Ready, so budgets and gates hold across them; the result deploys their
 * union and reports the last pass's status.
 */
export function planRolloutPasses(targets: RolloutTarget[], input: RolloutInput): RolloutPlan {
  let current = targets;
  const deploy: string[] = [];
  for (let pass = 0; ; pass++) {
    const plan = planRollout(current, input);
    deploy.push(...plan.deploy);
    if (!plan.moreNew || plan.deploy.length === 0 || pass >= MAX_PASSES) return { ...plan, deploy };
    const now = new Set(plan.deploy);
    current = current.map((t) => (now.has(t.deploymentId) ? { ...t, deployed: t.staged, applied: false, state: 'WaitApplied', deployedAt: input.now } : t));
  }
}
