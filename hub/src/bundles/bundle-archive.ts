import { posix } from 'node:path';
import { Parser, type ReadEntry } from 'tar';
import { DomainError } from '../platform/errors/domain-error.js';
import { MAX_SOURCE_BYTES } from './bundle-source.codec.js';

/** Bounds of an uploaded bundle directory (a gzipped tar, base64 in the API body). */
export const ARCHIVE_LIMITS = { maxFiles: 5_000, maxBytes: MAX_SOURCE_BYTES, maxFileBytes: 16 * 1024 * 1024 } as const;

export interface ArchiveFile {
  path: string;
  content: Buffer;
}

/**
 * Reads a gzipped tar of a bundle directory into memory, refusing what could
 * escape or exhaust the hub: links, devices, absolute or `..` paths, more than
 * ARCHIVE_LIMITS. Directories are implied by file paths. Nothing touches disk (the files are read as a bundle directory through render's memoryFs).
 */
export async function readArchive(archive: Buffer, field = 'directory.archive'): Promise<ArchiveFile[]> {
  const files: ArchiveFile[] = [];
  let total = 0;
  let failure: DomainError | undefined;
  const fail = (message: string) => {
    failure ??= new DomainError('InvalidBundleArchive', message, { field });
  };
  const parser = new Parser({ strict: true });
  parser.on('entry', (entry: ReadEntry) => {
    const path = normalisePath(entry.path);
    if (failure) return entry.resume();
    if (entry.type === 'Directory') return entry.resume();
    if (entry.type !== 'File' && entry.type !== 'OldFile' && entry.type !== 'ContiguousFile') {
      fail(`"${entry.path}" is a ${entry.type}: a bundle archive holds only files and directories`);
      return entry.resume();
    }
    if (!path) {
      fail(`"${entry.path}" is an absolute path or leaves the bundle directory`);
      return entry.resume();
    }
    if (files.length >= ARCHIVE_LIMITS.maxFiles) {
      fail(`more than ${ARCHIVE_LIMITS.maxFiles} files`);
      return entry.resume();
    }
    const chunks: Buffer[] = [];
    let size = 0;
    entry.on('data', (chunk: Buffer) => {
      size += chunk.length;
      total += chunk.length;
      if (size > ARCHIVE_LIMITS.maxFileBytes) fail(`"${path}" is larger than ${ARCHIVE_LIMITS.maxFileBytes} bytes`);
      else if (total > ARCHIVE_LIMITS.maxBytes) fail(`the files add up to more than ${ARCHIVE_LIMITS.maxBytes} bytes`);
      else chunks.push(chunk);
    });
    entry.on('end', () => {
      if (!failure) files.push({ path, content: Buffer.concat(chunks) });
    });
  });
  await new Promise<void>((resolve) => {
    parser.on('error', (error: Error) => {
      fail(`not a gzipped tar archive: ${error.message}`);
      resolve();
    });
    parser.on('warn', (_code: string, message: string) => fail(`not a valid tar archive: ${message}`));
    parser.on('end', () => resolve());
    parser.end(archive);
  });
  if (failure) throw failure;
  if (files.length === 0) fail('the archive holds no files');
  if (failure) throw failure;
  return files;
}

/** `a/./b` → `a/b`; absolute paths, `..` escapes and empty names → undefined. */
function normalisePath(raw: string): string | undefined {
  if (raw.startsWith('/') || raw.includes('\0') || raw.includes('\\')) return undefined;
  const path = posix.normalize(raw).replace(/\/+$/, '');
  if (path === '.' || path === '' || path === '..' || path.startsWith('../')) return undefined;
  return path;
}
