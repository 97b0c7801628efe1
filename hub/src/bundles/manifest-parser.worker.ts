/**
 * The manifest parser's worker thread (run by ManifestParserPool; small
 * inputs are parsed on the event loop instead). Results cross threads by structured clone,
 * which drops error classes, so refusals come back as plain data.
 *
 * Imports nothing of the hub, only built @flotilla/core: this file also runs
 * as TypeScript under the tests (Node strips the types), where relative `.js`
 * imports of the hub's sources would not resolve.
 */
import { isManifestError, parseManifests, type KubeObject, type ManifestErrorReason, type ManifestLimits } from '@flotilla/core';

export interface ParseTask {
  text: string;
  /** How errors name the input (the hub: `manifests`). */
  source: string;
  limits: ManifestLimits;
}

export type ParseOutcome = { ok: true; objects: KubeObject[] } | { ok: false; reason: ManifestErrorReason; message: string };

export default function parseTask(task: ParseTask): ParseOutcome {
  try {
    return { ok: true, objects: parseManifests(task.text, { source: task.source, limits: task.limits }) };
  } catch (error) {
    if (isManifestError(error)) return { ok: false, reason: error.reason, message: error.message };
    throw error;
  }
}
