import type { LabelSelector, Labels } from '@flotilla/core';
import type { PrismaService } from '../../database/prisma.service.js';
import { GitError } from '../../gitrepos/git/git.error.js';
import type { GitRepoRemoteRow } from '../../gitrepos/git/git-remote.js';
import { GitTreeReader, GitTreeUnavailable } from '../../gitrepos/git/git-tree.reader.js';
import { GeneratorError } from '../generators/generator.error.js';
import type { GeneratorCluster, GeneratorContext, GitTree } from '../generators/generator.types.js';
import { interpolateStrings } from '../template/interpolate-strings.js';

/** Most parameter sets one BundleSet may yield. */
export const MAX_PARAM_SETS = 100_000;

/** A GitRepo as an evaluation reads it: the commit (its last fetched one, or a revision's) and the cache holding it. */
export interface ResolvedGitRepo {
  id: string;
  name: string;
  commit: string;
  /** The git cache directory (under FLOTILLA_GIT_CACHE_DIR) that holds `commit`. */
  cacheKey: string;
}

/**
 * Fetches a revision the GitRepo's own cache lacks (a tag, a branch, a commit
 * it never fetched) into a cache of the evaluation's own, and says where.
 * Throws GitError when the remote refuses or lacks it.
 */
export type RevisionFetcher = (repo: GitRepoRemoteRow & { name: string }, revision: string) => Promise<{ cacheKey: string; commit: string }>;

/**
 * The GeneratorContext of one evaluation, read from PostgreSQL and the git
 * cache once and memoised: every generator of the run (and the bundle
 * sources after it) sees the same clusters and the same commits, so a run is
 * consistent even while clusters register or a GitRepo syncs.
 */
export class EvaluationInputs implements GeneratorContext {
  readonly maxParamSets = MAX_PARAM_SETS;
  private clusterList?: Promise<GeneratorCluster[]>;
  private groupMap?: Promise<Map<string, LabelSelector>>;
  private readonly repos = new Map<string, Promise<ResolvedGitRepo>>();
  private readonly trees = new Map<string, Promise<GitTree>>();
  private only?: string[];

  constructor(
    private readonly prisma: PrismaService,
    readonly git: GitTreeReader,
    private readonly fetchRevision?: RevisionFetcher,
  ) {}

  /** Only these clusters are seen (a run for the clusters that changed); call before the first read. */
  limitClusters(ids: readonly string[]): void {
    this.only = [...ids];
  }

  clusters(): Promise<readonly GeneratorCluster[]> {
    this.clusterList ??= this.prisma.cluster
      .findMany({ where: this.only ? { id: { in: this.only } } : {}, select: { id: true, name: true, labels: true }, orderBy: { name: 'asc' } })
      .then((rows) => rows.map((r) => ({ id: r.id, name: r.name, labels: r.labels as Labels })));
    return this.clusterList;
  }

  groups(): Promise<ReadonlyMap<string, LabelSelector>> {
    this.groupMap ??= this.prisma.clusterGroup
      .findMany({ select: { name: true, selector: true } })
      .then((rows) => new Map(rows.map((g) => [g.name, g.selector as LabelSelector])));
    return this.groupMap;
  }

  /** The GitRepo named `name` and the commit to read: `revision` when given (it must be in the cache), else its fetched commit. */
  gitRepo(name: string, revision?: string): Promise<ResolvedGitRepo> {
    const key = `${name}\0${revision ?? ''}`;
    let found = this.repos.get(key);
    if (!found) {
      found = this.resolveRepo(name, revision);
      this.repos.set(key, found);
    }
    return found;
  }

  gitTree(name: string, revision?: string): Promise<GitTree> {
    const key = `${name}\0${revision ?? ''}`;
    let tree = this.trees.get(key);
    if (!tree) {
      tree = this.readTree(name, revision);
      this.trees.set(key, tree);
    }
    return tree;
  }

  interpolate<T>(spec: T, params: Readonly<Record<string, unknown>>, field: string): T {
    return interpolateStrings(spec, params, field);
  }

  private async resolveRepo(name: string, revision?: string): Promise<ResolvedGitRepo> {
    const repo = await this.prisma.gitRepo.findUnique({
      where: { name },
      select: { id: true, name: true, commit: true, repo: true, credentials: true, caBundle: true, insecureSkipTlsVerify: true },
    });
    if (!repo) throw new GeneratorError('GitRepoNotFound', `GitRepo "${name}" does not exist`);
    if (!revision) {
      if (!repo.commit) throw new GeneratorError('GitUnavailable', `GitRepo "${name}" has not fetched a commit yet`);
      return { id: repo.id, name: repo.name, commit: repo.commit, cacheKey: repo.id };
    }
    // A commit the GitRepo's cache already holds is read from there; anything else is fetched for this evaluation.
    const cached = await this.git.resolve(repo.id, revision).catch((error: unknown) => {
      if (error instanceof GitTreeUnavailable) return undefined;
      throw error;
    });
    if (cached) return { id: repo.id, name: repo.name, commit: cached, cacheKey: repo.id };
    if (!this.fetchRevision) throw new GeneratorError('GitUnavailable', `GitRepo "${name}": revision "${revision}" is not in its cache`);
    try {
      const fetched = await this.fetchRevision(repo, revision);
      return { id: repo.id, name: repo.name, ...fetched };
    } catch (error) {
      if (error instanceof GitError) throw new GeneratorError('GitUnavailable', `GitRepo "${name}" revision "${revision}": ${error.message}`, {}, { cause: error });
      throw error;
    }
  }

  private async readTree(name: string, revision?: string): Promise<GitTree> {
    const repo = await this.gitRepo(name, revision);
    let listed;
    try {
      listed = await this.git.tree(repo.cacheKey, repo.commit);
    } catch (error) {
      if (error instanceof GitTreeUnavailable) throw new GeneratorError('GitUnavailable', `GitRepo "${name}": ${error.message}`, {}, { cause: error });
      throw error;
    }
    const files = new Set(listed.files);
    const git = this.git;
    return {
      commit: repo.commit,
      directories: () => listed.directories,
      files: () => listed.files,
      async readFile(path: string): Promise<Buffer> {
        if (!files.has(path)) throw new GeneratorError('GitFileUnreadable', `${path} is not a file of GitRepo "${name}" at ${repo.commit.slice(0, 12)}`, { file: path });
        try {
          return await git.readFile(repo.cacheKey, repo.commit, path);
        } catch (error) {
          if (error instanceof GitTreeUnavailable) throw new GeneratorError('GitFileUnreadable', error.message, { file: path }, { cause: error });
          throw error;
        }
      },
    };
  }
}
