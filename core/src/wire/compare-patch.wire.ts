import type { ComparePatch, FieldDiff } from '@flotilla/proto';

/**
 * Fields to leave out of drift detection for matching objects, like Fleet's
 * `diff.comparePatches` and Argo CD's `ignoreDifferences` (`jsonPointers`):
 * the `ComparePatch` message of `flotilla.v1`, where `''` matches any
 * apiVersion, kind, namespace or name.
 */
export type { ComparePatch };

/**
 * One field that differs between the desired state and the live object: the
 * `FieldDiff` message of `flotilla.v1` (`path` `''` is the whole object;
 * `desired`/`live` `''` when the field should not exist / is missing).
 */
export type { FieldDiff };

/** A {@link ComparePatch} as users write it (REST API, CLI): the match fields may be left out. */
export type ComparePatchInput = Partial<Omit<ComparePatch, 'jsonPointers'>> & Pick<ComparePatch, 'jsonPointers'>;

/** The wire form of a {@link ComparePatchInput}: match fields left out become `''` (match any). */
export function toComparePatch(input: ComparePatchInput): ComparePatch {
  return {
    apiVersion: input.apiVersion ?? '',
    kind: input.kind ?? '',
    namespace: input.namespace ?? '',
    name: input.name ?? '',
    jsonPointers: input.jsonPointers,
  };
}
