import { isObject, type JsonObject } from './json-value.js';

/** Metadata fields the API server writes on every object; nobody applies them. */
const SERVER_METADATA = ['managedFields', 'resourceVersion', 'generation', 'creationTimestamp', 'uid', 'selfLink'];

/**
 * Client-side `kubectl apply` records its input here. It is not ours, and it
 * changes whenever someone runs kubectl apply, so it is never drift.
 */
export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';

/**
 * A copy of an object (plain JSON as the API server sends it) without what
 * the server owns: the metadata above, `status` (written by controllers
 * through the status subresource), and the last-applied annotation (with
 * `annotations` dropped if that leaves it empty). What remains is what an
 * apply can set.
 */
export function normalize(obj: JsonObject): JsonObject {
  const { status: _status, ...rest } = obj;
  if (!isObject(rest.metadata)) return rest;
  const metadata: JsonObject = { ...rest.metadata };
  for (const key of SERVER_METADATA) delete metadata[key];
  if (isObject(metadata.annotations)) {
    const { [LAST_APPLIED_ANNOTATION]: _lastApplied, ...annotations } = metadata.annotations;
    if (Object.keys(annotations).length > 0) metadata.annotations = annotations;
    else delete metadata.annotations;
  }
  return { ...rest, metadata };
}
