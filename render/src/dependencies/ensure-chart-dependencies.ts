/**
 * Fleet's rule for chart dependencies (fleet internal/bundlereader/loaddirectory.go
 * with internal/helmupdater/helmupdater.go): unless fleet.yaml
 * `helm.disableDependencyUpdate` is true, a chart whose Chart.yaml (or
 * requirements.yaml) lists dependencies that `charts/` does not provide gets
 * `helm dependency update`; a chart whose `charts/` has them all is left alone.
 * Here the update runs in the render's scratch copy of the chart, and its result
 * is cached (dependency-cache.key.ts) so a re-render fetches nothing.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ChartRepositoryAuth } from '../charts/chart-fetch.js';
import { sha256Hex } from '../charts/chart-cache.js';
import { RenderError } from '../render.error.js';
import type { ToolSet } from '../tools/tool-set.types.js';
import {
  declaredDependencies,
  dependencyLocation,
  dependencySource,
  describeChart,
  missingDependencies,
  type ChartDependencies,
  type ChartPlace,
  type DeclaredDependency,
  type DependencySource,
} from './chart-dependencies.rules.js';
import { readChartsDirFiles, readText, vendoredChartNames, writeChartsDirFiles } from './charts-dir.js';
import { dependencyCacheKey, treeDigest } from './dependency-cache.key.js';
import { readCachedDependencies, writeCachedDependencies } from './dependency-cache.js';
import { helmDependencyUpdate } from './helm-dependency-update.js';

export interface ChartDependenciesRequest {
  /** Absolute path of a writable scratch copy of the chart directory. */
  chartDir: string;
  /** Absolute path of the directory `file://` dependencies must stay in (the bundle tree, or the fetched chart). */
  rootDir: string;
  place: ChartPlace;
  /** fleet.yaml `helm.disableDependencyUpdate`. */
  disableDependencyUpdate: boolean;
  /** Credentials for a dependency repository URL (the GitRepo's helm credentials where they apply). */
  authFor: (url: string) => ChartRepositoryAuth | undefined;
  tools: ToolSet;
  signal?: AbortSignal;
}

/** What was done: nothing declared, all in `charts/` already, taken from the cache, or fetched. */
export type ChartDependenciesOutcome = 'none' | 'vendored' | 'cached' | 'fetched';

/** The chart's declared dependencies and those `charts/` lacks (read only); undefined without a Chart.yaml. */
export async function readChartDependencies(chartDir: string, maxArchiveBytes: number): Promise<(ChartDependencies & { missing: DeclaredDependency[] }) | undefined> {
  const chartYaml = readText(path.join(chartDir, 'Chart.yaml'));
  if (chartYaml === undefined) return undefined;
  const declared = declaredDependencies(chartYaml, readText(path.join(chartDir, 'requirements.yaml')));
  if (declared.dependencies.length === 0) return { ...declared, missing: [] };
  return { ...declared, missing: missingDependencies(declared.dependencies, await vendoredChartNames(chartDir, maxArchiveBytes)) };
}

/** `file://` subcharts nested deeper than this are refused (a cycle, or a tree no chart needs). */
const MAX_FILE_DEPTH = 10;

/**
 * @param known what {@link readChartDependencies} already read of this chart directory (not read again).
 * @param within the `file://` parents this chart is a dependency of (outermost first).
 */
export async function ensureChartDependencies(req: ChartDependenciesRequest, known?: Awaited<ReturnType<typeof readChartDependencies>>, within: readonly string[] = []): Promise<ChartDependenciesOutcome> {
  const read = known ?? (await readChartDependencies(req.chartDir, req.tools.limits.maxOutputBytes));
  if (!read || read.dependencies.length === 0) return 'none';
  const { chartName, dependencies, missing } = read;
  if (missing.length === 0) return 'vendored';
  const chart = describeChart(chartName, req.place);
  if (req.disableDependencyUpdate) throw notFetched(missing, chart, req.place);

  const sources = dependencies.map((d) => checkedSource(d, chartName, req));
  // Fleet updates every chart directory it meets; helm packages a file:// subchart as it is, so the subchart's
  // own missing dependencies are fetched first, into its scratch copy (and so into its tree's digest below).
  await ensureFileSubcharts(req, dependencies, sources, within);
  const before = readChartsDirFiles(req.chartDir);
  const key = dependencyCacheKey({
    dependencies,
    locks: lockDigests(req.chartDir),
    chartsDir: new Map([...before].map(([name, data]) => [name, sha256Hex(data)])),
    localTrees: new Map(
      dependencies.flatMap((d, i) => {
        const source = sources[i];
        return source?.kind === 'file' ? [[d.repository, treeDigest(readTreeFiles(path.join(req.rootDir, source.dir)))] as const] : [];
      }),
    ),
  });
  const cached = readCachedDependencies(req.tools.chartCacheDir, key);
  if (cached) {
    writeChartsDirFiles(req.chartDir, cached);
    return 'cached';
  }
  await helmDependencyUpdate({ chartDir: req.chartDir, chartName, place: req.place, dependencies, sources, authFor: req.authFor, tools: req.tools, ...(req.signal ? { signal: req.signal } : {}) });
  const after = readChartsDirFiles(req.chartDir);
  const size = [...after.values()].reduce((n, b) => n + b.length, 0);
  if (size > req.tools.limits.maxOutputBytes) {
    throw new RenderError('ChartFetchFailed', `the dependencies of ${chart} are larger than ${req.tools.limits.maxOutputBytes} bytes`, dependencyLocation(missing[0] as DeclaredDependency, req.place));
  }
  writeCachedDependencies(req.tools.chartCacheDir, key, after);
  return 'fetched';
}

async function ensureFileSubcharts(req: ChartDependenciesRequest, dependencies: readonly DeclaredDependency[], sources: readonly DependencySource[], within: readonly string[]): Promise<void> {
  const chain = [...within, req.chartDir];
  for (const [i, source] of sources.entries()) {
    if (source.kind !== 'file') continue;
    const dir = path.join(req.rootDir, source.dir);
    if (chain.includes(dir) || chain.length > MAX_FILE_DEPTH) {
      const dep = dependencies[i] as DeclaredDependency;
      const why = chain.includes(dir) ? 'is one of the charts that depend on it (a file:// cycle)' : `is nested more than ${MAX_FILE_DEPTH} file:// charts deep`;
      throw new RenderError('InvalidBundle', `dependency "${dep.name}" (${dep.repository}) ${why}`, dependencyLocation(dep, req.place));
    }
    const place: ChartPlace = 'fetched' in req.place ? req.place : { inBundle: source.dir };
    await ensureChartDependencies({ ...req, chartDir: dir, place }, undefined, chain);
  }
}

/** The precise error for `disableDependencyUpdate: true` with dependencies not in `charts/`. */
function notFetched(missing: readonly DeclaredDependency[], chart: string, place: ChartPlace): RenderError {
  const names = missing.map((d) => `"${d.name}"${d.version ? ` (version "${d.version}"${d.repository ? ` from ${d.repository}` : ''})` : ''}`).join(', ');
  const dir = 'fetched' in place ? 'charts/' : `${path.posix.join(place.inBundle, 'charts')}/`;
  return new RenderError(
    'ChartDependencyMissing',
    `${chart} needs dependency ${names}, which is not in ${dir}, and fleet.yaml helm.disableDependencyUpdate is true, so it is not fetched: vendor it into ${dir} (helm dependency update) or drop disableDependencyUpdate`,
    dependencyLocation(missing[0] as DeclaredDependency, place, 'name'),
  );
}

/** The dependency's source, with `file://` directories checked to be charts in the tree and `charts/`-only ones present. */
function checkedSource(dep: DeclaredDependency, chartName: string, req: ChartDependenciesRequest): DependencySource {
  const source = dependencySource(dep, req.place, chartName);
  const what = `dependency "${dep.name}" of ${describeChart(chartName, req.place)}`;
  if (source.kind === 'file' && !fs.existsSync(path.join(req.rootDir, source.dir, 'Chart.yaml'))) {
    const where = 'fetched' in req.place ? 'the fetched chart' : 'the bundle';
    throw new RenderError('InvalidBundle', `${what}: ${dep.repository} is not a chart directory in ${where} (no ${source.dir ? `${source.dir}/` : ''}Chart.yaml)`, dependencyLocation(dep, req.place));
  }
  if (source.kind === 'charts-dir' && !fs.existsSync(path.join(req.chartDir, 'charts', dep.name, 'Chart.yaml'))) {
    throw new RenderError('ChartDependencyMissing', `${what} names no repository, so it must be in charts/${dep.name}/, which is not there`, dependencyLocation(dep, req.place));
  }
  return source;
}

function lockDigests(chartDir: string): Record<string, string> {
  const locks: Record<string, string> = {};
  for (const name of ['Chart.lock', 'requirements.lock']) {
    const text = readText(path.join(chartDir, name));
    if (text !== undefined) locks[name] = sha256Hex(text);
  }
  return locks;
}

/** Every file under `dir`, by `/`-separated relative path. */
function readTreeFiles(dir: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  const walk = (rel: string): void => {
    for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const p = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(p);
      else if (entry.isFile()) files.set(p, fs.readFileSync(path.join(dir, p)));
    }
  };
  walk('');
  return files;
}
