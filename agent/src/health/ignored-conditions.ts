import type { KubernetesObject } from '@kubernetes/client-node';

/** One ignore rule: a condition is ignored when it has every one of these fields with these values. */
export interface IgnoredCondition {
  fields: Record<string, string>;
}

/**
 * The object with the status conditions that match an ignore rule left out
 * (Fleet's `ignore.conditions`), for health assessment only (pure; the
 * object itself is not changed). A rule with no fields ignores nothing.
 */
export function withoutIgnoredConditions<T extends KubernetesObject>(obj: T, rules: readonly IgnoredCondition[]): T {
  const active = rules.filter((r) => Object.keys(r.fields).length > 0);
  const status = (obj as { status?: { conditions?: unknown } }).status;
  if (active.length === 0 || !status || !Array.isArray(status.conditions)) return obj;
  const matches = (c: unknown) =>
    typeof c === 'object' && c !== null && active.some((r) => Object.entries(r.fields).every(([k, v]) => String((c as Record<string, unknown>)[k]) === v));
  const conditions = status.conditions.filter((c) => !matches(c));
  if (conditions.length === status.conditions.length) return obj;
  return { ...obj, status: { ...status, conditions } };
}
