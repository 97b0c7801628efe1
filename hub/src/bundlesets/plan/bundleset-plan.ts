import { createHash } from 'node:crypto';
import equal from 'fast-deep-equal';
import fastJsonPatch from 'fast-json-patch';
import type { GeneratedBundleSpec } from '../template/bundle-template.types.js';

/** Argo CD's `applicationsSync`: which of create, update and delete a BundleSet's evaluations may do. */
export const BUNDLESET_POLICIES = ['sync', 'create-only', 'create-update', 'create-delete'] as const;
export type BundleSetPolicy = (typeof BUNDLESET_POLICIES)[number];

const ALLOWS: Record<BundleSetPolicy, { update: boolean; delete: boolean }> = {
  sync: { update: true, delete: true },
  'create-only': { update: false, delete: false },
  'create-update': { update: true, delete: false },
  'create-delete': { update: false, delete: true },
};

/** The safety settings of one BundleSet. */
export interface PlanGuards {
  policy: BundleSetPolicy;
  /** Zero parameter sets may delete the bundles (default false: an empty result deletes nothing). */
  allowEmpty: boolean;
  /** Deleting more than this fraction of the existing bundles waits for approval (1: never). */
  maxDeleteFraction: number;
  /** The deletion digest an approval accepted ('' when none). */
  approvedDeletion: string;
  /**
   * Top-level generator entries (`generators[1]`, with what they yielded
   * before) that yielded parameter sets at the last evaluation and yield none
   * now, unchanged: a run with deletions then waits as an empty one does.
   */
  emptiedEntries?: Array<{ field: string; before: number }>;
  /**
   * How many bundles the BundleSet has in all, when `existing` is only part
   * of them (a run for some clusters): the mass-deletion fraction is of all.
   */
  existingTotal?: number;
}

/** A bundle the BundleSet made earlier, with the spec it was made from. */
export interface ExistingBundle {
  name: string;
  spec: GeneratedBundleSpec | null;
}

export interface PlannedUpdate {
  name: string;
  before: GeneratedBundleSpec | null;
  after: GeneratedBundleSpec;
  /** RFC 6902 operations from `before` to `after`. */
  diff: fastJsonPatch.Operation[];
}

/** Why a run changes nothing although its generators succeeded. */
export type PlanHold =
  | { reason: 'EmptyResult'; message: string }
  | { reason: 'ApprovalRequired'; message: string; deletion: { digest: string; names: string[] } };

export interface BundleSetPlan {
  create: GeneratedBundleSpec[];
  update: PlannedUpdate[];
  /** Bundles whose spec is unchanged (or may not be updated): their content still follows Git. */
  keep: GeneratedBundleSpec[];
  delete: string[];
  /** Changes the policy does not allow (reported, not done). */
  skipped: { update: string[]; delete: string[] };
  /** When set, the run must change nothing at all. */
  hold?: PlanHold;
}

/**
 * What one evaluation does, from what the template yielded and what exists:
 * pure, so preview and the real run share it (and agree). Duplicate names
 * are rejected by the caller before this (a template must name each
 * parameter set's bundle apart). Guards, in order: an empty result while
 * bundles exist — of the whole run, or of one generator entry that yielded
 * sets before — holds the run unless `allowEmpty`; deleting more than
 * `maxDeleteFraction` of the bundles holds the run until that exact set of
 * deletions is approved.
 */
export function planBundleSet(desired: readonly GeneratedBundleSpec[], existing: readonly ExistingBundle[], guards: PlanGuards): BundleSetPlan {
  const allows = ALLOWS[guards.policy];
  const current = new Map(existing.map((b) => [b.name, b]));
  const wanted = new Set(desired.map((d) => d.name));
  const plan: BundleSetPlan = { create: [], update: [], keep: [], delete: [], skipped: { update: [], delete: [] } };
  for (const spec of desired) {
    const had = current.get(spec.name);
    if (!had) plan.create.push(spec);
    else if (had.spec && sameSpec(had.spec, spec)) plan.keep.push(spec);
    else if (!allows.update) {
      plan.skipped.update.push(spec.name);
      if (had.spec) plan.keep.push(had.spec);
    } else plan.update.push({ name: spec.name, before: had.spec, after: spec, diff: fastJsonPatch.compare(had.spec ?? {}, spec) });
  }
  const gone = existing.map((b) => b.name).filter((name) => !wanted.has(name)).sort();
  if (allows.delete) plan.delete = gone;
  else plan.skipped.delete = gone;

  const emptied = guards.emptiedEntries ?? [];
  if (desired.length === 0 && existing.length > 0 && plan.delete.length > 0 && !guards.allowEmpty) {
    plan.hold = {
      reason: 'EmptyResult',
      message: `the generators yielded no parameter sets while ${existing.length} bundle(s) exist: nothing deleted (set allowEmpty to let an empty result delete them)`,
    };
  } else if (emptied.length > 0 && plan.delete.length > 0 && !guards.allowEmpty) {
    const which = emptied.map((e) => `${e.field} (${e.before} before)`).join(', ');
    plan.hold = {
      reason: 'EmptyResult',
      message: `${which} yielded no parameter sets where it yielded some: nothing deleted (set allowEmpty to let it delete its ${plan.delete.length} bundle(s))`,
    };
  } else if (plan.delete.length > 0 && plan.delete.length > guards.maxDeleteFraction * (guards.existingTotal ?? existing.length)) {
    const digest = deletionDigest(plan.delete);
    if (digest !== guards.approvedDeletion) {
      plan.hold = {
        reason: 'ApprovalRequired',
        message:
          `the run would delete ${plan.delete.length} of ${guards.existingTotal ?? existing.length} bundle(s), more than maxDeleteFraction ${guards.maxDeleteFraction}: ` +
          `waiting for approval (POST /api/v1/bundlesets/{name}/approve)`,
        deletion: { digest, names: plan.delete },
      };
    }
  }
  return plan;
}

/** Identifies one exact set of deletions: an approval covers that set only, not a later, larger one. */
export function deletionDigest(names: readonly string[]): string {
  return `sha256:${createHash('sha256').update([...names].sort().join('\n')).digest('hex')}`;
}

/** Specs are JSON (as stored): equal by value, whatever the key order (PostgreSQL's jsonb reorders keys). */
export function sameSpec(a: GeneratedBundleSpec, b: GeneratedBundleSpec): boolean {
  return equal(a, b);
}
