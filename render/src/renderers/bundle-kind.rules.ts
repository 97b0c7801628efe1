import * as path from 'node:path';
import type { BundleFile } from '../bundle/bundle-source.types.js';
import { isRemoteChart } from '../charts/chart-fetch.js';
import type { DeploymentOptions } from '../fleet-yaml/fleet-yaml.types.js';
import type { BundleKind } from './renderer.types.js';

/** `./a/b/` → `a/b`, `''`/`.` → `''` (pure). */
export function bundleDir(dir: string | undefined): string {
  const normal = path.posix.normalize(dir ?? '.').replace(/\/+$/, '');
  return normal === '.' ? '' : normal;
}

function inDir(dir: string, file: string): string {
  return dir ? `${dir}/${file}` : file;
}

/** The chart's directory in the bundle (`''` for the root). */
export function chartDir(options: DeploymentOptions): string {
  return bundleDir(options.helm?.chart);
}

/** Fleet reads exactly `<kustomize.dir>/kustomization.yaml` (not `.yml`, not `Kustomization`). */
export function kustomizationPath(options: DeploymentOptions): string {
  return inDir(bundleDir(options.kustomize?.dir), 'kustomization.yaml');
}

/**
 * Fleet's `bundlereader.DetermineStyle` (pure): helm when the chart is remote,
 * `helm.chart` names a path, or a Chart.yaml is at the chart path (the root by
 * default); else kustomize when `<kustomize.dir>/kustomization.yaml` exists;
 * else raw. A helm bundle with that kustomization is post-rendered by kustomize
 * (see helm.renderer.ts). Fleet falls back to raw for a `helm.chart`
 * directory without Chart.yaml; here that is a helm bundle whose render fails
 * and says why.
 */
export function determineKind(files: readonly BundleFile[], options: DeploymentOptions): BundleKind {
  const paths = new Set(files.map((f) => f.path));
  const helm = options.helm;
  if (helm && (isRemoteChart(helm) || bundleDir(helm.chart) !== '')) return 'helm';
  if (paths.has(inDir(chartDir(options), 'Chart.yaml'))) return 'helm';
  if (paths.has(kustomizationPath(options))) return 'kustomize';
  return 'raw';
}
