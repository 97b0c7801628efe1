import * as path from 'node:path';

export const OVERLAYS_DIR = 'overlays/';

/** The file a `_patch.` file patches (`sub/cm_patch.yaml` → `sub/cm.yaml`), or undefined for a replacement (pure). */
export function patchTarget(name: string): string | undefined {
  const base = path.posix.basename(name);
  if (!base.includes('_patch.')) return undefined;
  const dir = path.posix.dirname(name);
  const target = base.replace('_patch.', '.');
  return dir === '.' ? target : `${dir}/${target}`;
}

/** The files of one overlay, as paths inside the bundle they replace or patch, sorted (pure). */
export function overlayEntries(paths: readonly string[], overlay: string): { source: string; name: string }[] {
  const prefix = `${OVERLAYS_DIR}${overlay}/`;
  return paths
    .filter((p) => p.startsWith(prefix))
    .map((source) => ({ source, name: source.slice(prefix.length) }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export function isOverlayFile(p: string): boolean {
  return p.startsWith(OVERLAYS_DIR);
}
