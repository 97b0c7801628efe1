import { bundleDir, kustomizationPath } from './bundle-kind.rules.js';
import { kustomizeBuild } from './kustomize-build.js';
import { parseObjects } from './parse-output.js';
import type { Renderer } from './renderer.types.js';

/** Kustomize bundles: the real `kustomize build` of `kustomize.dir` (the root by default). */
export const kustomizeRenderer: Renderer = {
  kind: 'kustomize',
  async render(input) {
    const output = await kustomizeBuild(input.workDir, bundleDir(input.options.kustomize?.dir), input.tools, input.signal);
    return parseObjects(output, 'kustomize build', () => ({ file: kustomizationPath(input.options) }));
  },
};
