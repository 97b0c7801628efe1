/**
 * Tolerant readers for fields of live objects. Health checks see objects that
 * are half-filled (no status yet), typed models or plain JSON, so every read
 * must accept anything and fall back to `undefined`.
 */
import type { HealthResult, HealthStatus } from './health.types.js';

/** A status condition as the API conventions describe it (metav1.Condition and older variants). */
export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown' | string;
  reason?: string;
  message?: string;
  /** Generation the condition was computed for, when the controller records it. */
  observedGeneration?: number;
}

/** The value at `keys` below `obj`, or undefined when any step is missing or not an object. */
export function field(obj: unknown, ...keys: string[]): unknown {
  let value: unknown = obj;
  for (const key of keys) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/** A number at `keys`, or undefined. */
export function num(obj: unknown, ...keys: string[]): number | undefined {
  const value = field(obj, ...keys);
  return typeof value === 'number' ? value : undefined;
}

/** A string at `keys`, or undefined. */
export function str(obj: unknown, ...keys: string[]): string | undefined {
  const value = field(obj, ...keys);
  return typeof value === 'string' ? value : undefined;
}

/** An array at `keys`, or an empty array. */
export function list(obj: unknown, ...keys: string[]): unknown[] {
  const value = field(obj, ...keys);
  return Array.isArray(value) ? value : [];
}

/** `status.conditions`, keeping only well-formed entries. */
export function conditions(obj: unknown): Condition[] {
  return list(obj, 'status', 'conditions').filter(
    (c): c is Condition => typeof field(c, 'type') === 'string' && typeof field(c, 'status') === 'string',
  );
}

/** The condition of `type` in `status.conditions`, if any. */
export function findCondition(obj: unknown, type: string): Condition | undefined {
  return conditions(obj).find((c) => c.type === type);
}

/**
 * Whether the controller has seen the latest spec: `status.observedGeneration`
 * is at least `metadata.generation`. A missing observedGeneration counts as 0,
 * as kubectl's rollout status does for the built-in workload kinds.
 */
export function generationObserved(obj: unknown): boolean {
  const generation = num(obj, 'metadata', 'generation') ?? 0;
  return (num(obj, 'status', 'observedGeneration') ?? 0) >= generation;
}

/** Shorthand for a {@link HealthResult}. */
export function health(status: HealthStatus, message = ''): HealthResult {
  return { status, message };
}

/** `reason: message` of a condition, skipping the empty parts. */
export function describe(condition: Condition): string {
  return [condition.reason, condition.message].filter((s) => s).join(': ');
}
