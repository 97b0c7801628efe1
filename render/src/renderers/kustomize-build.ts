import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { parse, stringify } from 'yaml';
import { RenderError } from '../render.error.js';
import { runTool, toolSetRunOptions } from '../tools/tool-runner.js';
import { kustomizeErrorLocation } from '../tools/tool-stderr.rules.js';
import type { ToolSet } from '../tools/tool-set.types.js';
import { withScratchDir } from './scratch-dir.js';

/** Where Fleet puts helm's output for kustomize to read (`kustomize.ManifestsYAML`). */
export const FLEET_MANIFESTS = 'fleet-manifests.yaml';

/** `kustomize build <treeDir>/<dir>`, with kustomize's defaults (root-only loading, no plugins, no helm). */
export async function kustomizeBuild(treeDir: string, dir: string, tools: ToolSet, signal?: AbortSignal): Promise<string> {
  return withScratchDir('kustomize', async (cwd) => {
    const { stdout } = await runTool('kustomize', tools.kustomize, ['build', path.join(treeDir, dir)], {
      cwd,
      ...toolSetRunOptions(tools),
      ...(signal ? { signal } : {}),
      locate: (stderr) => kustomizeErrorLocation(stderr, treeDir),
    });
    return stdout.toString('utf8');
  });
}

/**
 * Fleet's post-render of a chart by kustomize: helm's output becomes
 * `<dir>/fleet-manifests.yaml`, listed first in the kustomization's
 * `resources` (unless already there), and the kustomization is built.
 * With no helm output the kustomization is built unchanged.
 */
export async function kustomizePostRender(helmOutput: string, treeDir: string, dir: string, kustomizationFile: string, tools: ToolSet, signal?: AbortSignal): Promise<string> {
  if (helmOutput.trim() !== '') {
    await fs.writeFile(path.join(treeDir, dir, FLEET_MANIFESTS), helmOutput);
    const file = path.join(treeDir, kustomizationFile);
    let kustomization: Record<string, unknown>;
    try {
      kustomization = (parse(await fs.readFile(file, 'utf8')) ?? {}) as Record<string, unknown>;
    } catch (error) {
      throw new RenderError('KustomizeFailed', `not valid YAML: ${(error as Error).message.split('\n')[0]}`, { file: kustomizationFile }, { cause: error });
    }
    const resources = Array.isArray(kustomization.resources) ? (kustomization.resources as unknown[]) : [];
    if (!resources.includes(FLEET_MANIFESTS)) kustomization.resources = [FLEET_MANIFESTS, ...resources];
    await fs.writeFile(file, stringify(kustomization));
  }
  return kustomizeBuild(treeDir, dir, tools, signal);
}
