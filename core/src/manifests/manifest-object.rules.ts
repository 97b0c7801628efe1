import { isGeneratedHook } from '../hooks/hook-annotations.rules.js';
import { groupOf, refKey, refOf } from '../objects/object-ref.identity.js';
import { describePosition, ManifestError, type ManifestPosition } from './manifest.error.js';

/** A Kubernetes object as Flotilla sees it: only identity fields are typed. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  /** `name`, or for hooks only `generateName` (see {@link checkObject}). */
  metadata: { name?: string; generateName?: string; namespace?: string; [key: string]: unknown };
  [key: string]: unknown;
}

/**
 * `value` as a Kubernetes object with the fields that identify it (pure):
 * `NotAnObject` for scalars and lists, `InvalidObject` for a missing
 * apiVersion, kind or name. Objects must be identifiable to be pruned, so
 * `generateName` is refused, except on hooks ({@link isGeneratedHook}): they
 * are never pruned, and each run creates a new object (Argo CD's hooks).
 */
export function checkObject(value: unknown, where: ManifestPosition): KubeObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ManifestError('NotAnObject', where, `must be a Kubernetes object, got ${Array.isArray(value) ? 'a list' : typeof value}`);
  }
  const o = value as Record<string, unknown>;
  const metadata = o.metadata as Record<string, unknown> | undefined;
  const problem =
    typeof o.apiVersion !== 'string' || o.apiVersion === ''
      ? 'apiVersion is required'
      : typeof o.kind !== 'string' || o.kind === ''
        ? 'kind is required'
        : typeof metadata !== 'object' || metadata === null
          ? 'metadata is required'
          : (typeof metadata.name !== 'string' || metadata.name === '') && !isGeneratedHook(o as Parameters<typeof isGeneratedHook>[0])
            ? 'metadata.name is required (generateName is supported on hooks only: other objects must be identifiable to prune them)'
            : metadata.namespace !== undefined && typeof metadata.namespace !== 'string'
              ? 'metadata.namespace must be a string'
              : undefined;
  if (problem) throw new ManifestError('InvalidObject', where, problem);
  return value as KubeObject;
}

/** `group/Kind namespace/name`: how messages name an object (the identity of `refKey`). */
export function objectIdentity(o: KubeObject): string {
  return `${groupOf(o.apiVersion)}/${o.kind} ${o.metadata.namespace ?? ''}/${refOf(o).name}`;
}

/**
 * The objects seen so far; `add` throws `DuplicateObject` for a second object
 * with the same identity (the agent's `refKey`, so that whatever is accepted
 * the agent can tell apart), naming where the first one was.
 */
export class ObjectIdentitySet {
  private readonly seen = new Map<string, ManifestPosition>();

  add(object: KubeObject, where: ManifestPosition): void {
    const key = refKey(refOf(object));
    const first = this.seen.get(key);
    if (first !== undefined) {
      const there = first.source === where.source ? describePosition(first).slice(first.source.length + 1) : describePosition(first);
      throw new ManifestError('DuplicateObject', where, `${objectIdentity(object)} is already in ${there || first.source}`);
    }
    this.seen.set(key, where);
  }
}
