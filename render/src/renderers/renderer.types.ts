import type { KubeObject } from '@flotilla/core';
import type { ChartRepositoryAuth } from '../charts/chart-fetch.js';
import type { BundleFile } from '../bundle/bundle-source.types.js';
import type { DeploymentOptions } from '../fleet-yaml/fleet-yaml.types.js';
import type { ToolSet } from '../tools/tool-set.types.js';

/** What a bundle directory is, decided from its files and options as Fleet's `bundlereader.DetermineStyle` does. */
export type BundleKind = 'raw' | 'kustomize' | 'helm';

/** Everything one renderer call needs; the same input always renders the same objects. */
export interface RenderInput {
  /** Bundle name (the Helm release name unless `helm.releaseName` is set). */
  bundleName: string;
  /** The bundle's files after `yaml.overlays`. */
  files: BundleFile[];
  /** The effective options for this cluster: targetCustomizations merged, `${ }` templates evaluated. */
  options: DeploymentOptions;
  /** A scratch directory holding `files`, owned by this call, removed by the caller afterwards. */
  workDir: string;
  tools: ToolSet;
  /** Credentials for chart repositories (Fleet's GitRepo helmSecretName / helmRepoURLRegex). */
  chartCredentials?: ChartCredentials;
  signal?: AbortSignal;
}

/** Basic auth for remote charts: for every chart URL, or only those `urlPattern` matches. */
export interface ChartCredentials {
  auth: ChartRepositoryAuth;
  urlPattern?: RegExp;
}

/** One kind of bundle: raw YAML, Kustomize or Helm. One file per kind, wired in renderer.registry.ts. */
export interface Renderer {
  readonly kind: BundleKind;
  /** Renders to Kubernetes objects; throws RenderError with file and line where the input allows. */
  render(input: RenderInput): Promise<KubeObject[]>;
}
