/**
 * Fetched chart dependencies under ToolSet.chartCacheDir, beside the chart cache:
 *   dependencies/<key>.json   the top-level files of `charts/` after `helm dependency update`: [name, sha256]
 *   dependency-files/<sha256> each such file's content, stored once by digest
 * The key is dependencyCacheKey's (dependency-cache.key.ts). A hit whose files are not all there, or do not
 * match their digests, is a miss.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { sha256Hex } from '../charts/chart-cache.js';
import type { ChartsDirFiles } from './charts-dir.js';

function entryFile(cacheDir: string, key: string): string {
  return path.join(cacheDir, 'dependencies', `${key}.json`);
}

function contentFile(cacheDir: string, hex: string): string {
  return path.join(cacheDir, 'dependency-files', hex);
}

export function readCachedDependencies(cacheDir: string, key: string): ChartsDirFiles | undefined {
  let listed: unknown;
  try {
    listed = JSON.parse(fs.readFileSync(entryFile(cacheDir, key), 'utf8'));
  } catch {
    return undefined;
  }
  if (!Array.isArray(listed)) return undefined;
  const files: ChartsDirFiles = new Map();
  for (const item of listed as unknown[]) {
    if (!Array.isArray(item) || typeof item[0] !== 'string' || typeof item[1] !== 'string') return undefined;
    const [name, hex] = item as [string, string];
    if (name.includes('/') || name.startsWith('.') || !/^[0-9a-f]{64}$/.test(hex)) return undefined;
    let data: Buffer;
    try {
      data = fs.readFileSync(contentFile(cacheDir, hex));
    } catch {
      return undefined;
    }
    if (sha256Hex(data) !== hex) return undefined;
    files.set(name, data);
  }
  return files;
}

export function writeCachedDependencies(cacheDir: string, key: string, files: ChartsDirFiles): void {
  const listed: [string, string][] = [];
  for (const [name, data] of [...files.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const hex = sha256Hex(data);
    const file = contentFile(cacheDir, hex);
    if (!fs.existsSync(file)) writeAtomically(file, data);
    listed.push([name, hex]);
  }
  writeAtomically(entryFile(cacheDir, key), JSON.stringify(listed));
}

function writeAtomically(file: string, data: Buffer | string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, data);
  fs.renameSync(tmp, file);
}
