import type { KubernetesObject } from '@kubernetes/client-node';
import { AgentError } from '../errors.js';
import { describeRef, refKey, refOf, WAVE_ANNOTATION } from '../kube/object-ref.js';
import { isGeneratedHook } from '../plan/hooks/hook-annotations.js';

/**
 * Parses a revision's content (a UTF-8 JSON array of objects) and checks
 * what the agent relies on: apiVersion, kind and metadata.name on every
 * object (or, on hooks only, metadata.generateName), integer waves, no
 * object twice. Any problem refuses the whole
 * revision: bad input is never applied in part.
 */
export function parseContent(revision: string, content: Buffer): KubernetesObject[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(content.toString('utf8'));
  } catch (error) {
    throw new AgentError('ContentInvalid', `revision ${revision} is not valid JSON: ${(error as Error).message}`);
  }
  if (!Array.isArray(parsed)) throw new AgentError('ContentInvalid', `revision ${revision} is not a JSON array of objects`);
  const seen = new Set<string>();
  parsed.forEach((item: unknown, index) => {
    const where = `revision ${revision}, object #${index}`;
    if (!item || typeof item !== 'object' || Array.isArray(item)) throw new AgentError('ContentInvalid', `${where} is not an object`);
    const obj = item as KubernetesObject;
    if (typeof obj.apiVersion !== 'string' || !obj.apiVersion) throw new AgentError('ContentInvalid', `${where} has no apiVersion`);
    if (typeof obj.kind !== 'string' || !obj.kind) throw new AgentError('ContentInvalid', `${where} (${obj.apiVersion}) has no kind`);
    if (!named(obj) && !isGeneratedHook(obj)) {
      throw new AgentError('ContentInvalid', `${where} (${obj.kind}) has no metadata.name (generateName is supported on hooks only: other objects need stable names to be tracked)`);
    }
    const wave = obj.metadata?.annotations?.[WAVE_ANNOTATION];
    if (wave !== undefined && !/^-?\d{1,9}$/.test(wave)) {
      throw new AgentError('ContentInvalid', `${where} (${describeRef(refOf(obj))}): annotation ${WAVE_ANNOTATION} "${wave}" is not an integer`);
    }
    const key = refKey(refOf(obj));
    if (seen.has(key)) throw new AgentError('ContentInvalid', `${where}: ${describeRef(refOf(obj))} appears more than once`);
    seen.add(key);
  });
  return parsed as KubernetesObject[];
}

function named(obj: KubernetesObject): boolean {
  return typeof obj.metadata?.name === 'string' && obj.metadata.name !== '';
}
