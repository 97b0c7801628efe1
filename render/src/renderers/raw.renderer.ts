import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { ManifestError, ObjectIdentitySet, type KubeObject } from '@flotilla/core';
import { RenderError } from '../render.error.js';
import { stringify } from 'yaml';
import { helmTemplate } from './helm-template.js';
import { helmNamespace, helmReleaseName } from './helm-release.rules.js';
import { blankKindlessDocuments, helmSourceAt, parseObjects } from './parse-output.js';
import { selectRawFiles } from './raw-files.rules.js';
import type { RenderInput, Renderer } from './renderer.types.js';
import { withScratchDir } from './scratch-dir.js';

/**
 * Raw YAML/JSON bundles. Fleet wraps them into a generated chart: files go in
 * as chart files (deployed verbatim, `{{ }}` untouched), except those under the
 * root `templates/`, which become the chart's templates and are rendered by
 * Helm with the bundle's helm options. Documents without apiVersion or kind
 * are skipped, as Fleet's raw YAML reader does.
 */
export const rawRenderer: Renderer = {
  kind: 'raw',
  async render(input) {
    const byPath = new Map(input.files.map((f) => [f.path, f.content]));
    const { manifests, templates } = selectRawFiles([...byPath.keys()], input.options);
    const objects: KubeObject[] = templates.length > 0 ? await renderTemplates(input, templates, byPath) : [];
    // One object per identity across files too (the agent tells objects apart by it).
    const identities = new ObjectIdentitySet();
    for (const o of objects) identities.add(o, { source: 'templates/' });
    for (const file of manifests) {
      const text = blankKindlessDocuments(new TextDecoder().decode(byPath.get(file)));
      for (const o of parseObjects(text, file, (line) => ({ file, ...(line ? { line } : {}) }))) {
        addUnique(identities, o, file);
        objects.push(o);
      }
    }
    return objects;
  },
};

/** The root `templates/` of a raw bundle through `helm template`, in a chart generated the way Fleet generates it. */
async function renderTemplates(input: RenderInput, templates: string[], byPath: Map<string, Uint8Array>): Promise<KubeObject[]> {
  return withScratchDir('raw-chart', async (chartDir) => {
    const name = input.bundleName.split('/').pop() || input.bundleName;
    await fs.writeFile(path.join(chartDir, 'Chart.yaml'), stringify({ apiVersion: 'v2', name, version: 'v0.0.0' }));
    for (const t of templates) {
      await fs.mkdir(path.join(chartDir, path.dirname(t)), { recursive: true });
      await fs.writeFile(path.join(chartDir, t), byPath.get(t) ?? new Uint8Array());
    }
    const helm = input.options.helm ?? {};
    const output = await helmTemplate({
      chartPath: chartDir,
      chartInBundle: '',
      releaseName: helmReleaseName(input),
      namespace: helmNamespace(input.options),
      helm,
      treeDir: input.workDir,
      bundlePaths: new Set(byPath.keys()),
      tools: input.tools,
      ...(input.signal ? { signal: input.signal } : {}),
    });
    return parseObjects(output, 'helm template', (line) => fileOf(helmSourceAt(output, line)));
  });
}

function addUnique(identities: ObjectIdentitySet, o: KubeObject, file: string): void {
  try {
    identities.add(o, { source: file });
  } catch (error) {
    if (error instanceof ManifestError) throw new RenderError('InvalidManifest', error.message, { file }, { cause: error });
    throw error;
  }
}

function fileOf(file: string | undefined): { file?: string } {
  return file ? { file } : {};
}
