import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { Prisma } from '../generated/prisma/client.js';
import { SourceBundleWriter } from '../bundles/source-bundle.writer.js';
import { RolloutQueue } from '../delivery/rollout/rollout.queue.js';
import { PrismaService } from '../database/prisma.service.js';
import { HUB_CONFIG } from '../platform/config/config.module.js';
import type { HubConfig } from '../platform/config/config.js';
import { DomainError } from '../platform/errors/domain-error.js';
import { decodeCursor, toPage, type Page, type PageRequest } from '../platform/http/pagination.js';
import { SecretBox } from '../security/secret-box.js';
import { assertValidTargets, type BundleTarget } from '../target/bundle-target.js';
import type { PutGitRepo } from './gitrepo.api.js';
import { gitRepoCondition, type GitRepoBundleState, type SyncIssue } from './gitrepo-status.js';
import { GitSyncQueue } from './git-sync.queue.js';
import { parseGitUrl } from './git/git-url.js';
import { secretContext, SEALED_COLUMNS, type SealedColumn } from '../security/gitrepo-secrets.js';

export interface GitRepoView {
  id: string;
  name: string;
  repo: string;
  branch: string | null;
  revision: string | null;
  paths: string[];
  targets: BundleTarget[];
  hasCredentials: boolean;
  hasHelmCredentials: boolean;
  hasWebhookSecret: boolean;
  helmRepoUrlRegex: string;
  caBundle: string;
  insecureSkipTlsVerify: boolean;
  pollingInterval: number;
  disablePolling: boolean;
  paused: boolean;
  targetNamespace: string;
  keepResources: boolean;
  correctDrift: boolean;
  sourceOnly: boolean;
  rolloutStrategy: Record<string, unknown> | null;
  schedule: unknown[] | null;
  rolloutPaused: boolean;
  status: {
    ready: boolean;
    reason: string;
    message: string;
    commit: { sha: string; message: string; author: string; time: string | null } | null;
    renderedCommit: { sha: string; at: string | null } | null;
    polledAt: string | null;
    fetchedAt: string | null;
    issues: SyncIssue[];
    bundles: GitRepoBundleState[];
  };
  createdAt: string;
  updatedAt: string;
}

const WITH_BUNDLES = { bundles: { select: { id: true, name: true, gitPath: true, renderState: true, renderReason: true, renderMessage: true }, orderBy: { name: 'asc' } } } as const;
type Row = Prisma.GitRepoGetPayload<{ include: typeof WITH_BUNDLES }>;

/**
 * GitRepos through the REST API. Secrets (credentials, helm credentials,
 * webhook secret) are sealed before they are written and never leave the hub
 * again: a view only says whether each is set. A PUT that omits a secret keeps
 * the stored one (so a GET-edit-PUT round trip does not wipe it); `null`-ing
 * one is done by deleting and re-creating the GitRepo.
 */
@Injectable()
export class GitRepoService implements OnApplicationBootstrap {
  private readonly logger = new Logger(GitRepoService.name);
  private readonly box: SecretBox;
  private readonly allowFileUrls: boolean;

  constructor(
    @Inject(PrismaService) private readonly prisma: PrismaService,
    @Inject(GitSyncQueue) private readonly queue: GitSyncQueue,
    @Inject(SourceBundleWriter) private readonly bundles: SourceBundleWriter,
    @Inject(RolloutQueue) private readonly rollouts: RolloutQueue,
    @Inject(HUB_CONFIG) config: HubConfig,
  ) {
    this.box = new SecretBox(config.secretKeys);
    this.allowFileUrls = config.git.allowFileUrls;
  }

  /** Key rotation: re-seals what an older key sealed (see FLOTILLA_SECRET_KEYS). */
  async onApplicationBootstrap(): Promise<void> {
    if (!this.box.canSeal) return;
    try {
      const resealed = await this.resealStale();
      if (resealed) this.logger.log(`re-sealed ${resealed} GitRepo secret(s) with the first key of FLOTILLA_SECRET_KEYS`);
    } catch (error) {
      this.logger.warn(`re-sealing GitRepo secrets failed: ${(error as Error).message}`);
    }
  }

  async put(name: string, input: PutGitRepo): Promise<{ created: boolean; repo: GitRepoView }> {
    const transport = parseGitUrl(input.repo, { allowFile: this.allowFileUrls }, 'body.repo');
    assertValidTargets(input.targets, 'body.targets');
    if (input.credentials?.sshPrivateKey && transport !== 'ssh') throw invalid('body.credentials.sshPrivateKey', `an SSH key needs an ssh:// or user@host:path URL (repo is ${transport})`);
    if (transport === 'ssh' && input.credentials && !input.credentials.knownHosts) throw invalid('body.credentials.knownHosts', 'SSH needs the known_hosts lines of the host (there is no trust on first use)');
    const existing = await this.prisma.gitRepo.findUnique({ where: { name }, select: { id: true } });
    const id = existing?.id ?? randomUUID();
    const sealed: Partial<Record<SealedColumn, Uint8Array<ArrayBuffer>>> = {};
    const secrets: Record<SealedColumn, unknown> = { credentials: input.credentials, helmCredentials: input.helmCredentials, webhookSecret: input.webhookSecret };
    for (const column of SEALED_COLUMNS) {
      const value = secrets[column];
      if (value === undefined) continue;
      sealed[column] = new Uint8Array(this.box.seal(typeof value === 'string' ? value : JSON.stringify(value), secretContext(id, column)));
    }
    const data = {
      repo: input.repo,
      branch: input.branch ?? (input.revision ? null : 'master'),
      revision: input.revision ?? null,
      paths: input.paths,
      targets: input.targets as unknown as Prisma.InputJsonValue,
      helmRepoUrlRegex: input.helmRepoUrlRegex,
      caBundle: input.caBundle,
      insecureSkipTlsVerify: input.insecureSkipTlsVerify,
      pollingIntervalSeconds: input.pollingInterval,
      disablePolling: input.disablePolling,
      paused: input.paused,
      targetNamespace: input.targetNamespace,
      keepResources: input.keepResources,
      correctDrift: input.correctDrift,
      sourceOnly: input.sourceOnly,
      rolloutStrategy: input.rolloutStrategy === undefined ? Prisma.DbNull : (input.rolloutStrategy as Prisma.InputJsonValue),
      schedule: input.schedule === undefined ? Prisma.DbNull : (input.schedule as Prisma.InputJsonValue),
      ...sealed,
      // Any change is worth a sync now (a new URL, ref, path, targets or resumed pause).
      syncRequestedAt: new Date(),
      nextPollAt: new Date(),
    };
    const row = await this.prisma.gitRepo.upsert({ where: { name }, create: { id, name, ...data }, update: data, include: WITH_BUNDLES });
    await this.queue.sync(row.id);
    // Its rollout defaults or windows may have changed: its bundles' rollouts are planned again.
    if (existing) await this.rollouts.request(row.bundles.map((b) => b.id));
    return { created: !existing, repo: this.view(row) };
  }

  async list(page: PageRequest): Promise<Page<GitRepoView>> {
    const after = decodeCursor(page.cursor, 1)?.[0];
    const rows = await this.prisma.gitRepo.findMany({
      where: after !== undefined ? { name: { gt: after } } : {},
      include: WITH_BUNDLES,
      orderBy: { name: 'asc' },
      take: page.limit + 1,
    });
    return toPage(rows, page.limit, (r) => [r.name], (r) => this.view(r));
  }

  async get(name: string): Promise<GitRepoView> {
    const row = await this.prisma.gitRepo.findUnique({ where: { name }, include: WITH_BUNDLES });
    if (!row) throw notFound(name);
    return this.view(row);
  }

  /** Fetch now, as a webhook would: marks the GitRepo (a lost job is re-queued by the scheduler) and queues it. */
  async refresh(name: string): Promise<GitRepoView> {
    const row = await this.prisma.gitRepo.update({ where: { name }, data: { syncRequestedAt: new Date() }, include: WITH_BUNDLES }).catch((error: unknown) => {
      if ((error as { code?: string }).code === 'P2025') throw notFound(name);
      throw error;
    });
    await this.queue.sync(row.id);
    return this.view(row);
  }

  /** Deletes the GitRepo and its bundles; agents prune their objects unless keepResources. */
  async delete(name: string): Promise<void> {
    const row = await this.prisma.gitRepo.findUnique({ where: { name }, select: { id: true } });
    if (!row) throw notFound(name);
    await this.bundles.delete({ gitRepoId: row.id });
    await this.prisma.gitRepo.deleteMany({ where: { id: row.id } });
  }

  private async resealStale(): Promise<number> {
    let count = 0;
    const rows = await this.prisma.gitRepo.findMany({ select: { id: true, credentials: true, helmCredentials: true, webhookSecret: true } });
    for (const row of rows) {
      const data: Partial<Record<SealedColumn, Uint8Array<ArrayBuffer>>> = {};
      for (const column of SEALED_COLUMNS) {
        const value = row[column];
        if (!value || !this.box.isStale(value)) continue;
        const context = secretContext(row.id, column);
        data[column] = new Uint8Array(this.box.seal(this.box.open(value, context), context));
        count++;
      }
      if (Object.keys(data).length) await this.prisma.gitRepo.update({ where: { id: row.id }, data });
    }
    return count;
  }

  private view(r: Row): GitRepoView {
    const bundles = r.bundles.map((b) => ({ name: b.name, path: b.gitPath ?? '.', state: b.renderState ?? 'Rendered', reason: b.renderReason, message: b.renderMessage }));
    const condition = r.syncReason === 'Pending' && !r.paused ? { ready: false, reason: 'Pending', message: 'waiting for the first sync' } : gitRepoCondition(r, bundles);
    return {
      id: r.id,
      name: r.name,
      repo: r.repo,
      branch: r.branch,
      revision: r.revision,
      paths: r.paths as string[],
      targets: r.targets as BundleTarget[],
      hasCredentials: r.credentials !== null,
      hasHelmCredentials: r.helmCredentials !== null,
      hasWebhookSecret: r.webhookSecret !== null,
      helmRepoUrlRegex: r.helmRepoUrlRegex,
      caBundle: r.caBundle,
      insecureSkipTlsVerify: r.insecureSkipTlsVerify,
      pollingInterval: r.pollingIntervalSeconds,
      disablePolling: r.disablePolling,
      paused: r.paused,
      targetNamespace: r.targetNamespace,
      keepResources: r.keepResources,
      correctDrift: r.correctDrift,
      sourceOnly: r.sourceOnly,
      rolloutStrategy: (r.rolloutStrategy as Record<string, unknown> | null) ?? null,
      schedule: (r.schedule as unknown[] | null) ?? null,
      rolloutPaused: r.rolloutPaused,
      status: {
        ...condition,
        commit: r.commit ? { sha: r.commit, message: r.commitMessage, author: r.commitAuthor, time: r.commitTime?.toISOString() ?? null } : null,
        renderedCommit: r.renderedCommit ? { sha: r.renderedCommit, at: r.renderedAt?.toISOString() ?? null } : null,
        polledAt: r.polledAt?.toISOString() ?? null,
        fetchedAt: r.fetchedAt?.toISOString() ?? null,
        issues: r.syncIssues as unknown as SyncIssue[],
        bundles,
      },
      createdAt: r.createdAt.toISOString(),
      updatedAt: r.updatedAt.toISOString(),
    };
  }
}

function invalid(field: string, message: string): DomainError {
  return new DomainError('InvalidGitRepo', `${field}: ${message}`, { field });
}

function notFound(name: string): DomainError {
  return new DomainError('GitRepoNotFound', `GitRepo "${name}" not found`);
}
