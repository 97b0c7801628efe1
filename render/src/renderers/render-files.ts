import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import type { KubeObject } from '@flotilla/core';
import type { BundleFile } from '../bundle/bundle-source.types.js';
import { applyOverlays } from '../overlays/apply-overlays.js';
import { RenderError } from '../render.error.js';
import { determineKind } from './bundle-kind.rules.js';
import { rendererFor } from './renderer.registry.js';
import type { BundleKind, RenderInput } from './renderer.types.js';

/**
 * Renders a bundle's files (before overlays) for one cluster: the kind is
 * decided on the files as discovered (Fleet's `DetermineStyle` runs before
 * overlays), `yaml.overlays` apply to raw bundles only (Fleet applies them in
 * its raw YAML path only), the resulting tree is written to a fresh directory
 * under `input.workDir`, and the kind's renderer runs on it.
 */
export async function renderFiles(input: RenderInput): Promise<{ kind: BundleKind; objects: KubeObject[] }> {
  const kind = determineKind(input.files, input.options);
  const ctx = { tools: input.tools, workDir: input.workDir, ...(input.signal ? { signal: input.signal } : {}) };
  const files = kind === 'raw' ? await applyOverlays(input.files, input.options.yaml?.overlays, ctx) : input.files;
  // Real path: kustomize reports symlink-resolved paths, which error locations are matched against.
  const treeDir = await fs.realpath(await fs.mkdtemp(path.join(input.workDir, '.flotilla-render-')));
  await writeTree(treeDir, files);
  const objects = await rendererFor(kind).render({ ...input, files, workDir: treeDir });
  return { kind, objects };
}

async function writeTree(root: string, files: readonly BundleFile[]): Promise<void> {
  for (const file of files) {
    const normal = path.posix.normalize(file.path);
    if (normal.startsWith('../') || normal === '..' || path.posix.isAbsolute(normal)) {
      throw new RenderError('InvalidBundle', 'path escapes the bundle', { file: file.path });
    }
    const target = path.join(root, normal);
    await fs.mkdir(path.dirname(target), { recursive: true });
    await fs.writeFile(target, file.content);
  }
}
