import { gunzipSync, gzipSync } from 'node:zlib';
import type { BundleFile } from '@flotilla/render';

/** Upper bound on a stored bundle directory once unpacked (what a render job holds in memory). */
export const MAX_SOURCE_BYTES = 64 * 1024 * 1024;

/**
 * A bundle directory's files as stored in `bundle_sources.content`: gzip of a
 * JSON array of { path, content (base64) } in path order (pure, deterministic).
 */
export function encodeSourceFiles(files: readonly BundleFile[]): Buffer {
  const sorted = [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return gzipSync(JSON.stringify(sorted.map((f) => ({ path: f.path, content: Buffer.from(f.content).toString('base64') }))));
}

export function decodeSourceFiles(content: Uint8Array): BundleFile[] {
  const json = gunzipSync(content, { maxOutputLength: MAX_SOURCE_BYTES * 2 }).toString('utf8');
  const rows = JSON.parse(json) as { path: string; content: string }[];
  if (!Array.isArray(rows)) throw new Error('stored bundle source is not a file list');
  return rows.map((r) => ({ path: r.path, content: new Uint8Array(Buffer.from(r.content, 'base64')) }));
}
