import * as path from 'node:path';
import type { DeploymentOptions } from '../fleet-yaml/fleet-yaml.types.js';
import { bundleDir } from './bundle-kind.rules.js';

const MANIFEST_EXTENSIONS = ['.yaml', '.yml', '.json'];
const NESTED_MARKERS = ['fleet.yaml', 'fleet.yml', 'Chart.yaml'];
const KUSTOMIZATIONS = new Set(['kustomization.yaml', 'kustomization.yml', 'Kustomization']);

/** The files of a raw bundle, as Fleet's `render.manifests` picks them (pure). */
export interface RawFileSelection {
  /** Deployed as they are (no templating): Fleet ships them as chart files under `raw-yaml/`. */
  manifests: string[];
  /** Under the root `templates/`: Fleet makes them a chart's templates, so Helm renders their `{{ }}`. */
  templates: string[];
}

/**
 * `.yaml`/`.yml`/`.json` files, except the root fleet.yaml/fleet.yml, the
 * helm values files, kustomization files (a raw bundle's kustomization is not
 * a resource; Fleet would skip it only when it lacks a kind), and everything
 * in a directory holding a nested fleet.yaml or Chart.yaml (another bundle or
 * a chart).
 */
export function selectRawFiles(paths: readonly string[], options: DeploymentOptions): RawFileSelection {
  const ignoredDirs = paths.filter((p) => p.includes('/') && NESTED_MARKERS.includes(path.posix.basename(p))).map((p) => `${path.posix.dirname(p)}/`);
  const valuesFiles = new Set((options.helm?.valuesFiles ?? []).map((v) => bundleDir(v)));
  const selected = paths.filter(
    (p) =>
      MANIFEST_EXTENSIONS.some((ext) => p.endsWith(ext)) &&
      p !== 'fleet.yaml' &&
      p !== 'fleet.yml' &&
      !valuesFiles.has(p) &&
      !KUSTOMIZATIONS.has(path.posix.basename(p)) &&
      !ignoredDirs.some((dir) => p.startsWith(dir)),
  );
  return {
    manifests: selected.filter((p) => !p.startsWith('templates/')),
    templates: selected.filter((p) => p.startsWith('templates/')),
  };
}
