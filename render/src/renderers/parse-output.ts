import { parseManifests, ManifestError, type KubeObject } from '@flotilla/core';
import { parseAllDocuments } from 'yaml';
import { RenderError, type RenderErrorLocation } from '../render.error.js';

/**
 * Tool output or a bundle file as objects, every problem an InvalidManifest
 * RenderError. `where(line)` turns a line of `text` into a bundle location
 * (raw files: the file itself; helm output: the `# Source:` template).
 */
export function parseObjects(text: string, source: string, where: (line: number | undefined) => RenderErrorLocation): KubeObject[] {
  try {
    return parseManifests(text, { source });
  } catch (error) {
    if (!(error instanceof ManifestError)) throw error;
    const reason = error.reason === 'ManifestTooLarge' || error.reason === 'DocumentTooLarge' ? 'OutputTooLarge' : 'InvalidManifest';
    throw new RenderError(reason, error.message, where(error.position.line), { cause: error });
  }
}

/**
 * `text` with the documents that are maps without apiVersion or kind blanked
 * out (newlines kept, so lines still match): Fleet's raw YAML reader skips
 * them (a values file, a config file next to the manifests). Text that does
 * not parse is returned as it is, for parseManifests to report.
 */
export function blankKindlessDocuments(text: string): string {
  let docs;
  try {
    docs = parseAllDocuments(text);
  } catch {
    return text;
  }
  if (!Array.isArray(docs) || docs.some((d) => d.errors.length > 0)) return text;
  let out = text;
  for (const doc of docs) {
    const contents = doc.contents as { range?: [number, number, number]; has?: (k: string) => boolean; items?: unknown } | null;
    if (!contents?.range || typeof contents.has !== 'function') continue;
    if (contents.has('apiVersion') && contents.has('kind')) continue;
    const [start, , end] = contents.range;
    out = out.slice(0, start) + out.slice(start, end).replace(/[^\n]/g, ' ') + out.slice(end);
  }
  return out;
}

/** The template a line of `helm template` output came from (its `# Source: chart/templates/x.yaml`), chart-relative. */
export function helmSourceAt(text: string, line: number | undefined): string | undefined {
  if (line === undefined) return undefined;
  const lines = text.split('\n', line);
  for (let i = lines.length - 1; i >= 0; i--) {
    const m = /^# Source: [^/]+\/(.+)$/.exec(lines[i] ?? '');
    if (m?.[1]) return m[1];
  }
  return undefined;
}
