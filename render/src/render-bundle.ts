import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeObject } from '@flotilla/core';
import type { BundleFile } from './bundle/bundle-source.types.js';
import type { DeploymentOptions } from './fleet-yaml/fleet-yaml.types.js';
import { renderFiles } from './renderers/render-files.js';
import type { BundleKind, ChartCredentials } from './renderers/renderer.types.js';
import type { ToolSet } from './tools/tool-set.types.js';

export interface RenderBundleInput {
  /** Bundle name: the Helm release name unless `helm.releaseName` is set. */
  bundleName: string;
  files: readonly BundleFile[];
  /** Effective options for one customisation (customizeForCluster). */
  options: DeploymentOptions;
  tools: ToolSet;
  chartCredentials?: ChartCredentials;
  signal?: AbortSignal;
}

/**
 * Renders one bundle for one customisation in a fresh scratch directory
 * (removed afterwards, whatever happens): overlays, the renderer of the
 * bundle's kind, and bounded parsing (renderFiles). The hub's render workers
 * and `flotilla render` both call this.
 */
export async function renderBundle(input: RenderBundleInput): Promise<{ kind: BundleKind; objects: KubeObject[] }> {
  const workDir = await mkdtemp(join(tmpdir(), 'flotilla-render-'));
  try {
    return await renderFiles({
      bundleName: input.bundleName,
      files: [...input.files],
      options: input.options,
      workDir,
      tools: input.tools,
      ...(input.chartCredentials ? { chartCredentials: input.chartCredentials } : {}),
      ...(input.signal ? { signal: input.signal } : {}),
    });
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}
