import { helmRenderer } from './helm.renderer.js';
import { kustomizeRenderer } from './kustomize.renderer.js';
import { rawRenderer } from './raw.renderer.js';
import type { BundleKind, Renderer } from './renderer.types.js';

/** Every renderer, by the bundle kind it renders. */
export const RENDERERS: Readonly<Record<BundleKind, Renderer>> = {
  raw: rawRenderer,
  kustomize: kustomizeRenderer,
  helm: helmRenderer,
};

export function rendererFor(kind: BundleKind): Renderer {
  return RENDERERS[kind];
}
