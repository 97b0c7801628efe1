import { createHmac, randomBytes } from 'node:crypto';
import { redactSecretDiffs, type RedactionMarker } from '@flotilla/core';
import type { FieldDiff } from './drift.types.js';

/**
 * The key of this agent process's redaction markers: random, in memory only,
 * never sent or stored. A restart picks a new one, so markers compare only
 * within one agent process (a restart shows every still-drifted Secret value
 * with new markers, once).
 */
const PROCESS_KEY = randomBytes(32);

/**
 * Markers `<redacted:1a2b3c4d>`: the first 8 hex digits of HMAC-SHA256 of the
 * value's JSON text under `key`. Equal values get equal markers, so a user
 * can tell "changed again" from "still the same edit", and desired from live;
 * without the key nobody can test guesses against them, and 32 bits say
 * nothing about the value.
 */
export function keyedMarker(key: Uint8Array = PROCESS_KEY): RedactionMarker {
  return (json) => `<redacted:${createHmac('sha256', key).update(json).digest('hex').slice(0, 8)}>`;
}

/**
 * The diffs of an object of `kind` as they may leave the cluster: Secret
 * values (`data`, `stringData`, the last-applied copy; the whole object when
 * it is missing) replaced by keyed markers, the paths kept (the rule:
 * `redactSecretDiffs` of @flotilla/core). `detectDrift` applies it to every
 * result, so no report, log line or message built from a drift can hold a
 * Secret value.
 */
export function redactDrift(kind: string, diffs: FieldDiff[], key?: Uint8Array): FieldDiff[] {
  return redactSecretDiffs(kind, diffs, keyedMarker(key));
}
