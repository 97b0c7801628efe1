import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import type { HelmOptions } from '../fleet-yaml/fleet-yaml.types.js';
import { RenderError } from '../render.error.js';
import { runTool, toolSetRunOptions } from '../tools/tool-runner.js';
import { helmErrorLocation } from '../tools/tool-stderr.rules.js';
import type { ToolSet } from '../tools/tool-set.types.js';
import { bundleDir } from './bundle-kind.rules.js';
import { withScratchDir } from './scratch-dir.js';

export interface HelmTemplateRequest {
  /** Absolute path of the chart directory or archive. */
  chartPath: string;
  /** The chart's path in the bundle, for error locations (`''` for the root). */
  chartInBundle: string;
  releaseName: string;
  namespace: string;
  helm: HelmOptions;
  /** The bundle tree on disk (valuesFiles are bundle paths). */
  treeDir: string;
  bundlePaths: ReadonlySet<string>;
  tools: ToolSet;
  signal?: AbortSignal;
}

/** `helm template` arguments (pure): values first, then valuesFiles in order (later wins, as Fleet merges them). */
export function helmTemplateArgs(req: Pick<HelmTemplateRequest, 'chartPath' | 'releaseName' | 'namespace' | 'helm'>, valuesFile: string | undefined, valuesFiles: string[]): string[] {
  const args = ['template', req.releaseName, req.chartPath, '--namespace', req.namespace, '--include-crds'];
  if (req.helm.skipSchemaValidation) args.push('--skip-schema-validation');
  if (valuesFile) args.push('--values', valuesFile);
  for (const f of valuesFiles) args.push('--values', f);
  return args;
}

/** Runs `helm template` and returns its output (hooks included: the agent runs them). */
export async function helmTemplate(req: HelmTemplateRequest): Promise<string> {
  const valuesFiles = (req.helm.valuesFiles ?? []).map((v, i) => {
    const inBundle = bundleDir(v);
    if (inBundle.startsWith('../') || inBundle === '..' || path.posix.isAbsolute(inBundle)) {
      throw new RenderError('InvalidBundle', `values file ${v} is outside the bundle`, { field: `helm.valuesFiles[${i}]` });
    }
    if (!req.bundlePaths.has(inBundle)) throw new RenderError('HelmFailed', `values file ${v} is not in the bundle`, { file: inBundle, field: `helm.valuesFiles[${i}]` });
    return path.join(req.treeDir, inBundle);
  });
  return withScratchDir('helm', async (cwd) => {
    let valuesFile: string | undefined;
    if (req.helm.values && Object.keys(req.helm.values).length > 0) {
      valuesFile = path.join(cwd, 'fleet-values.json');
      await fs.writeFile(valuesFile, JSON.stringify(req.helm.values));
    }
    const args = helmTemplateArgs(req, valuesFile, valuesFiles);
    const { stdout } = await runTool('helm', req.tools.helm, args, {
      cwd,
      ...toolSetRunOptions(req.tools),
      ...(req.signal ? { signal: req.signal } : {}),
      locate: (stderr) => helmErrorLocation(stderr, req.chartInBundle),
    });
    return stdout.toString('utf8');
  });
}
