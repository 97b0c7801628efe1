import {
  assertDepth,
  checkObject,
  isManifestError,
  manifestLimits,
  ObjectIdentitySet,
  parseManifests as parseManifestText,
  type KubeObject,
  type ManifestLimits,
} from '@flotilla/core';
import { DomainError } from '../platform/errors/domain-error.js';

export type { KubeObject };

/** Upper bound on the number of objects in one bundle. */
export const MAX_BUNDLE_OBJECTS = 10_000;

/** What one bundle's manifests may hold (issue #9): the core defaults, with the bundle's object bound. */
export const BUNDLE_MANIFEST_LIMITS: Readonly<ManifestLimits> = Object.freeze(manifestLimits({ maxObjects: MAX_BUNDLE_OBJECTS }));

/**
 * Parses multi-document YAML into objects (pure, on the calling thread; the
 * service goes through ManifestParserPool, which moves large inputs off the
 * event loop). Errors name the document and line; see @flotilla/core parseManifests.
 */
export function parseManifests(text: string, field = 'manifests'): KubeObject[] {
  try {
    return parseManifestText(text, { source: field, limits: BUNDLE_MANIFEST_LIMITS });
  } catch (error) {
    throw asInvalidManifest(error, field);
  }
}

/** Validates objects given as JSON (pure): identity fields, nesting depth, duplicates. */
export function validateObjects(objects: unknown[], field = 'resources'): KubeObject[] {
  if (objects.length > MAX_BUNDLE_OBJECTS) {
    throw new DomainError('InvalidManifest', `a bundle holds at most ${MAX_BUNDLE_OBJECTS} objects`, { field });
  }
  const identities = new ObjectIdentitySet();
  return objects.map((value, i) => {
    const where = { source: `${field}[${i}]` };
    try {
      // Before anything recursive (JSON.stringify of the content) meets it.
      assertDepth(value, BUNDLE_MANIFEST_LIMITS.maxDepth, where);
      const object = checkObject(value, where);
      identities.add(object, where);
      return object;
    } catch (error) {
      throw asInvalidManifest(error, where.source);
    }
  });
}

/** A core ManifestError as the hub's InvalidManifest (400) naming `field`; anything else unchanged. */
export function asInvalidManifest(error: unknown, field: string): unknown {
  return isManifestError(error) ? new DomainError('InvalidManifest', error.message, { field, cause: error }) : error;
}
