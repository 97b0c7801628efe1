import * as path from 'node:path';
import type { RenderErrorLocation } from '../render.error.js';

/** Longest stderr excerpt put into an error message. */
export const MAX_STDERR_MESSAGE = 4000;

/** stderr as a message: trimmed, `Error: ` dropped, bounded (pure). */
export function stderrMessage(stderr: string): string {
  const text = stderr.trim().replace(/^Error: /, '');
  return text.length > MAX_STDERR_MESSAGE ? `${text.slice(0, MAX_STDERR_MESSAGE)}…` : text;
}

/**
 * Where a helm error is, from `template: demo/templates/cm.yaml:3:5: …` or
 * `parse error at (demo/templates/cm.yaml:3): …` (pure). Helm names files by
 * chart name, not directory: the first segment is replaced by `chartDir`, the
 * chart's path in the bundle.
 */
export function helmErrorLocation(stderr: string, chartDir: string): RenderErrorLocation {
  const match = /(?:template: |error at \()([^\s:()]+\/[^\s:()]+):(\d+)/.exec(stderr);
  if (!match?.[1] || !match[2]) return {};
  const inChart = match[1].split('/').slice(1).join('/');
  return { file: path.posix.normalize(path.posix.join(chartDir, inChart)), line: Number(match[2]) };
}

/**
 * Where a kustomize error is: the first absolute path inside `root` that the
 * message names (a missing resource, a bad patch file), relative to `root` (pure).
 */
export function kustomizeErrorLocation(stderr: string, root: string): RenderErrorLocation {
  const prefix = root.endsWith('/') ? root : `${root}/`;
  const at = stderr.indexOf(prefix);
  if (at < 0) return {};
  const rest = stderr.slice(at + prefix.length);
  const file = /^[^\s':"]+/.exec(rest)?.[0];
  return file ? { file } : {};
}
