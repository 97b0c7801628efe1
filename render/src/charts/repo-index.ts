/**
 * A Helm repository's index.yaml: parse it (bounded) and pick the chart version a
 * fleet.yaml `version` constraint names, the way helm's pkg/repo does (Masterminds
 * semver), with node-semver underneath.
 */
import semver from 'semver';
import { parse } from 'yaml';
import { RenderError } from '../render.error.js';

export interface IndexChartVersion {
  name: string;
  version: string;
  urls: string[];
  /** Hex sha256 of the archive, when the index lists it. */
  digest?: string;
}

/** Chart name → its versions, as listed in index.yaml. */
export type RepoIndex = Map<string, IndexChartVersion[]>;

export function parseRepoIndex(text: string, source: string): RepoIndex {
  let doc: unknown;
  try {
    doc = parse(text, { maxAliasCount: 100 });
  } catch (err) {
    throw new RenderError('ChartFetchFailed', `${source} is not a valid Helm repository index: ${(err as Error).message}`, { field: 'helm.repo' }, { cause: err });
  }
  const entries = (doc as { entries?: unknown } | null)?.entries;
  if (!entries || typeof entries !== 'object') {
    throw new RenderError('ChartFetchFailed', `${source} is not a Helm repository index (no "entries")`, { field: 'helm.repo' });
  }
  const index: RepoIndex = new Map();
  for (const [name, list] of Object.entries(entries as Record<string, unknown>)) {
    if (!Array.isArray(list)) continue;
    const versions: IndexChartVersion[] = [];
    for (const raw of list as Record<string, unknown>[]) {
      if (!raw || typeof raw.version !== 'string' || !Array.isArray(raw.urls)) continue;
      const urls = raw.urls.filter((u): u is string => typeof u === 'string');
      const digest = typeof raw.digest === 'string' && /^[0-9a-f]{64}$/i.test(raw.digest) ? raw.digest.toLowerCase() : undefined;
      versions.push({ name, version: raw.version, urls, ...(digest ? { digest } : {}) });
    }
    index.set(name, versions);
  }
  return index;
}

/**
 * Masterminds constraint → node-semver range. Handled: `,` as AND (node uses a space),
 * spaces between an operator and its version (`>= 1.0`), `||`, `~1.2`, `^1.2`, `1.2.x`,
 * `*`, a leading `v`. Differences not bridged: Masterminds' `^0.0.x` allows <0.1.0
 * (node: <0.0.(x+1)); Masterminds compares prereleases with a prerelease constraint
 * on any tuple when the constraint has one, node only on the same major.minor.patch.
 */
export function toNodeRange(constraint: string): string {
  return constraint
    .split('||')
    .map((part) =>
      part
        .replace(/,/g, ' ')
        .replace(/(>=|<=|!=|=|>|<|~>|~|\^)\s+/g, '$1')
        .replace(/~>/g, '~')
        .trim()
        .split(/\s+/)
        .join(' '),
    )
    .join(' || ');
}

/** The version of `name` that helm would pick: an exact match, else the highest one in the constraint (empty = latest release). */
export function pickVersion(index: RepoIndex, name: string, constraint: string | undefined, source: string): IndexChartVersion {
  const versions = index.get(name);
  if (!versions || versions.length === 0) {
    const known = [...index.keys()].slice(0, 20).join(', ') || 'none';
    throw new RenderError('ChartFetchFailed', `chart "${name}" not found in ${source} (charts there: ${known})`, { field: 'helm.chart' });
  }
  const wanted = (constraint ?? '').trim();
  const exact = versions.find((v) => v.version === wanted);
  if (exact) return exact;
  let range: semver.Range;
  try {
    range = new semver.Range(wanted === '' ? '*' : toNodeRange(wanted), { loose: true });
  } catch (err) {
    throw new RenderError('ChartFetchFailed', `"${wanted}" is not a valid version constraint`, { field: 'helm.version' }, { cause: err });
  }
  const candidates = versions
    .map((v) => ({ v, parsed: semver.parse(v.version, { loose: true }) ?? semver.coerce(v.version) }))
    .filter((c): c is { v: IndexChartVersion; parsed: semver.SemVer } => c.parsed !== null)
    .sort((a, b) => semver.rcompare(a.parsed, b.parsed));
  const match = candidates.find((c) => range.test(c.parsed));
  if (!match) {
    const available = candidates.slice(0, 20).map((c) => c.v.version).join(', ');
    const what = wanted === '' ? 'no release version' : `no version matches constraint "${wanted}"`;
    throw new RenderError('ChartFetchFailed', `${what} for chart "${name}" in ${source}; available: ${available || 'none'}`, { field: 'helm.version' });
  }
  return match.v;
}
