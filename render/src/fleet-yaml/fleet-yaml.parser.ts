import { isMap, isScalar, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { z } from 'zod';
import { RenderError, type RenderWarning } from '../render.error.js';
import { fleetYamlSchema } from './fleet-yaml.schema.js';
import type { FleetYaml } from './fleet-yaml.types.js';

/** A fleet.yaml larger than this is refused (OutputTooLarge): it is configuration, not content. */
export const MAX_FLEET_YAML_BYTES = 1024 * 1024;
/** Bound on alias expansion (billion-laughs). */
const MAX_ALIAS_COUNT = 100;

type PathKey = string | number;

/**
 * Parses and validates a fleet.yaml. Malformed YAML, duplicate keys and fields of the wrong type fail with
 * RenderError('InvalidFleetYaml') naming `file`, the 1-based line and the dotted field; unknown keys are warnings
 * (Fleet ignores them, but they are usually typos).
 */
export function parseFleetYaml(text: string, file: string): { fleetYaml: FleetYaml; warnings: RenderWarning[] } {
  if (Buffer.byteLength(text) > MAX_FLEET_YAML_BYTES) {
    throw new RenderError('OutputTooLarge', `fleet.yaml is over ${MAX_FLEET_YAML_BYTES} bytes`, { file });
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const first = doc.errors[0];
  if (first) {
    const line = lineCounter.linePos(first.pos[0]).line;
    throw new RenderError('InvalidFleetYaml', `not valid YAML: ${firstLine(first.message)}`, { file, line });
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) ?? {};
  } catch (cause) {
    throw new RenderError('InvalidFleetYaml', `not valid YAML: ${(cause as Error).message}`, { file }, { cause });
  }
  const lineOf = (path: PathKey[], key = false) => lineAt(doc, lineCounter, path, key);
  const result = fleetYamlSchema.safeParse(value);
  if (result.success) return { fleetYaml: result.data satisfies FleetYaml, warnings: [] };

  const unknown = result.error.issues.filter((i) => i.code === 'unrecognized_keys');
  const wrong = result.error.issues.find((i) => i.code !== 'unrecognized_keys');
  if (wrong) {
    const path = wrong.path as PathKey[];
    const location = { file, line: lineOf(path), field: path.length ? fieldPath(path) : undefined };
    throw new RenderError('InvalidFleetYaml', wrong.message, location);
  }
  const warnings: RenderWarning[] = [];
  for (const issue of unknown as z.core.$ZodIssueUnrecognizedKeys[]) {
    for (const key of issue.keys) {
      const path = [...(issue.path as PathKey[]), key];
      warnings.push({
        message: `unknown fleet.yaml field "${key}" (ignored)`,
        location: { file, line: lineOf(path, true), field: fieldPath(path) },
      });
      deleteAt(value, path);
    }
  }
  return { fleetYaml: fleetYamlSchema.parse(value) satisfies FleetYaml, warnings };
}

/** `targetCustomizations[1].clusterSelector.matchLabels`. */
export function fieldPath(path: PathKey[]): string {
  return path.map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? k : `.${k}`)).join('');
}

/** Line of the node at `path` (of its key when `key`), falling back to the nearest ancestor that exists. */
function lineAt(doc: Document, counter: LineCounter, path: PathKey[], key: boolean): number | undefined {
  for (let n = path.length; n >= 0; n--) {
    const node = nodeAt(doc, path.slice(0, n), key && n === path.length);
    if (node?.range) return counter.linePos(node.range[0]).line;
  }
  return undefined;
}

function nodeAt(doc: Document, path: PathKey[], key: boolean): Node | undefined {
  if (!key || path.length === 0) return (path.length ? doc.getIn(path, true) : doc.contents) as Node | undefined;
  const parent = path.length === 1 ? doc.contents : doc.getIn(path.slice(0, -1), true);
  if (!isMap(parent)) return undefined;
  const last = path[path.length - 1];
  const pair = parent.items.find((p) => (isScalar(p.key) ? p.key.value : p.key) === last);
  return pair?.key as Node | undefined;
}

function deleteAt(value: unknown, path: PathKey[]): void {
  let cursor = value as Record<PathKey, unknown> | undefined;
  for (const k of path.slice(0, -1)) cursor = cursor?.[k] as Record<PathKey, unknown> | undefined;
  if (cursor && typeof cursor === 'object') delete cursor[path[path.length - 1] as PathKey];
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}
