/**
 * The cache key of a chart's fetched dependencies (pure): everything that
 * decides what `helm dependency update` puts into `charts/`, so a hit can stand
 * in for the run without any network:
 * - every declared dependency's name, version (constraint) and repository, in order;
 * - the digest of Chart.lock / requirements.lock, if the chart has one;
 * - the top-level files already in `charts/` (name and digest): helm replaces and deletes among them;
 * - for each `file://` dependency, the digest of its directory's files (helm packages it).
 * Not in the key: the repositories' current indexes. A version range is resolved once, on the first fetch,
 * and the render stays reproducible until the key changes (edit Chart.yaml or Chart.lock to move on).
 */
import { sha256Hex } from '../charts/chart-cache.js';
import type { DeclaredDependency } from './chart-dependencies.rules.js';

export interface DependencyCacheKeyInput {
  dependencies: readonly DeclaredDependency[];
  /** sha256 hex of each lock file present, by name. */
  locks: Readonly<Record<string, string>>;
  /** sha256 hex of each top-level file in `charts/` before the update, by name. */
  chartsDir: ReadonlyMap<string, string>;
  /** sha256 hex of each `file://` dependency's directory tree, by repository as written. */
  localTrees: ReadonlyMap<string, string>;
}

/** Bumped when the key's meaning or the cached entry's format changes. */
const KEY_FORMAT = 1;

export function dependencyCacheKey(input: DependencyCacheKeyInput): string {
  const sorted = (m: ReadonlyMap<string, string>) => [...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return sha256Hex(
    JSON.stringify({
      format: KEY_FORMAT,
      dependencies: input.dependencies.map((d) => [d.declaredIn, d.name, d.version, d.repository]),
      locks: Object.entries(input.locks).sort(([a], [b]) => (a < b ? -1 : 1)),
      chartsDir: sorted(input.chartsDir),
      localTrees: sorted(input.localTrees),
    }),
  );
}

/** Digest of a directory's files: sorted `/`-separated relative paths with their content digests. */
export function treeDigest(files: ReadonlyMap<string, Buffer>): string {
  const entries = [...files.entries()].map(([p, data]) => [p, sha256Hex(data)] as const).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return sha256Hex(JSON.stringify(entries));
}
