/**
 * The chart cache under ToolSet.chartCacheDir:
 *   archives/<sha256>.tgz   the archive as downloaded
 *   charts/<sha256>/<name>/ the archive unpacked (in-process; no links, no escaping paths)
 *   pins/<sha256 of key>.json  an exact (source, name, version) → digest, so a second
 *                              fetch of an exact version needs no network
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Parser, type ReadEntry } from 'tar';
import { parse } from 'yaml';
import { RenderError } from '../render.error.js';
import type { FetchedChart } from './chart-fetch.js';

export function sha256Hex(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

function pinFile(cacheDir: string, key: string): string {
  return path.join(cacheDir, 'pins', `${sha256Hex(key)}.json`);
}

/** The cached chart a pin names, if the pin and the unpacked chart are both there. */
export function readPin(cacheDir: string, key: string): FetchedChart | undefined {
  try {
    const pin = JSON.parse(fs.readFileSync(pinFile(cacheDir, key), 'utf8')) as FetchedChart;
    if (typeof pin.path === 'string' && fs.existsSync(path.join(pin.path, 'Chart.yaml'))) return pin;
  } catch {
    // no pin yet
  }
  return undefined;
}

export function writePin(cacheDir: string, key: string, chart: FetchedChart): void {
  const file = pinFile(cacheDir, key);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(`${file}.${process.pid}.tmp`, JSON.stringify(chart));
  fs.renameSync(`${file}.${process.pid}.tmp`, file);
}

/** Stores and unpacks `archive` (once per digest) and returns the unpacked chart. */
export async function storeArchive(cacheDir: string, archive: Buffer, maxUnpackedBytes: number): Promise<FetchedChart> {
  const hex = sha256Hex(archive);
  const digest = `sha256:${hex}`;
  const chartsDir = path.join(cacheDir, 'charts', hex);
  if (!fs.existsSync(chartsDir)) {
    const files = await readChartArchive(archive, maxUnpackedBytes);
    const tmp = path.join(cacheDir, 'charts', `.tmp-${hex}-${process.pid}`);
    fs.rmSync(tmp, { recursive: true, force: true });
    for (const [rel, data] of files) {
      const to = path.join(tmp, rel);
      fs.mkdirSync(path.dirname(to), { recursive: true });
      fs.writeFileSync(to, data);
    }
    fs.mkdirSync(path.join(cacheDir, 'archives'), { recursive: true });
    fs.writeFileSync(path.join(cacheDir, 'archives', `${hex}.tgz`), archive);
    try {
      fs.renameSync(tmp, chartsDir);
    } catch {
      fs.rmSync(tmp, { recursive: true, force: true }); // another process won the race
    }
  }
  const top = fs.readdirSync(chartsDir);
  const chartDir = path.join(chartsDir, top[0] ?? '');
  const meta = readChartYaml(path.join(chartDir, 'Chart.yaml'));
  return { path: chartDir, name: meta.name, version: meta.version, digest };
}

function notChart(detail: string): RenderError {
  return new RenderError('ChartFetchFailed', `not a chart archive: ${detail}`, { field: 'helm.chart' });
}

function readChartYaml(file: string): { name: string; version: string } {
  const doc = parse(fs.readFileSync(file, 'utf8'), { maxAliasCount: 100 }) as { name?: unknown; version?: unknown } | null;
  if (typeof doc?.name !== 'string' || typeof doc.version !== 'string') throw notChart('Chart.yaml has no name or version');
  return { name: doc.name, version: String(doc.version) };
}

/** Safe relative path of a tar entry, or an error for absolute / `..` / odd paths. */
function safePath(entryPath: string): string {
  const p = entryPath.replace(/\/+$/, '');
  if (p.startsWith('/') || /^[a-zA-Z]:/.test(p) || p.includes('\\') || p.includes('\0')) throw notChart(`entry "${entryPath}" has an absolute path`);
  const parts = p.split('/').filter((s) => s !== '' && s !== '.');
  if (parts.includes('..')) throw notChart(`entry "${entryPath}" escapes the archive`);
  return parts.join('/');
}

/** Reads a .tgz fully in memory: regular files and directories only, one top-level directory with Chart.yaml. */
export function readChartArchive(archive: Buffer, maxUnpackedBytes: number): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    const files = new Map<string, Buffer>();
    let total = 0;
    let failure: RenderError | undefined;
    const parser = new Parser({
      strict: true,
      onReadEntry: (entry: ReadEntry) => {
        try {
          if (failure) throw failure;
          const rel = safePath(entry.path);
          if (entry.type === 'Directory') return entry.resume();
          if (entry.type !== 'File' && entry.type !== 'OldFile' && entry.type !== 'ContiguousFile') {
            throw notChart(`entry "${entry.path}" is a ${entry.type}; only files and directories are allowed`);
          }
          total += entry.size;
          if (total > maxUnpackedBytes) {
            throw new RenderError('ChartFetchFailed', `chart archive unpacks to more than ${maxUnpackedBytes} bytes`, { field: 'helm.chart' });
          }
          const chunks: Buffer[] = [];
          entry.on('data', (c: Buffer) => chunks.push(c));
          entry.on('end', () => files.set(rel, Buffer.concat(chunks)));
        } catch (e) {
          failure ??= e as RenderError;
          entry.resume();
        }
      },
    });
    parser.on('error', (e: Error) => {
      failure ??= notChart(e.message);
    });
    parser.on('end', () => {
      if (failure) return reject(failure);
      const tops = new Set([...files.keys()].map((f) => f.split('/')[0]));
      if (files.size === 0) return reject(notChart('the archive is empty'));
      if (tops.size !== 1) return reject(notChart(`expected one top-level directory, found ${[...tops].join(', ')}`));
      const [top] = [...tops];
      if (!files.has(`${top}/Chart.yaml`)) return reject(notChart(`no ${top}/Chart.yaml`));
      resolve(files);
    });
    try {
      parser.end(archive);
    } catch (e) {
      reject(notChart((e as Error).message));
    }
  });
}
