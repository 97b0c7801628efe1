import type { PrismaService } from '../../database/prisma.service.js';
import { targetedClusters, type BundleTarget } from '../../target/bundle-target.js';
import { planBundleSet, type BundleSetPlan, type ExistingBundle, type PlanGuards } from '../plan/bundleset-plan.js';
import type { GeneratedBundleSpec } from '../template/bundle-template.types.js';
import { readsClusters } from './cluster-scope.js';
import { generateBundles, type EntryCount, type Generated } from './evaluate-bundleset.js';
import { EvaluationError, type BundleSetSpec } from './bundleset.types.js';
import type { EvaluationInputs } from './generator-context.js';

/** What the BundleSet's bundles were made from, stored on each (`bundles.generated_spec`). */
export interface GeneratedRecord {
  spec: GeneratedBundleSpec;
  /** The commit the bundle's directory was read at. */
  commit: string;
}

/** A bundle of another owner (the API, a GitRepo, another BundleSet) with a name the BundleSet would create. */
export interface NameConflict {
  name: string;
  owner: string;
}

/** One evaluation computed, not yet done: what preview shows and what the real run then does. */
export interface BundleSetRun {
  generated: Generated;
  existing: Map<string, GeneratedRecord | null>;
  /** The stored source of each existing bundle (to tell a commit that changed its directory from one that did not). */
  sourceIds: Map<string, string | null>;
  plan: BundleSetPlan;
  conflicts: NameConflict[];
  /** Where the run's time went (generators, templates and loading the stored bundles; then the plan and conflict check). */
  timings: { generateMs: number; planMs: number };
}

/** What a saved BundleSet's last evaluation left for the guards of the next. */
export interface PreviousRun {
  approvedDeletion: string;
  entryCounts: EntryCount[];
}

/**
 * Computes one run of a BundleSet — saved (`id`) or not — from the current
 * inputs and its existing bundles, changing nothing. Preview returns it;
 * the evaluator executes it; both call this, so preview equals what the
 * next evaluation does for the same inputs.
 */
export async function computeRun(
  prisma: PrismaService,
  inputs: EvaluationInputs,
  set: BundleSetSpec,
  id: string | undefined,
  previous: PreviousRun,
  /** Only these clusters' parameter sets and bundles (a cluster-separable BundleSet whose clusters changed). */
  scope?: { clusterIds: string[] },
): Promise<BundleSetRun> {
  const t0 = performance.now();
  const only = scope ? { ...set, generators: set.generators.filter((g) => readsClusters(g as Record<string, unknown>)) } : set;
  if (scope) inputs.limitClusters(scope.clusterIds);
  const where = { bundleSetId: id ?? null, ...(scope ? { generatedForCluster: { in: scope.clusterIds } } : {}) };
  // The stored bundles load while the generators run (a matrix at fleet size is 50,000 of each).
  const [generated, rows] = await Promise.all([
    generateBundles(only, inputs),
    id ? prisma.bundle.findMany({ where, select: { name: true, generatedSpec: true, sourceId: true }, orderBy: { name: 'asc' } }) : Promise.resolve([]),
  ]);
  const t1 = performance.now();
  const existing = new Map(rows.map((r) => [r.name, (r.generatedSpec as unknown as GeneratedRecord | null) ?? null]));
  const sourceIds = new Map(rows.map((r) => [r.name, r.sourceId]));
  const before: ExistingBundle[] = rows.map((r) => ({ name: r.name, spec: existing.get(r.name)?.spec ?? null }));
  let guards: PlanGuards;
  if (scope) {
    // A cluster that left or lost its labels yields nothing, and its bundles go: expected, not an empty result.
    // Deleting more than the fraction of all the BundleSet's bundles still waits.
    const existingTotal = id ? await prisma.bundle.count({ where: { bundleSetId: id } }) : 0;
    guards = { policy: set.policy, allowEmpty: true, maxDeleteFraction: set.maxDeleteFraction, approvedDeletion: previous.approvedDeletion, existingTotal };
  } else {
    const previousCounts = new Map(previous.entryCounts.map((e) => [e.digest, e.count]));
    const emptiedEntries = generated.entryCounts.flatMap((e, i) => ((previousCounts.get(e.digest) ?? 0) > 0 && e.count === 0 ? [{ field: `generators[${i}]`, before: previousCounts.get(e.digest)! }] : []));
    guards = { policy: set.policy, allowEmpty: set.allowEmpty, maxDeleteFraction: set.maxDeleteFraction, approvedDeletion: previous.approvedDeletion, emptiedEntries };
  }
  const plan = planBundleSet(generated.bundles, before, guards);
  if (scope && id) await assertNoClashWithRest(prisma, id, scope.clusterIds, plan.create.map((s) => s.name));
  const conflicts = await findConflicts(prisma, plan.create.map((s) => s.name), id);
  return { generated, existing, sourceIds, plan, conflicts, timings: { generateMs: Math.round(t1 - t0), planMs: Math.round(performance.now() - t1) } };
}

/** A run for some clusters must not name a bundle the BundleSet made for another cluster (or for none). */
async function assertNoClashWithRest(prisma: PrismaService, id: string, clusterIds: string[], names: string[]): Promise<void> {
  if (names.length === 0) return;
  const clash = await prisma.$queryRaw<Array<{ name: string }>>`
    SELECT name FROM bundles WHERE bundle_set_id = ${id}::uuid AND name = ANY(${names}::text[])
      AND (generated_for_cluster IS NULL OR NOT generated_for_cluster = ANY(${clusterIds}::uuid[]))
    ORDER BY name LIMIT 1`;
  if (clash[0]) {
    throw new EvaluationError('DuplicateBundleName', `two parameter sets yield bundle "${clash[0].name}": make template.name unique per parameter set`, { field: 'template.name' });
  }
}

/** Bundles of other owners holding names the run would create (one array parameter: a run may create 50,000). */
async function findConflicts(prisma: PrismaService, names: string[], id: string | undefined): Promise<NameConflict[]> {
  if (names.length === 0) return [];
  const taken = await prisma.$queryRaw<Array<{ name: string; git_repo: string | null; bundle_set: string | null }>>`
    SELECT b.name, g.name AS git_repo, s.name AS bundle_set
    FROM bundles b LEFT JOIN git_repos g ON g.id = b.git_repo_id LEFT JOIN bundle_sets s ON s.id = b.bundle_set_id
    WHERE b.name = ANY(${names}::text[]) AND b.bundle_set_id IS DISTINCT FROM ${id ?? null}::uuid
    ORDER BY b.name LIMIT 100`;
  return taken.map((b) => ({ name: b.name, owner: b.git_repo ? `GitRepo ${b.git_repo}` : b.bundle_set ? `BundleSet ${b.bundle_set}` : 'the bundle API' }));
}

/** Names of the clusters each spec's targets reach now. */
export async function reach(inputs: EvaluationInputs, targets: BundleTarget[]): Promise<string[]> {
  const [clusters, groups] = await Promise.all([inputs.clusters(), inputs.groups()]);
  return targetedClusters(targets, [...clusters], groups).map((c) => c.name);
}
