import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import jsonPatch from 'fast-json-patch';
import jsonMergePatch from 'json-merge-patch';
import { parse, stringify } from 'yaml';
import { RenderError } from '../render.error.js';
import { runTool, toolSetRunOptions } from '../tools/tool-runner.js';
import type { ToolSet } from '../tools/tool-set.types.js';
import type { PatchStyle } from './patch-style.rules.js';

export interface PatchContext {
  tools: ToolSet;
  /** Scratch directory for the strategic merge's kustomization. */
  workDir: string;
  signal?: AbortSignal;
  /** Names the files in errors: the patch and its target, bundle-relative. */
  patchFile: string;
  targetFile: string;
}

/** `patch` applied to `target` in `style`; a failure is OverlayFailed naming both files. */
export async function applyPatch(style: PatchStyle, target: unknown, patch: unknown, ctx: PatchContext): Promise<unknown> {
  try {
    if (style === 'json') return jsonPatch.applyPatch(structuredClone(target), patch as jsonPatch.Operation[], true, false).newDocument;
    if (style === 'merge') return jsonMergePatch.apply(structuredClone(target), patch);
    return await strategicMerge(target as Record<string, unknown>, patch as Record<string, unknown>, ctx);
  } catch (error) {
    if (error instanceof RenderError && error.reason !== 'KustomizeFailed') throw error;
    const detail = error instanceof Error ? error.message : String(error);
    throw new RenderError('OverlayFailed', `${style} patch ${ctx.patchFile} does not apply to ${ctx.targetFile}: ${detail}`, { file: ctx.patchFile }, { cause: error });
  }
}

/**
 * A strategic merge patch applied by the real `kustomize build` (a generated
 * kustomization with one `patches:` entry aimed at the target), so lists merge
 * by their Kubernetes merge keys (containers by name, …) exactly as kustomize
 * and kubectl do. The patch gets the target's identity where it lacks one:
 * Fleet's patches need not name the object.
 */
async function strategicMerge(target: Record<string, unknown>, patch: Record<string, unknown>, ctx: PatchContext): Promise<unknown> {
  const dir = await fs.mkdtemp(path.join(ctx.workDir, 'smp-'));
  const meta = (target.metadata ?? {}) as { name?: string; namespace?: string };
  const patchMeta = { ...(patch.metadata as Record<string, unknown> | undefined) };
  patchMeta.name ??= meta.name;
  if (meta.namespace !== undefined) patchMeta.namespace ??= meta.namespace;
  const fullPatch = { ...patch, apiVersion: patch.apiVersion ?? target.apiVersion, kind: patch.kind ?? target.kind, metadata: patchMeta };
  const [group, version] = String(target.apiVersion).includes('/') ? String(target.apiVersion).split('/') : ['', String(target.apiVersion)];
  const selector = { group, version, kind: target.kind, name: meta.name, ...(meta.namespace ? { namespace: meta.namespace } : {}) };
  await fs.writeFile(path.join(dir, 'target.yaml'), JSON.stringify(target));
  await fs.writeFile(path.join(dir, 'patch.yaml'), JSON.stringify(fullPatch));
  await fs.writeFile(path.join(dir, 'kustomization.yaml'), stringify({ resources: ['target.yaml'], patches: [{ path: 'patch.yaml', target: selector }] }));
  try {
    const { stdout } = await runTool('kustomize', ctx.tools.kustomize, ['build', dir], { cwd: dir, ...toolSetRunOptions(ctx.tools), ...(ctx.signal ? { signal: ctx.signal } : {}) });
    return parse(stdout.toString('utf8')) as unknown;
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}
