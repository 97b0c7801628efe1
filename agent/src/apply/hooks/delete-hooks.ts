import { createHash } from 'node:crypto';
import type { KubernetesObject } from '@kubernetes/client-node';
import { AgentError } from '../../errors.js';
import { refKey, refOf } from '../../kube/object-ref.js';
import { DELETE_PHASES, type DeletePhase, type DeletePolicy } from '../../plan/hooks/hook-annotations.js';
import { isDeletePhase, type HookPlan, type PlannedHook } from '../../plan/hooks/hook-plan.js';

/**
 * The delete hooks (PreDelete, PostDelete) of the revision a bundle last
 * attempted, kept in the cluster for the bundle's removal: the hub sends no
 * content for a bundle it no longer assigns, and a restarted agent must still
 * run them. Pure: encoding, decoding (the kept form is input from the cluster,
 * checked like any), and the fingerprint the inventory records.
 */
export interface KeptDeleteHooks {
  /** The revision they came from (a generateName hook's run label is made from it). */
  revision: string;
  hooks: PlannedHook[];
}

/** At most this many bytes of delete hooks are kept per bundle (a Secret holds at most 1 MiB). */
export const MAX_KEPT_DELETE_HOOK_BYTES = 512 * 1024;

const POLICIES = new Set<string>(['BeforeHookCreation', 'HookSucceeded', 'HookFailed']);

/** The delete hooks of a planned revision, in run order. */
export function deleteHooksOf(revision: string, plan: HookPlan): KeptDeleteHooks {
  return { revision, hooks: DELETE_PHASES.flatMap((phase) => plan.phases[phase].flatMap((w) => w.hooks)) };
}

/** The kept form (JSON); refuses more than {@link MAX_KEPT_DELETE_HOOK_BYTES}. */
export function encodeDeleteHooks(kept: KeptDeleteHooks): string {
  const text = JSON.stringify({
    revision: kept.revision,
    hooks: kept.hooks.map((h) => ({ phase: h.phase, wave: h.wave, deletePolicies: h.deletePolicies, object: h.planned.object })),
  });
  const bytes = Buffer.byteLength(text);
  if (bytes > MAX_KEPT_DELETE_HOOK_BYTES) {
    throw new AgentError(
      'HookFailed',
      `the revision's pre/post-delete hooks take ${Math.ceil(bytes / 1024)} KiB; at most ${MAX_KEPT_DELETE_HOOK_BYTES / 1024} KiB are kept to run when the bundle is removed`,
    );
  }
  return text;
}

/** Fingerprint of kept hooks, recorded in the inventory: equal fingerprints need no write. `''` for none. */
export function deleteHooksDigest(kept: KeptDeleteHooks): string {
  if (kept.hooks.length === 0) return '';
  return createHash('sha256').update(encodeDeleteHooks(kept)).digest('hex').slice(0, 32);
}

/** Reads the kept form back; anything malformed is an error naming `where` and the field. */
export function decodeDeleteHooks(text: string, where: string): KeptDeleteHooks {
  const bad = (field: string, problem: string) => new AgentError('HookFailed', `${where}: ${field} ${problem}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw bad('the content', `is not JSON (${(error as Error).message})`);
  }
  if (!isRecord(parsed)) throw bad('the content', 'is not an object');
  if (typeof parsed.revision !== 'string') throw bad('revision', 'must be a string');
  if (!Array.isArray(parsed.hooks)) throw bad('hooks', 'must be a list');
  const hooks = parsed.hooks.map((raw: unknown, i): PlannedHook => {
    const field = `hooks[${i}]`;
    if (!isRecord(raw)) throw bad(field, 'is not an object');
    const { phase, wave, deletePolicies, object } = raw;
    if (typeof phase !== 'string' || !isDeletePhase(phase as DeletePhase)) throw bad(`${field}.phase`, `must be one of ${DELETE_PHASES.join(', ')}`);
    if (!Number.isSafeInteger(wave)) throw bad(`${field}.wave`, 'must be an integer');
    if (!Array.isArray(deletePolicies) || !deletePolicies.every((p) => typeof p === 'string' && POLICIES.has(p))) {
      throw bad(`${field}.deletePolicies`, `must list only ${[...POLICIES].join(', ')}`);
    }
    if (!isRecord(object) || typeof object.apiVersion !== 'string' || typeof object.kind !== 'string' || !isRecord(object.metadata)) {
      throw bad(`${field}.object`, 'must be a Kubernetes object with apiVersion, kind and metadata');
    }
    const ref = refOf(object as KubernetesObject);
    if (!ref.name) throw bad(`${field}.object.metadata`, 'must have a name or generateName');
    return {
      phase: phase as DeletePhase,
      wave: wave as number,
      deletePolicies: deletePolicies as DeletePolicy[],
      planned: { ref, key: refKey(ref), wave: wave as number, object: object as KubernetesObject },
    };
  });
  return { revision: parsed.revision, hooks };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
