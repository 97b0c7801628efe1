import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { fetchChart, isRemoteChart, type ChartRepositoryAuth, type FetchedChart } from '../charts/chart-fetch.js';
import { ensureChartDependencies, readChartDependencies } from '../dependencies/ensure-chart-dependencies.js';
import { RenderError } from '../render.error.js';
import { bundleDir, chartDir, kustomizationPath } from './bundle-kind.rules.js';
import { helmNamespace, helmReleaseName } from './helm-release.rules.js';
import { helmTemplate } from './helm-template.js';
import { kustomizePostRender } from './kustomize-build.js';
import { helmSourceAt, parseObjects } from './parse-output.js';
import type { ChartCredentials, RenderInput, Renderer } from './renderer.types.js';

/**
 * Helm bundles: `helm template` of the local or fetched chart, its missing
 * dependencies fetched first as Fleet does (dependencies/); when
 * `<kustomize.dir>/kustomization.yaml` is in the bundle, Fleet post-renders
 * the chart's output with that kustomization (kustomize-build.ts).
 */
export const helmRenderer: Renderer = {
  kind: 'helm',
  async render(input) {
    const paths = new Set(input.files.map((f) => f.path));
    const { chartPath, chartInBundle } = await locateChart(input, paths);
    const output = await helmTemplate({
      chartPath,
      chartInBundle,
      releaseName: helmReleaseName(input),
      namespace: helmNamespace(input.options),
      helm: input.options.helm ?? {},
      treeDir: input.workDir,
      bundlePaths: paths,
      tools: input.tools,
      ...(input.signal ? { signal: input.signal } : {}),
    });
    const kustomization = kustomizationPath(input.options);
    if (!paths.has(kustomization)) {
      return parseObjects(output, 'helm template', (line) => {
        const source = helmSourceAt(output, line);
        return source ? { file: path.posix.join(chartInBundle, source) } : {};
      });
    }
    const built = await kustomizePostRender(output, input.workDir, bundleDir(input.options.kustomize?.dir), kustomization, input.tools, input.signal);
    return parseObjects(built, 'kustomize build', () => ({ file: kustomization }));
  },
};

async function locateChart(input: RenderInput, paths: ReadonlySet<string>): Promise<{ chartPath: string; chartInBundle: string }> {
  const helm = input.options.helm ?? {};
  const dependencies = {
    disableDependencyUpdate: Boolean(helm.disableDependencyUpdate),
    authFor: (url: string) => chartAuth(url, input.chartCredentials),
    tools: input.tools,
    ...(input.signal ? { signal: input.signal } : {}),
  };
  if (isRemoteChart(helm)) {
    const auth = chartAuth(helm.repo || helm.chart || '', input.chartCredentials);
    const fetched = await fetchChart(helm, { tools: input.tools, ...(auth ? { auth } : {}), ...(input.signal ? { signal: input.signal } : {}) });
    const place = { fetched: [helm.repo, helm.chart].filter(Boolean).join(' ') };
    const needs = await readChartDependencies(fetched.path, input.tools.limits.maxOutputBytes);
    if (!needs?.missing.length) return { chartPath: fetched.path, chartInBundle: '' };
    // The fetched chart is shared in the cache: its dependencies go into a copy in this render's tree.
    const copy = await scratchCopy(fetched, input.workDir);
    await ensureChartDependencies({ chartDir: copy, rootDir: copy, place, ...dependencies }, needs);
    return { chartPath: copy, chartInBundle: '' };
  }
  const dir = chartDir(input.options);
  if (dir.startsWith('../') || dir === '..') throw new RenderError('InvalidBundle', `chart ${helm.chart} is outside the bundle`, { field: 'helm.chart' });
  const isArchive = /\.(tgz|tar\.gz)$/.test(dir) && paths.has(dir);
  if (!isArchive && !paths.has(dir ? `${dir}/Chart.yaml` : 'Chart.yaml')) {
    throw new RenderError('HelmFailed', `no Chart.yaml in ${dir || 'the bundle root'}`, { field: 'helm.chart', ...(dir ? { file: dir } : {}) });
  }
  const chartPath = path.join(input.workDir, dir);
  // input.workDir is this render's copy of the bundle: helm writes charts/ and Chart.lock there, never in the source.
  if (!isArchive) await ensureChartDependencies({ chartDir: chartPath, rootDir: input.workDir, place: { inBundle: dir }, ...dependencies });
  return { chartPath, chartInBundle: isArchive ? '' : dir };
}

async function scratchCopy(chart: FetchedChart, treeDir: string): Promise<string> {
  const dir = await fs.mkdtemp(path.join(treeDir, '.flotilla-fetched-chart-'));
  const copy = path.join(dir, path.basename(chart.path));
  await fs.cp(chart.path, copy, { recursive: true });
  return copy;
}

/** Fleet's rule: a GitRepo's helm credentials go to every chart URL, or with helmRepoURLRegex only to those it matches. */
export function chartAuth(url: string, credentials: ChartCredentials | undefined): ChartRepositoryAuth | undefined {
  if (!credentials) return undefined;
  return !credentials.urlPattern || credentials.urlPattern.test(url) ? credentials.auth : undefined;
}
