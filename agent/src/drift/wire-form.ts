/**
 * Conversions between JSON as the API server speaks it ("wire form") and the
 * typed models of `@kubernetes/client-node` v2.
 *
 * Why this exists: `KubernetesObjectApi` serializes a request body through the
 * model of its kind, copying only the model's properties under their
 * TypeScript names, and deserializes responses into those models. Most names
 * match the wire, but some do not: a CRD schema's `x-kubernetes-*` fields are
 * `x_kubernetes_*` in the model, `$ref` is `ref`. A plain manifest sent as is
 * therefore silently loses those fields, and a typed response compared as is
 * reports paths no manifest uses. The client does not export its serializer
 * from the package root, so it is imported from its module file (pinned by
 * the exact client version in package.json).
 */
import type { KubernetesObject } from '@kubernetes/client-node';
import { ObjectSerializer } from '@kubernetes/client-node/dist/serializer.js';
import { getSerializationType } from '@kubernetes/client-node/dist/util.js';
import type { JsonObject } from './json-value.js';

/** Whether `obj` is plain JSON (a manifest) rather than an instance of a client model. */
function isPlain(obj: object): boolean {
  const proto = Object.getPrototypeOf(obj) as unknown;
  return proto === Object.prototype || proto === null;
}

function modelOf(obj: KubernetesObject): string {
  return getSerializationType(obj.apiVersion, obj.kind);
}

/**
 * The object as the client's model of its kind, ready to hand to
 * `KubernetesObjectApi` so that the server receives exactly the wire JSON of
 * the manifest. Typed objects are returned unchanged.
 */
export function toClientObject<T extends KubernetesObject>(obj: T): T {
  return isPlain(obj) ? (ObjectSerializer.deserialize(obj, modelOf(obj)) as T) : obj;
}

/**
 * The object as plain wire-form JSON: a deep copy with wire field names, dates
 * as RFC 3339 strings and no `undefined` properties, whether `obj` is a
 * manifest or a model the client returned.
 */
export function toWireObject(obj: KubernetesObject): JsonObject {
  const wire: unknown = isPlain(obj) ? obj : ObjectSerializer.serialize(obj, modelOf(obj));
  return JSON.parse(JSON.stringify(wire)) as JsonObject;
}
