/** Which kind of remote chart a fleet.yaml `helm` names (pure). */
import semver from 'semver';
import type { HelmOptions } from '../fleet-yaml/fleet-yaml.types.js';
import { RenderError } from '../render.error.js';

export type ChartSource =
  | { kind: 'repo'; ref: string; name: string; version?: string; exact: boolean }
  | { kind: 'oci'; ref: string; version?: string; exact: boolean }
  | { kind: 'url'; ref: string; version?: string; exact: boolean };

export function chartSource(helm: HelmOptions): ChartSource {
  const chart = (helm.chart ?? '').trim();
  const repo = (helm.repo ?? '').trim();
  const version = helm.version?.trim() || undefined;
  const exactVersion = version !== undefined && semver.valid(version) !== null;
  if (repo.startsWith('oci://')) {
    if (!chart) throw new RenderError('ChartFetchFailed', 'helm.repo is an OCI registry but helm.chart names no chart', { field: 'helm.chart' });
    return { kind: 'oci', ref: `${repo.replace(/\/+$/, '')}/${chart}`, ...(version ? { version } : {}), exact: exactVersion };
  }
  if (repo) {
    if (!/^https?:\/\//.test(repo)) throw new RenderError('ChartFetchFailed', `helm.repo "${repo}" is not an http(s) or oci:// URL`, { field: 'helm.repo' });
    if (!chart) throw new RenderError('ChartFetchFailed', 'helm.repo is set but helm.chart names no chart', { field: 'helm.chart' });
    return { kind: 'repo', ref: repo, name: chart, ...(version ? { version } : {}), exact: exactVersion };
  }
  if (chart.startsWith('oci://')) return { kind: 'oci', ref: chart, ...(version ? { version } : {}), exact: exactVersion };
  if (/^https?:\/\//.test(chart)) return { kind: 'url', ref: chart, exact: true };
  throw new RenderError('ChartFetchFailed', `helm.chart "${chart}" is not a remote chart`, { field: 'helm.chart' });
}
