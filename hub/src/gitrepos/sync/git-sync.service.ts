import { Inject, Injectable, Logger } from '@nestjs/common';
import { discoverBundles, isRenderError, type FleetYaml } from '@flotilla/render';
import { Prisma } from '../../generated/prisma/client.js';
import { SourceBundleWriter } from '../../bundles/source-bundle.writer.js';
import { PrismaService } from '../../database/prisma.service.js';
import { advanceRenderedCommit } from '../../database/rendered-commit.js';
import { requestBundleSetEvaluation } from '../../database/bundleset-inputs.js';
import { HUB_CONFIG } from '../../platform/config/config.module.js';
import type { HubConfig } from '../../platform/config/config.js';
import { isDomainError } from '../../platform/errors/domain-error.js';
import { SecretBox } from '../../security/secret-box.js';
import type { BundleTarget } from '../../target/bundle-target.js';
import { GitClient, type GitRef, type GitRemote } from '../git/git-client.js';
import { GitError } from '../git/git.error.js';
import { gitRemoteOf } from '../git/git-remote.js';
import type { SyncIssue } from '../gitrepo-status.js';

export type SyncOutcome = 'gone' | 'paused' | 'unchanged' | 'synced' | 'failed';

type Repo = NonNullable<Awaited<ReturnType<PrismaService['gitRepo']['findUnique']>>>;

/** A sync failure that is not git's own: e.g. the paths matched nothing. */
class SyncFailure extends Error {
  constructor(
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * One GitRepo sync: `ls-remote` the ref; when it moved (or the last sync
 * failed), fetch that commit into the cache, discover its bundles as
 * `fleet apply` would, write each (an unchanged bundle is not touched, so
 * only changed ones render and deliver again) and delete the bundles whose
 * path left Git. Only a fully successful fetch and discovery deletes
 * anything; a fetch failure changes nothing but the status, and a bundle
 * that cannot be read keeps what it had while the others update.
 */
@Injectable()
export class GitSyncService {
  private readonly logger = new Logger(GitSyncService.name);
  private readonly git: GitClient;
  private readonly box: SecretBox;

  constructor(
    @Inject(PrismaService) private readonly prisma: PrismaService,
    @Inject(SourceBundleWriter) private readonly bundles: SourceBundleWriter,
    @Inject(HUB_CONFIG) config: HubConfig,
  ) {
    this.git = new GitClient({ cacheDir: config.git.cacheDir, timeoutMs: config.git.timeoutSeconds * 1000 });
    this.box = new SecretBox(config.secretKeys);
  }

  async sync(id: string): Promise<SyncOutcome> {
    const repo = await this.prisma.gitRepo.findUnique({ where: { id } });
    if (!repo) return 'gone';
    if (repo.paused) return 'paused';
    try {
      const remote = this.remote(repo);
      const ref: GitRef = repo.revision ? { revision: repo.revision } : { branch: repo.branch ?? 'master' };
      const sha = await this.git.resolve(remote, ref);
      if (sha === repo.commit && repo.syncReason === 'Synced') {
        await this.prisma.gitRepo.update({ where: { id }, data: { polledAt: new Date() } });
        return 'unchanged';
      }
      const dir = await this.git.checkout(repo.id, remote, ref, sha);
      const commit = await this.git.commitInfo(dir, remote);
      const { issues, failures } = await this.apply(repo, dir);
      await this.prisma.gitRepo.update({
        where: { id },
        data: {
          commit: commit.sha,
          commitMessage: commit.message.slice(0, 1000),
          commitAuthor: commit.author.slice(0, 256),
          commitTime: commit.time,
          polledAt: new Date(),
          fetchedAt: new Date(),
          syncReason: 'Synced',
          // A bundle that could not be written keeps its last commit: the GitRepo is not Ready (gitrepo-status.ts).
          syncMessage: failures.slice(0, 3).join('; ') + (failures.length > 3 ? ` (and ${failures.length - 3} more)` : ''),
          syncIssues: issues.slice(0, 100) as unknown as Prisma.InputJsonValue,
        },
      });
      // Bundles the commit did not change are rendered already: the commit may be wholly rendered now.
      await this.prisma.$transaction((tx) => advanceRenderedCommit(tx, { gitRepoId: id }));
      // BundleSets reading this GitRepo evaluate the new commit.
      await requestBundleSetEvaluation(this.prisma, { gitRepo: repo.name });
      return 'synced';
    } catch (error) {
      const failure = asSyncFailure(error);
      if (!failure) throw error;
      this.logger.warn('GitRepo sync failed', { gitRepo: repo.name, reason: failure.reason, message: failure.message });
      await this.prisma.gitRepo.update({ where: { id }, data: { syncReason: failure.reason, syncMessage: failure.message.slice(0, 4000) } });
      return 'failed';
    }
  }

  /** Writes the commit's bundles and deletes the ones that left Git; returns what it could not do. */
  private async apply(repo: Repo, dir: string): Promise<{ issues: SyncIssue[]; failures: string[] }> {
    if (repo.sourceOnly) {
      // A source for BundleSets: the commit is recorded, no bundle is discovered (any it made before go).
      await this.bundles.delete({ gitRepoId: repo.id });
      return { issues: [], failures: [] };
    }
    const paths = repo.paths as string[];
    let found: Awaited<ReturnType<typeof discoverBundles>>;
    try {
      found = await discoverBundles(dir, { paths, namePrefix: repo.name, keepGoing: true });
    } catch (error) {
      if (isRenderError(error) && /no resource found/.test(error.message)) throw new SyncFailure('PathNotFound', error.message);
      if (isRenderError(error)) throw new SyncFailure('RenderFailed', error.message);
      throw error;
    }
    const issues: SyncIssue[] = found.warnings.map((w) => ({ ...location(w.location), message: w.message }));
    const failures: string[] = [];
    for (const f of found.failed) {
      issues.push({ path: f.path, ...location(f.error.location), message: f.error.message });
      failures.push(`bundle ${f.derivedName} (${f.path}) keeps its last commit: ${f.error.message}`);
    }
    const keep = new Set<string>([...found.failed.map((f) => f.derivedName)]);
    const overrides = ownerOverrides(repo);
    for (const source of found.bundles) {
      keep.add(source.name);
      try {
        await this.bundles.put(source.name, { source, overrides, targets: repo.targets as unknown as BundleTarget[], owner: { gitRepoId: repo.id, gitPath: source.path } });
      } catch (error) {
        if (!isDomainError(error)) throw error;
        issues.push({ path: source.path, message: `${source.name}: ${error.message}` });
        failures.push(`bundle ${source.name} (${source.path}): ${error.message}`);
      }
    }
    const failedPaths = new Set(found.failed.map((f) => f.path));
    const gone = (await this.prisma.bundle.findMany({ where: { gitRepoId: repo.id }, select: { name: true, gitPath: true } })).filter(
      (b) => !keep.has(b.name) && !failedPaths.has(b.gitPath ?? '.'),
    );
    if (gone.length) {
      await this.bundles.delete({ gitRepoId: repo.id, name: { in: gone.map((b) => b.name) } });
      this.logger.log(`GitRepo ${repo.name}: removed ${gone.length} bundle(s) no longer in Git: ${gone.map((b) => b.name).join(', ')}`);
    }
    return { issues, failures };
  }

  private remote(repo: Repo): GitRemote {
    return gitRemoteOf(repo, this.box);
  }
}

/** Fleet's GitRepo-level settings, which override (only ever turn on) the fleet.yaml's. */
function ownerOverrides(repo: Repo): Partial<FleetYaml> {
  const out: Partial<FleetYaml> = {};
  if (repo.keepResources) out.keepResources = true;
  if (repo.correctDrift) out.correctDrift = { enabled: true };
  if (repo.targetNamespace) out.namespace = repo.targetNamespace;
  return out;
}

function location(l: { file?: string; line?: number }): { file?: string; line?: number } {
  return { ...(l.file ? { file: l.file } : {}), ...(l.line ? { line: l.line } : {}) };
}

function asSyncFailure(error: unknown): { reason: string; message: string } | undefined {
  if (error instanceof GitError || error instanceof SyncFailure) return { reason: error.reason, message: error.message };
  if (isDomainError(error) && (error.reason === 'SecretUnreadable' || error.reason === 'SecretKeysMissing')) return { reason: 'AuthFailed', message: error.message };
  return undefined;
}
