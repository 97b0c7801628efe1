import type { FieldDiff } from '@flotilla/proto';

/**
 * Secret values never leave the cluster in clear (issue #9): in a drift diff
 * of a Secret, the values under `data` and `stringData`, and the
 * `kubectl.kubernetes.io/last-applied-configuration` annotation (which holds
 * a copy of them), are replaced with a marker. The diff keeps its path, so a
 * user still sees which key differs; a deleted Secret keeps only its identity
 * (the ResourceStatus around the diff) and the fact that it is missing.
 *
 * One rule for both programs: the agent redacts before it reports (with a
 * keyed marker, see `agent/src/drift/secret-redaction.ts`), and the hub
 * redacts again on ingest and on read (the default marker), so an old or
 * malicious agent cannot make the hub store or serve Secret values.
 */

/** The marker text of a redacted value (as a JSON string in `FieldDiff.desired` / `live`). */
export const REDACTED = '<redacted>';

/**
 * Turns the JSON text of a sensitive value into the marker text that replaces
 * it. The agent's marker carries a short keyed hash (`<redacted:1a2b3c4d>`);
 * the hub's keeps such a marker and replaces anything else with {@link REDACTED}.
 */
export type RedactionMarker = (json: string) => string;

/** A marker as the agent sends it: {@link REDACTED}, optionally with 8 hex digits of a keyed hash. */
const MARKER = /^<redacted(:[0-9a-f]{8})?>$/;

/** Whether `text` (a decoded JSON string) is a redaction marker. */
export function isRedactionMarker(text: unknown): boolean {
  return typeof text === 'string' && MARKER.test(text);
}

/** The hub's marker: an agent's marker is kept (so "same value again" stays visible), anything else is {@link REDACTED}. */
export const sanitizingMarker: RedactionMarker = (json) => {
  const value = parseJson(json);
  return isRedactionMarker(value) ? (value as string) : REDACTED;
};

/**
 * JSON pointers of a Secret whose values are sensitive. `data` and
 * `stringData` are maps: every key's value is sensitive, the key names are
 * not (Kubernetes shows them in `kubectl describe` too).
 */
export const SECRET_SENSITIVE_POINTERS = ['/data', '/stringData', '/metadata/annotations/kubectl.kubernetes.io~1last-applied-configuration'] as const;

/** Whether objects of `kind` get their diffs redacted: Secrets, of any API group (a same-named kind errs on the safe side). */
export function isSecretKind(kind: string): boolean {
  return kind === 'Secret';
}

/**
 * The diffs of an object of `kind` as they may leave the cluster / be stored:
 * for a Secret, sensitive values replaced by `mark(...)`; for any other kind,
 * unchanged (the same array).
 *
 * Per diff at `path`:
 * - `''` (the whole object, e.g. a deleted Secret): each side that is present becomes a marker; no body at all.
 * - at a sensitive pointer (`/data`): a JSON object keeps its keys, each value a marker; anything else is one marker.
 * - below one (`/data/password`): the value is one marker.
 * - above one (`/metadata/annotations`): the sensitive member inside the value, if present, is redacted in place.
 * - anywhere else (`/metadata/labels/app`, `/type`): unchanged.
 *
 * An absent side (`''`) stays absent: that a value is missing is not secret.
 * Values that are not valid JSON where structure is needed become one marker.
 */
export function redactSecretDiffs(kind: string, diffs: readonly FieldDiff[], mark: RedactionMarker = sanitizingMarker): FieldDiff[] {
  if (!isSecretKind(kind)) return diffs as FieldDiff[];
  return diffs.map((d) => {
    const side = (json: string) => (json === '' ? '' : redactValue(d.path, json, mark));
    return { path: d.path, desired: side(d.desired), live: side(d.live) };
  });
}

function redactValue(path: string, json: string, mark: RedactionMarker): string {
  if (path === '') return markerJson(json, mark);
  for (const pointer of SECRET_SENSITIVE_POINTERS) {
    if (path === pointer) return JSON.stringify(redactSensitive(parseJson(json), json, mark));
    if (path.startsWith(`${pointer}/`)) return markerJson(json, mark);
  }
  const below = SECRET_SENSITIVE_POINTERS.filter((pointer) => pointer.startsWith(`${path}/`));
  if (below.length === 0) return json;
  const parsed = parseJson(json);
  if (parsed === undefined) return markerJson(json, mark);
  const redacted = below.reduce<unknown>((value, pointer) => redactBelow(value, tokensOf(pointer.slice(path.length)), mark), parsed);
  return redacted === parsed ? json : JSON.stringify(redacted);
}

/** `value` with the member at `tokens` (if present) redacted. */
function redactBelow(value: unknown, [head, ...rest]: string[], mark: RedactionMarker): unknown {
  if (head === undefined || !isObject(value) || !Object.hasOwn(value, head)) return value;
  const member = value[head];
  return { ...value, [head]: rest.length === 0 ? redactSensitive(member, JSON.stringify(member), mark) : redactBelow(member, rest, mark) };
}

/** A sensitive value: a map keeps its keys, each value marked; anything else is one marker. */
function redactSensitive(value: unknown, json: string, mark: RedactionMarker): unknown {
  if (!isObject(value)) return mark(json);
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mark(JSON.stringify(v) ?? '')]));
}

function markerJson(json: string, mark: RedactionMarker): string {
  return JSON.stringify(mark(json));
}

function parseJson(json: string): unknown {
  try {
    return JSON.parse(json) as unknown;
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reference tokens of a pointer below the root (`/a/b~1c` → `a`, `b/c`). */
function tokensOf(pointer: string): string[] {
  return pointer.slice(1).split('/').map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}
