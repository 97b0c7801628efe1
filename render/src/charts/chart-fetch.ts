import type { HelmOptions } from '../fleet-yaml/fleet-yaml.types.js';
import { RenderError } from '../render.error.js';
import type { ToolSet } from '../tools/tool-set.types.js';

/** A chart fetched from outside the bundle and unpacked in the cache. */
export interface FetchedChart {
  /** Absolute path of the unpacked chart directory (holds Chart.yaml). */
  path: string;
  name: string;
  /** The exact version fetched (a `version` constraint resolved against the repository index). */
  version: string;
  /** `sha256:<hex>` of the chart archive: the cache key. */
  digest: string;
}

/** Credentials and TLS settings for a chart repository (a GitRepo's `helmSecret`). */
export interface ChartRepositoryAuth {
  username?: string;
  password?: string;
  caBundle?: string;
  insecureSkipTLSVerify?: boolean;
}

export interface ChartFetchContext {
  tools: ToolSet;
  auth?: ChartRepositoryAuth;
  signal?: AbortSignal;
}

/** True when `helm.chart` is not a path in the bundle: `repo` set, an `oci://` reference or an http(s) URL. */
export function isRemoteChart(helm: HelmOptions): boolean {
  const chart = helm.chart ?? '';
  return Boolean(helm.repo) || chart.startsWith('oci://') || /^https?:\/\//.test(chart);
}

/** Fetches (or finds in the cache) the chart `helm` names. Not built yet: remote charts land with issue #10's chart work. */
export async function fetchChart(helm: HelmOptions, _ctx: ChartFetchContext): Promise<FetchedChart> {
  throw new RenderError('ChartFetchFailed', `fetching remote charts is not built yet (${helm.repo ?? helm.chart})`, { field: 'helm.chart' });
}
