/**
 * A chart's `charts/` directory: the subcharts it provides (by chart name, as
 * Helm's loader finds them) and its top-level files (what `helm dependency
 * update` replaces), read and written in a scratch copy of the chart only.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { readChartArchive } from '../charts/chart-cache.js';

/** Top-level regular files of `charts/`, by file name (the archives helm downloads land here). */
export type ChartsDirFiles = Map<string, Buffer>;

export function readChartsDirFiles(chartDir: string): ChartsDirFiles {
  const dir = path.join(chartDir, 'charts');
  const files: ChartsDirFiles = new Map();
  for (const entry of safeReadDir(dir)) {
    if (entry.isFile()) files.set(entry.name, fs.readFileSync(path.join(dir, entry.name)));
  }
  return files;
}

/**
 * Names of the subcharts in `charts/`, as Helm's loader sees them: directories and `.tgz` archives whose
 * name does not start with `_` or `.`, named by their Chart.yaml. Entries that are not charts are skipped
 * (helm template reports them).
 */
export async function vendoredChartNames(chartDir: string, maxArchiveBytes: number): Promise<Set<string>> {
  const dir = path.join(chartDir, 'charts');
  const names = new Set<string>();
  for (const entry of safeReadDir(dir)) {
    if (/^[_.]/.test(entry.name)) continue;
    const file = path.join(dir, entry.name);
    let chartYaml: string | undefined;
    if (entry.isDirectory()) {
      chartYaml = readText(path.join(file, 'Chart.yaml'));
    } else if (entry.isFile() && entry.name.endsWith('.tgz')) {
      const archive = await readChartArchive(fs.readFileSync(file), maxArchiveBytes).catch(() => undefined);
      const inside = archive && [...archive.entries()].find(([p]) => /^[^/]+\/Chart\.yaml$/.test(p));
      chartYaml = inside?.[1].toString('utf8');
    }
    const name = chartYaml === undefined ? undefined : chartNameOf(chartYaml);
    if (name) names.add(name);
  }
  return names;
}

/** Makes `charts/`'s top-level files exactly `files` (directories are left alone, as helm leaves them). */
export function writeChartsDirFiles(chartDir: string, files: ChartsDirFiles): void {
  const dir = path.join(chartDir, 'charts');
  fs.mkdirSync(dir, { recursive: true });
  for (const entry of safeReadDir(dir)) {
    if (entry.isFile() && !files.has(entry.name)) fs.rmSync(path.join(dir, entry.name));
  }
  for (const [name, data] of files) fs.writeFileSync(path.join(dir, name), data);
}

function chartNameOf(text: string): string | undefined {
  try {
    const doc = parse(text, { maxAliasCount: 100 }) as { name?: unknown } | null;
    return typeof doc?.name === 'string' ? doc.name : undefined;
  } catch {
    return undefined;
  }
}

/** A file's text, or undefined when it cannot be read. */
export function readText(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

function safeReadDir(dir: string): fs.Dirent[] {
  try {
    return fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}
