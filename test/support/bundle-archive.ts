import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { create } from 'tar';

/** Writes `files` (path → content) into a new temporary directory; returns it. */
export function writeTree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'flotilla-tree-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

/** A gzipped tar of a directory tree given as path → content, base64 (the bundle API's `directory.archive`). */
export async function archiveOf(files: Record<string, string>): Promise<string> {
  const dir = writeTree(files);
  try {
    const chunks: Buffer[] = [];
    const stream = create({ gzip: true, cwd: dir, portable: true }, Object.keys(files).sort());
    for await (const chunk of stream as AsyncIterable<Buffer>) chunks.push(chunk);
    return Buffer.concat(chunks).toString('base64');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
