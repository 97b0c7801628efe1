import { groupOf } from '@flotilla/core';

/** Object identity is shared with the hub and the CLI (@flotilla/core). */
export { describeRef, groupOf, isGeneratedName, refKey, refOf, type ObjectRef } from '@flotilla/core';

/** Labels and annotations the agent puts on every object it applies. */
export const BUNDLE_LABEL = 'flotilla.dev/bundle';
export const DEPLOYMENT_ANNOTATION = 'flotilla.dev/deployment-id';
export const WAVE_ANNOTATION = 'flotilla.dev/wave';
/** On a hook named by generateName: which run of which hook of which revision it is (hook.runner.ts). */
export const HOOK_RUN_LABEL = 'flotilla.dev/hook-run';
/** Field manager of every server-side apply the agent makes. */
export const FIELD_MANAGER = 'flotilla-agent';

export function isCrd(ref: { apiVersion: string; kind: string }): boolean {
  return ref.kind === 'CustomResourceDefinition' && groupOf(ref.apiVersion) === 'apiextensions.k8s.io';
}

export function isNamespace(ref: { apiVersion: string; kind: string }): boolean {
  return ref.kind === 'Namespace' && ref.apiVersion === 'v1';
}
