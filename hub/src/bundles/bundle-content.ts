import { revisionOf } from '@flotilla/core';
import type { KubeObject } from './bundle-input.js';

export interface BundleContent {
  /** "sha256:<hex>" of `bytes`: equal content always yields the same revision. */
  revision: string;
  bytes: Buffer;
  resourceCount: number;
}

/**
 * Serialises objects to the content agents receive: a UTF-8 JSON array in the
 * given order (order matters: waves and ties keep it). Pure.
 */
export function bundleContent(objects: KubeObject[]): BundleContent {
  const bytes = Buffer.from(JSON.stringify(objects), 'utf8');
  return { revision: revisionOf(bytes), bytes, resourceCount: objects.length };
}
