/**
 * A chart's declared dependencies and which of them are missing, as Helm
 * decides it (pure). Helm's loader reads `dependencies` from Chart.yaml and,
 * when the chart has a requirements.yaml (apiVersion v1 charts; Helm also
 * reads it for v2 with a warning), from that file instead. A dependency is
 * missing when no subchart in `charts/` (a directory or a `.tgz`) has its
 * name: Helm's `action.CheckDependencies`, which Fleet calls before running
 * `helm dependency update` (fleet internal/helmupdater/helmupdater.go).
 */
import * as path from 'node:path';
import { isMap, isSeq, LineCounter, parseDocument } from 'yaml';
import { RenderError, type RenderErrorLocation } from '../render.error.js';

export type DependencyFile = 'Chart.yaml' | 'requirements.yaml';

export interface DeclaredDependency {
  /** Position in the declaring file's `dependencies` list. */
  index: number;
  name: string;
  version: string;
  /** As written: `https://…`, `oci://…`, `file://…`, `@name`, `alias:name` or `` (in `charts/` already). */
  repository: string;
  declaredIn: DependencyFile;
  /** 1-based line of the entry in `declaredIn`. */
  line?: number;
}

export interface ChartDependencies {
  chartName: string;
  dependencies: DeclaredDependency[];
}

/** Where a fetched dependency comes from. */
export type DependencySource =
  | { kind: 'charts-dir' }
  | { kind: 'file'; /** The directory, relative to the bundle root (`/`-separated). */ dir: string }
  | { kind: 'http'; url: string }
  | { kind: 'oci'; url: string };

/**
 * The chart's name and dependencies from the text of Chart.yaml and, if the chart has one, requirements.yaml.
 * Text that is not YAML gives no dependencies: `helm template` then reports the chart's own error.
 */
export function declaredDependencies(chartYaml: string, requirementsYaml: string | undefined): ChartDependencies {
  const chart = readDependencyList(chartYaml, 'Chart.yaml');
  const chartName = typeof chart.doc?.name === 'string' ? chart.doc.name : '';
  if (requirementsYaml !== undefined) {
    const req = readDependencyList(requirementsYaml, 'requirements.yaml');
    if (req.doc && 'dependencies' in req.doc) return { chartName, dependencies: req.dependencies };
  }
  return { chartName, dependencies: chart.dependencies };
}

function readDependencyList(text: string, file: DependencyFile): { doc: Record<string, unknown> | undefined; dependencies: DeclaredDependency[] } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0 || !isMap(doc.contents)) return { doc: undefined, dependencies: [] };
  const value = doc.toJS({ maxAliasCount: 100 }) as Record<string, unknown>;
  const list = doc.get('dependencies', true);
  if (!isSeq(list)) return { doc: value, dependencies: [] };
  const dependencies: DeclaredDependency[] = [];
  list.items.forEach((item, index) => {
    if (!isMap(item)) return;
    const entry = item.toJSON() as Record<string, unknown>;
    if (typeof entry.name !== 'string' || entry.name === '') return;
    const line = item.range ? lineCounter.linePos(item.range[0]).line : undefined;
    dependencies.push({
      index,
      name: entry.name,
      version: entry.version === undefined || entry.version === null ? '' : String(entry.version),
      repository: typeof entry.repository === 'string' ? entry.repository.trim() : '',
      declaredIn: file,
      ...(line !== undefined ? { line } : {}),
    });
  });
  return { doc: value, dependencies };
}

/** The declared dependencies no subchart in `charts/` provides (matched by chart name, as Helm does). */
export function missingDependencies(declared: readonly DeclaredDependency[], vendored: ReadonlySet<string>): DeclaredDependency[] {
  return declared.filter((d) => !vendored.has(d.name));
}

/** How a chart is placed for error locations: its directory in the bundle, or fetched from outside it. */
export type ChartPlace = { inBundle: string } | { fetched: string };

/** The Chart.yaml/requirements.yaml line of `dep` in the bundle, or `helm.chart` for a fetched chart. */
export function dependencyLocation(dep: DeclaredDependency, place: ChartPlace, field = 'repository'): RenderErrorLocation {
  if ('fetched' in place) return { field: 'helm.chart' };
  return {
    file: path.posix.join(place.inBundle, dep.declaredIn),
    ...(dep.line !== undefined ? { line: dep.line } : {}),
    field: `dependencies[${dep.index}].${field}`,
  };
}

/** `chart "app" (charts/app)` or `chart "app" (fetched from oci://…)`, for messages. */
export function describeChart(chartName: string, place: ChartPlace): string {
  if ('fetched' in place) return `chart "${chartName}" (fetched from ${place.fetched})`;
  return `chart "${chartName}" (${place.inBundle || 'the bundle root'})`;
}

/**
 * Where `dep` is fetched from. A `file://` path is resolved against the chart's directory as Helm does
 * (`resolver.GetLocalPath`) and must stay inside `rootInBundle`'s tree: the bundle directory for a chart in
 * the bundle, the chart itself for a fetched one. `@name`/`alias:` need a `helm repo add` list, which a
 * render does not have.
 */
export function dependencySource(dep: DeclaredDependency, place: ChartPlace, chartName: string): DependencySource {
  const repo = dep.repository;
  const where = dependencyLocation(dep, place);
  const what = `dependency "${dep.name}" of ${describeChart(chartName, place)}`;
  if (repo === '') return { kind: 'charts-dir' };
  if (repo.startsWith('file://')) {
    const target = repo.slice('file://'.length);
    const base = 'fetched' in place ? '' : place.inBundle;
    const dir = path.posix.normalize(path.posix.join(base, target)).replace(/(.)\/+$/, '$1');
    if (path.posix.isAbsolute(target) || dir === '..' || dir.startsWith('../')) {
      const inside = 'fetched' in place ? 'the fetched chart' : 'the bundle directory';
      throw new RenderError('InvalidBundle', `${what}: ${repo} is outside ${inside}; file:// dependencies must be in ${inside} (a path relative to the chart)`, where);
    }
    return { kind: 'file', dir: dir === '.' ? '' : dir };
  }
  if (repo.startsWith('oci://')) return { kind: 'oci', url: repo };
  if (/^https?:\/\//i.test(repo)) return { kind: 'http', url: repo };
  if (repo.startsWith('@') || repo.startsWith('alias:')) {
    throw new RenderError('ChartFetchFailed', `${what}: repository "${repo}" names a repository added with \`helm repo add\`, which a render does not have; write its URL`, where);
  }
  throw new RenderError('ChartFetchFailed', `${what}: repository "${repo}" is not an http(s)://, oci:// or file:// URL`, where);
}
