import type { HelmOptions } from '../fleet-yaml/fleet-yaml.types.js';
import { RenderError } from '../render.error.js';
import type { ToolSet } from '../tools/tool-set.types.js';
import { readPin, sha256Hex, storeArchive, writePin } from './chart-cache.js';
import { chartSource } from './chart-source.js';
import { download } from './http-download.js';
import { pullOciChart } from './oci-pull.js';
import { parseRepoIndex, pickVersion } from './repo-index.js';

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
  /** OCI registries only: talk plain HTTP (helm's --plain-http), e.g. a registry on 127.0.0.1. */
  plainHttp?: boolean;
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

/**
 * Fetches (or finds in the cache) the chart `helm` names, like Fleet:
 * - `repo` (http/https) + `chart` name + `version` constraint, resolved against `<repo>/index.yaml`;
 * - `repo: oci://…` + `chart` name, or `chart: oci://…`, pulled with `helm pull --version`;
 * - `chart: https://…/x.tgz`, downloaded as is.
 * An exact version (or a URL) already fetched once is served from its pin without network.
 */
export async function fetchChart(helm: HelmOptions, ctx: ChartFetchContext): Promise<FetchedChart> {
  const source = chartSource(helm);
  const cacheDir = ctx.tools.chartCacheDir;
  const pinKey = source.exact ? pinKeyOf(source.kind, source.ref, source.kind === 'repo' ? source.name : '', source.version ?? '') : undefined;
  if (pinKey) {
    const pinned = readPin(cacheDir, pinKey);
    if (pinned) return pinned;
  }
  const limits = { timeoutMs: ctx.tools.limits.timeoutMs, maxBytes: ctx.tools.limits.maxOutputBytes, ...(ctx.signal ? { signal: ctx.signal } : {}) };
  let archive: Buffer;
  let expectedDigest: string | undefined;
  let resolvedKey = pinKey;
  if (source.kind === 'oci') {
    archive = await pullOciChart(source.ref, source.version, ctx.tools, ctx.auth, ctx.signal);
  } else if (source.kind === 'url') {
    archive = await download(source.ref, { ...limits, ...(ctx.auth ? { auth: ctx.auth } : {}), field: 'helm.chart' });
  } else {
    const repo = source.ref.replace(/\/+$/, '') + '/';
    const indexUrl = new URL('index.yaml', repo).toString();
    const text = (await download(indexUrl, { ...limits, ...(ctx.auth ? { auth: ctx.auth } : {}), field: 'helm.repo' })).toString('utf8');
    const picked = pickVersion(parseRepoIndex(text, indexUrl), source.name, source.version, indexUrl);
    resolvedKey = pinKeyOf('repo', source.ref, source.name, picked.version);
    const pinned = readPin(cacheDir, resolvedKey);
    if (pinned) return pinned;
    const first = picked.urls[0];
    if (!first) throw new RenderError('ChartFetchFailed', `${indexUrl} lists no URL for ${source.name} ${picked.version}`, { field: 'helm.chart' });
    const chartUrl = new URL(first, repo).toString();
    // Credentials go to the repository's own host only (helm's default without --pass-credentials).
    const sameOrigin = new URL(chartUrl).origin === new URL(repo).origin;
    archive = await download(chartUrl, { ...limits, ...(ctx.auth && sameOrigin ? { auth: ctx.auth } : {}), field: 'helm.chart' });
    expectedDigest = picked.digest;
  }
  if (expectedDigest && sha256Hex(archive) !== expectedDigest) {
    throw new RenderError('ChartFetchFailed', `chart archive digest sha256:${sha256Hex(archive)} does not match the index's sha256:${expectedDigest}`, { field: 'helm.chart' });
  }
  const chart = await storeArchive(cacheDir, archive, ctx.tools.limits.maxOutputBytes);
  if (source.kind === 'repo' && chart.name !== source.name) {
    throw new RenderError('ChartFetchFailed', `the archive for "${source.name}" holds chart "${chart.name}"`, { field: 'helm.chart' });
  }
  if (resolvedKey) writePin(cacheDir, resolvedKey, chart);
  // An OCI pull without an exact version: pin what it resolved to for later exact requests.
  if (source.kind === 'oci') writePin(cacheDir, pinKeyOf('oci', source.ref, '', chart.version), chart);
  return chart;
}

/** What a pin is keyed by: the source, the chart name (repositories) and the exact version. */
function pinKeyOf(kind: string, ref: string, name: string, version: string): string {
  return JSON.stringify([kind, ref.replace(/\/+$/, ''), name, version]);
}
