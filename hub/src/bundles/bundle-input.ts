import { parseAllDocuments } from 'yaml';
import { refKey, refOf } from '@flotilla/core';
import { DomainError } from '../platform/errors/domain-error.js';

/** A Kubernetes object as the hub sees it: only identity fields are typed. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; [key: string]: unknown };
  [key: string]: unknown;
}

/** Upper bound on the number of objects in one bundle. */
export const MAX_BUNDLE_OBJECTS = 10_000;

/**
 * Parses multi-document YAML into objects (pure). Empty documents are
 * skipped; a syntax error or a document that is not an object names the
 * document number and line.
 */
export function parseManifests(text: string, field = 'manifests'): KubeObject[] {
  const docs = parseAllDocuments(text, { prettyErrors: true, uniqueKeys: true });
  const list = Array.isArray(docs) ? docs : [docs];
  const objects: unknown[] = [];
  list.forEach((doc, i) => {
    const error = doc.errors[0];
    if (error) {
      const line = error.linePos?.[0]?.line;
      throw new DomainError('InvalidManifest', `document ${i + 1}${line ? ` (line ${line})` : ''}: ${firstLine(error.message)}`, { field });
    }
    const value: unknown = doc.toJS({ maxAliasCount: 100 });
    if (value === null || value === undefined) return;
    const line = doc.contents?.range ? lineOf(text, doc.contents.range[0]) : undefined;
    objects.push(checkObject(value, `${field} document ${i + 1}${line ? ` (line ${line})` : ''}`, field));
  });
  return validateObjects(objects as KubeObject[], field);
}

/** Validates objects given as JSON (pure). */
export function validateObjects(objects: unknown[], field = 'resources'): KubeObject[] {
  if (objects.length > MAX_BUNDLE_OBJECTS) {
    throw new DomainError('InvalidManifest', `a bundle holds at most ${MAX_BUNDLE_OBJECTS} objects`, { field });
  }
  const seen = new Map<string, number>();
  return objects.map((value, i) => {
    const object = checkObject(value, `${field}[${i}]`, `${field}[${i}]`);
    // The agent's identity of an object (@flotilla/core), so that what the hub accepts the agent can tell apart.
    const key = refKey(refOf(object));
    const previous = seen.get(key);
    if (previous !== undefined) {
      throw new DomainError('InvalidManifest', `${field}[${i}] duplicates ${field}[${previous}] (${identity(object)})`, { field: `${field}[${i}]` });
    }
    seen.set(key, i);
    return object;
  });
}

function checkObject(value: unknown, where: string, field: string): KubeObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new DomainError('InvalidManifest', `${where}: must be a Kubernetes object, got ${Array.isArray(value) ? 'a list' : typeof value}`, { field });
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
          : typeof metadata.name !== 'string' || metadata.name === ''
            ? 'metadata.name is required (generateName is not supported: objects must be identifiable to prune them)'
            : metadata.namespace !== undefined && typeof metadata.namespace !== 'string'
              ? 'metadata.namespace must be a string'
              : undefined;
  if (problem) throw new DomainError('InvalidManifest', `${where}: ${problem}`, { field });
  return value as KubeObject;
}

/** `group/Kind namespace/name`: how messages name an object (same identity as `refKey` of @flotilla/core). */
export function identity(o: KubeObject): string {
  const group = o.apiVersion.includes('/') ? o.apiVersion.split('/')[0] : '';
  return `${group}/${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name}`;
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}
