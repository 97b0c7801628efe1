/**
 * `helm dependency update <chartDir>` through the shared tool runner, in a
 * scratch directory of its own (HOME, helm's caches, the repositories and
 * registry credentials files): the command Fleet runs (its helmupdater calls
 * helm's downloader.Manager.Update, i.e. `helm dependency update`, with the
 * repository index refresh on). This is the one helm run of a render that may
 * use the network; `chartDir` is always a scratch copy of the chart.
 */
import * as fs from 'node:fs/promises';
import type { ChartRepositoryAuth } from '../charts/chart-fetch.js';
import { withScratchDir } from '../renderers/scratch-dir.js';
import { runTool, toolSetRunOptions } from '../tools/tool-runner.js';
import type { ToolSet } from '../tools/tool-set.types.js';
import type { ChartPlace, DeclaredDependency, DependencySource } from './chart-dependencies.rules.js';
import { dependencyRepoConfig } from './dependency-repo-config.rules.js';
import { dependencyUpdateFailure } from './dependency-failure.rules.js';

export interface HelmDependencyUpdateRequest {
  chartDir: string;
  chartName: string;
  place: ChartPlace;
  dependencies: readonly DeclaredDependency[];
  sources: readonly DependencySource[];
  authFor: (url: string) => ChartRepositoryAuth | undefined;
  tools: ToolSet;
  signal?: AbortSignal;
}

export async function helmDependencyUpdate(req: HelmDependencyUpdateRequest): Promise<void> {
  await withScratchDir('helm-deps', async (cwd) => {
    const config = dependencyRepoConfig(req.sources, req.authFor, cwd);
    for (const [file, text] of config.files) await fs.writeFile(file, text, { mode: 0o600 });
    await runTool('helm', req.tools.helm, ['dependency', 'update', req.chartDir, ...config.args], {
      cwd,
      ...toolSetRunOptions(req.tools),
      ...(req.signal ? { signal: req.signal } : {}),
      explain: (run) => dependencyUpdateFailure(run, req.chartName, req.place, req.dependencies),
    });
  });
}
