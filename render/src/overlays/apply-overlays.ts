import { parseAllDocuments } from 'yaml';
import type { BundleFile } from '../bundle/bundle-source.types.js';
import { RenderError } from '../render.error.js';
import type { ToolSet } from '../tools/tool-set.types.js';
import { applyPatch } from './apply-patch.js';
import { isOverlayFile, overlayEntries, patchTarget } from './overlay-paths.rules.js';
import { patchStyle } from './patch-style.rules.js';

export interface OverlayContext {
  tools: ToolSet;
  /** Scratch directory (strategic merges run kustomize there). */
  workDir: string;
  signal?: AbortSignal;
}

/**
 * fleet.yaml `yaml.overlays`, as Fleet's `render/patch` applies them: for each
 * overlay in list order, each file under `overlays/<name>/` replaces (or adds)
 * the same-named bundle file, and a `_patch.` file patches the file named with
 * `_patch.` → `.` (JSON patch, JSON merge patch or strategic merge, chosen as
 * Fleet does). A patched file becomes JSON. `overlays/` is dropped afterwards,
 * also without overlays. Within one overlay, replacements go before patches
 * (Fleet's order there is a map's: undefined).
 */
export async function applyOverlays(files: BundleFile[], overlays: string[] | undefined, ctx: OverlayContext): Promise<BundleFile[]> {
  const content = new Map(files.map((f) => [f.path, f.content]));
  for (const overlay of overlays ?? []) {
    const entries = overlayEntries([...content.keys()], overlay);
    const replacements = entries.filter((e) => patchTarget(e.name) === undefined);
    const patches = entries.filter((e) => patchTarget(e.name) !== undefined);
    for (const e of replacements) content.set(e.name, content.get(e.source) ?? new Uint8Array());
    for (const e of patches) {
      const target = patchTarget(e.name) as string;
      const base = content.get(target);
      if (base === undefined) {
        throw new RenderError('OverlayFailed', `${e.source} patches ${target}, which is not in the bundle`, { file: e.source });
      }
      const targetValue = singleDocument(base, target);
      const patchValue = singleDocument(content.get(e.source) ?? new Uint8Array(), e.source) ?? {};
      const style = patchStyle(targetValue, patchValue);
      const patched = await applyPatch(style, targetValue ?? {}, patchValue, { ...ctx, patchFile: e.source, targetFile: target });
      content.set(target, new TextEncoder().encode(`${JSON.stringify(patched, null, 2)}\n`));
    }
  }
  return [...content]
    .filter(([p]) => !isOverlayFile(p))
    .map(([p, c]) => ({ path: p, content: c }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/**
 * The one YAML/JSON document a patch or patch target holds (undefined when
 * empty). Fleet reads only the first document of a multi-document target and
 * drops the rest; refusing is kinder than losing objects.
 */
function singleDocument(bytes: Uint8Array, file: string): unknown {
  const docs = parseAllDocuments(new TextDecoder().decode(bytes));
  if (!Array.isArray(docs)) return undefined;
  const nonEmpty = docs.filter((d) => d.contents !== null);
  for (const d of nonEmpty) {
    const error = d.errors[0];
    if (error) throw new RenderError('OverlayFailed', `not valid YAML: ${error.message.split('\n')[0]}`, { file, line: error.linePos?.[0].line });
  }
  if (nonEmpty.length > 1) throw new RenderError('OverlayFailed', `a patch or patch target must hold one YAML document, found ${nonEmpty.length}`, { file });
  return nonEmpty[0]?.toJS() as unknown;
}
