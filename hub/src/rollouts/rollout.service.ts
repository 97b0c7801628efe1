import { Inject, Injectable } from '@nestjs/common';
import type { RolloutStrategy } from '@flotilla/render';
import { PrismaService } from '../database/prisma.service.js';
import { DeploymentFanout } from '../delivery/deployment-fanout.service.js';
import { contentOf } from '../delivery/rollout/rollout-history.js';
import { readRolloutSettings } from '../delivery/rollout/rollout-reads.js';
import { RolloutQueue } from '../delivery/rollout/rollout.queue.js';
import type { PartitionStatus } from '../delivery/rollout/plan/rollout-plan.js';
import { DomainError } from '../platform/errors/domain-error.js';
import { appendEvents } from '../platform/events/fleet-event-log.js';
import { decodeCursor, toPage, type Page, type PageRequest } from '../platform/http/pagination.js';
import { rolloutView, type RolloutRecord, type RolloutView } from './rollout.view.js';

export interface BundleRolloutView {
  bundle: string;
  paused: boolean;
  pausedBy: ('api' | 'fleet.yaml' | 'gitRepo')[];
  pinned: { seq: number | null; until: 'unpinned' | 'newContent' } | null;
  strategy: RolloutStrategy;
  rollout: RolloutView | null;
}

type Tx = Parameters<Parameters<PrismaService['$transaction']>[0]>[0];

interface LockedBundle {
  id: string;
  name: string;
  revision_id: string | null;
  source_id: string | null;
  pinned_rollout_id: string | null;
  git_repo: string | null;
  commit: string | null;
}

/**
 * What a person does to a rollout through the API: look at it and its
 * history, pause and resume it (per bundle or GitRepo), promote a partition
 * past an approval gate or a halt, roll back to a history entry (a pin) and
 * unpin. Every action is written to PostgreSQL with its event; pause,
 * resume and promote then request a rollout pass (the pass, not the action,
 * deploys); a rollback or unpin runs the bundle's fan-out with the pin change
 * in its transaction, which stages the pinned content and runs the first pass.
 */
@Injectable()
export class RolloutService {
  constructor(
    @Inject(PrismaService) private readonly prisma: PrismaService,
    @Inject(RolloutQueue) private readonly rollouts: RolloutQueue,
    @Inject(DeploymentFanout) private readonly fanout: DeploymentFanout,
  ) {}

  async get(name: string): Promise<BundleRolloutView> {
    const b = await this.prisma.bundle.findUnique({
      where: { name },
      select: {
        id: true,
        paused: true,
        pinUntil: true,
        pinnedRolloutId: true,
        pinnedRollout: { select: { seq: true } },
        source: { select: { fleetYaml: true } },
        gitRepo: { select: { rolloutPaused: true } },
        rollouts: { orderBy: { seq: 'desc' }, take: 1 },
      },
    });
    if (!b) throw bundleNotFound(name);
    const settings = await readRolloutSettings(this.prisma, b.id);
    const pausedBy: BundleRolloutView['pausedBy'] = [];
    if (b.paused) pausedBy.push('api');
    if ((b.source?.fleetYaml as { paused?: boolean } | undefined)?.paused === true) pausedBy.push('fleet.yaml');
    if (b.gitRepo?.rolloutPaused) pausedBy.push('gitRepo');
    const latest = b.rollouts[0];
    return {
      bundle: name,
      paused: pausedBy.length > 0,
      pausedBy,
      pinned: b.pinnedRolloutId ? { seq: b.pinnedRollout?.seq ?? null, until: b.pinUntil === 'unpinned' ? 'unpinned' : 'newContent' } : null,
      strategy: settings?.strategy ?? {},
      rollout: latest ? rolloutView(latest as RolloutRecord) : null,
    };
  }

  async history(name: string, page: PageRequest): Promise<Page<RolloutView>> {
    const b = await this.prisma.bundle.findUnique({ where: { name }, select: { id: true } });
    if (!b) throw bundleNotFound(name);
    const after = decodeCursor(page.cursor, 1)?.[0];
    const rows = await this.prisma.rollout.findMany({
      where: { bundleId: b.id, ...(after !== undefined ? { seq: { lt: Number(after) } } : {}) },
      orderBy: { seq: 'desc' },
      take: page.limit + 1,
    });
    return toPage(rows, page.limit, (r) => [String(r.seq)], (r) => rolloutView(r as RolloutRecord));
  }

  async setPaused(name: string, paused: boolean): Promise<BundleRolloutView> {
    const id = await this.prisma.$transaction(async (tx) => {
      const b = await lockBundle(tx, name);
      const rows = await tx.$executeRaw`UPDATE bundles SET paused = ${paused} WHERE id = ${b.id}::uuid AND paused <> ${paused}`;
      if (rows > 0) {
        await appendEvents(tx, [
          { kind: paused ? 'rollout.paused' : 'rollout.resumed', bundle: name, gitRepo: b.git_repo ?? '', message: `rollouts of ${name} ${paused ? 'paused' : 'resumed'}`, data: {} },
        ]);
      }
      return b.id;
    });
    await this.rollouts.request([id]);
    return this.get(name);
  }

  async promote(name: string, partition: string | undefined): Promise<BundleRolloutView> {
    const id = await this.prisma.$transaction(async (tx) => {
      const b = await lockBundle(tx, name);
      const latest = (await tx.$queryRaw<{ id: string; seq: number; partitions: PartitionStatus[]; promoted: string[] }[]>`
        SELECT id::text, seq, partitions, promoted FROM rollouts WHERE bundle_id = ${b.id}::uuid ORDER BY seq DESC LIMIT 1`)[0];
      if (!latest) throw new DomainError('NothingToPromote', `bundle "${name}" has no rollout`);
      const target = partition ?? latest.partitions.find((p) => (p.state === 'Halted' || p.state === 'AwaitingApproval') && !p.promoted)?.name;
      if (target === undefined) throw new DomainError('NothingToPromote', `rollout #${latest.seq} of "${name}" has no partition that is halted or waits for approval`);
      if (!latest.partitions.some((p) => p.name === target)) {
        const names = latest.partitions.map((p) => `"${p.name}"`).join(', ');
        throw new DomainError('PartitionNotFound', `rollout #${latest.seq} of "${name}" has no partition "${target}" (it has ${names || 'none yet'})`, { field: 'partition' });
      }
      if (!latest.promoted.includes(target)) {
        await tx.$executeRaw`UPDATE rollouts SET promoted = array_append(promoted, ${target}), updated_at = now() WHERE id = ${latest.id}::uuid`;
        await appendEvents(tx, [
          { kind: 'rollout.promoted', bundle: name, gitRepo: b.git_repo ?? '', message: `rollout #${latest.seq} of ${name}: partition "${target}" promoted`, data: { seq: latest.seq, partition: target } },
        ]);
      }
      return b.id;
    });
    await this.rollouts.request([id]);
    return this.get(name);
  }

  /**
   * Pins the bundle to history entry `to`: the fan-out stages that entry's
   * revision on every cluster and the rollout deploys it (with the bundle's
   * strategy). `newContent`: the pin ends by itself when the bundle's own
   * content changes (a new commit; `git revert` keeps working); `unpinned`:
   * only an unpin ends it.
   */
  async rollback(name: string, to: number, until: 'unpinned' | 'newContent'): Promise<BundleRolloutView> {
    const id = await this.bundleId(name);
    await this.fanout.reconcileBundle(id, {
      cause: `rollback to #${to}`,
      apply: async (tx) => {
        const b = await lockBundle(tx, name);
        const target = (await tx.$queryRaw<{ id: string; content_key: string }[]>`
          SELECT id::text, content_key FROM rollouts WHERE bundle_id = ${b.id}::uuid AND seq = ${to}`)[0];
        if (!target) throw new DomainError('RolloutNotFound', `bundle "${name}" has no history entry #${to} (see GET /api/v1/bundles/${name}/rollouts)`, { field: 'to' });
        const current = (await tx.$queryRaw<{ content_key: string }[]>`
          SELECT content_key FROM rollouts WHERE bundle_id = ${b.id}::uuid ORDER BY seq DESC LIMIT 1`)[0];
        if (current?.content_key === target.content_key) {
          throw new DomainError('RollbackNotPossible', `bundle "${name}" already rolls out the content of #${to}`, { field: 'to' });
        }
        await tx.$executeRaw`
          UPDATE bundles SET pinned_rollout_id = ${target.id}::uuid, pin_until = ${until}, pinned_over = ${contentOf(b.revision_id, b.source_id).key}
          WHERE id = ${b.id}::uuid`;
        await appendEvents(tx, [
          { kind: 'rollout.rolledBack', bundle: name, gitRepo: b.git_repo ?? '', severity: 'warning', message: `${name} rolled back to #${to} (pinned until ${until})`, data: { to, until } },
        ]);
      },
    });
    return this.get(name);
  }

  async unpin(name: string): Promise<BundleRolloutView> {
    const id = await this.bundleId(name);
    await this.fanout.reconcileBundle(id, {
      cause: 'unpin',
      apply: async (tx) => {
        const b = await lockBundle(tx, name);
        if (!b.pinned_rollout_id) throw new DomainError('NotPinned', `bundle "${name}" is not pinned`);
        await tx.$executeRaw`UPDATE bundles SET pinned_rollout_id = NULL, pin_until = '', pinned_over = '' WHERE id = ${b.id}::uuid`;
        await appendEvents(tx, [{ kind: 'rollout.unpinned', bundle: name, gitRepo: b.git_repo ?? '', message: `${name} unpinned`, data: {} }]);
      },
    });
    return this.get(name);
  }

  private async bundleId(name: string): Promise<string> {
    const b = await this.prisma.bundle.findUnique({ where: { name }, select: { id: true } });
    if (!b) throw bundleNotFound(name);
    return b.id;
  }

  /** Pauses or resumes the rollouts of every bundle of a GitRepo. */
  async setGitRepoPaused(name: string, paused: boolean): Promise<void> {
    const ids = await this.prisma.$transaction(async (tx) => {
      const repo = (await tx.$queryRaw<{ id: string; rollout_paused: boolean }[]>`
        SELECT id::text, rollout_paused FROM git_repos WHERE name = ${name} FOR UPDATE`)[0];
      if (!repo) throw new DomainError('GitRepoNotFound', `GitRepo "${name}" not found`);
      if (repo.rollout_paused !== paused) {
        await tx.$executeRaw`UPDATE git_repos SET rollout_paused = ${paused} WHERE id = ${repo.id}::uuid`;
        await appendEvents(tx, [
          { kind: paused ? 'rollout.paused' : 'rollout.resumed', gitRepo: name, message: `rollouts of GitRepo ${name} ${paused ? 'paused' : 'resumed'}`, data: {} },
        ]);
      }
      return (await tx.$queryRaw<{ id: string }[]>`SELECT id::text FROM bundles WHERE git_repo_id = ${repo.id}::uuid`).map((r) => r.id);
    });
    await this.rollouts.request(ids);
  }
}

async function lockBundle(tx: Tx, name: string): Promise<LockedBundle> {
  const b = (await tx.$queryRaw<LockedBundle[]>`
    SELECT b.id::text, b.name, b.revision_id, b.source_id, b.pinned_rollout_id::text, g.name AS git_repo, g.commit
    FROM bundles b LEFT JOIN git_repos g ON g.id = b.git_repo_id WHERE b.name = ${name} FOR UPDATE OF b`)[0];
  if (!b) throw bundleNotFound(name);
  return b;
}

function bundleNotFound(name: string): DomainError {
  return new DomainError('BundleNotFound', `bundle "${name}" not found`);
}
