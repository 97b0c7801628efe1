import type { LabelSelector, Labels } from '@flotilla/core';
import type { z } from 'zod';

/**
 * One parameter set a generator yields: a JSON-like map the bundle template
 * reads (`{{ .cluster.name }}`, `{{ .path.basename }}`, a list element's own
 * keys). Values are strings, numbers, booleans, null, arrays or maps.
 */
export type ParamSet = Readonly<Record<string, unknown>>;

/** A registered cluster as generators see it. */
export interface GeneratorCluster {
  id: string;
  name: string;
  labels: Labels;
}

/**
 * A GitRepo's tree at the commit a BundleSet evaluates (the GitRepo's fetched
 * commit, or a generator's revision override). Paths are POSIX, relative to
 * the repository root, without a leading `./`.
 */
export interface GitTree {
  /** The commit sha the tree is at. */
  readonly commit: string;
  /** Every directory of the tree (not the root itself), sorted. `.git` is never listed. */
  directories(): readonly string[];
  /** Every regular file of the tree, sorted. */
  files(): readonly string[];
  /** A file's bytes; throws GeneratorError('GitFileUnreadable') when it is not a file of the tree. */
  readFile(path: string): Promise<Buffer>;
}

/**
 * What a generator may read, passed in (never imported): the hub gives the
 * registered clusters and GitRepo trees from PostgreSQL and the git cache;
 * unit tests give fakes.
 */
export interface GeneratorContext {
  /** Registered clusters, sorted by name. */
  clusters(): Promise<readonly GeneratorCluster[]>;
  /** Group name → selector (for `clusters.group`). */
  groups(): Promise<ReadonlyMap<string, LabelSelector>>;
  /**
   * The tree of the GitRepo named `gitRepo` at its fetched commit, or at
   * `revision` when given. Throws GeneratorError('GitRepoNotFound' |
   * 'GitUnavailable') — a generator never turns a failed read into "no
   * parameter sets".
   */
  gitTree(gitRepo: string, revision?: string): Promise<GitTree>;
  /**
   * Evaluates every string inside `spec` as a template over `params` (matrix:
   * the second child may use the first's parameters). Throws
   * GeneratorError('TemplateFailed') naming the field.
   */
  interpolate<T>(spec: T, params: ParamSet, field: string): T;
  /** Most parameter sets one BundleSet may yield in all (default 100,000): past it, GeneratorError('TooManyParameterSets'). */
  readonly maxParamSets: number;
}

/**
 * One kind of generator (argo-cd `applicationset/generators` is the model):
 * a schema for its spec and a function from spec + context to parameter
 * sets. `generate` is deterministic for the same inputs (ordering included),
 * so a preview equals the next evaluation.
 */
export interface Generator<S = unknown> {
  /** The key the spec sits under in a BundleSet's `generators[]` entry (`list`, `clusters`, …). */
  readonly kind: string;
  /** Validates the spec (zod); the API reports its issues with the field path. */
  readonly schema: z.ZodType<S>;
  /**
   * The parameter sets for `spec`. `field` is the spec's path in the
   * BundleSet, its kind key included (`generators[0].matrix.generators[1].gitFiles`),
   * for error messages; a generator names sub-fields under it (`….files[0].path`).
   */
  generate(spec: S, ctx: GeneratorContext, field: string): Promise<ParamSet[]>;
}
