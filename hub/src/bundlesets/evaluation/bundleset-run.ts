import type { PrismaService } from '../../database/prisma.service.js';
import { targetedClusters, type BundleTarget } from '../../target/bundle-target.js';
import { planBundleSet, type BundleSetPlan, type ExistingBundle, type PlanGuards } from '../plan/bundleset-plan.js';
import type { GeneratedBundleSpec } from '../template/bundle-template.types.js';
import type { BundleSetSpec } from './bundleset.types.js';
import { generateBundles, type Generated } from './evaluate-bundleset.js';
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
  plan: BundleSetPlan;
  conflicts: NameConflict[];
}

/**
 * Computes one run of a BundleSet — saved (`id`) or not — from the current
 * inputs and its existing bundles, changing nothing. Preview returns it;
 * the evaluator executes it; both call this, so preview equals what the
 * next evaluation does for the same inputs.
 */
export async function computeRun(prisma: PrismaService, inputs: EvaluationInputs, set: BundleSetSpec, id: string | undefined, approvedDeletion: string): Promise<BundleSetRun> {
  const generated = await generateBundles(set, inputs);
  const rows = id ? await prisma.bundle.findMany({ where: { bundleSetId: id }, select: { name: true, generatedSpec: true }, orderBy: { name: 'asc' } }) : [];
  const existing = new Map(rows.map((r) => [r.name, (r.generatedSpec as unknown as GeneratedRecord | null) ?? null]));
  const before: ExistingBundle[] = rows.map((r) => ({ name: r.name, spec: existing.get(r.name)?.spec ?? null }));
  const guards: PlanGuards = { policy: set.policy, allowEmpty: set.allowEmpty, maxDeleteFraction: set.maxDeleteFraction, approvedDeletion };
  const plan = planBundleSet(generated.bundles, before, guards);
  const conflicts = await findConflicts(prisma, plan.create.map((s) => s.name), id);
  return { generated, existing, plan, conflicts };
}

async function findConflicts(prisma: PrismaService, names: string[], id: string | undefined): Promise<NameConflict[]> {
  if (names.length === 0) return [];
  const taken = await prisma.bundle.findMany({
    where: { name: { in: names }, ...(id ? { OR: [{ bundleSetId: null }, { bundleSetId: { not: id } }] } : {}) },
    select: { name: true, gitRepo: { select: { name: true } }, bundleSet: { select: { name: true } } },
    orderBy: { name: 'asc' },
  });
  return taken.map((b) => ({
    name: b.name,
    owner: b.gitRepo ? `GitRepo ${b.gitRepo.name}` : b.bundleSet ? `BundleSet ${b.bundleSet.name}` : 'the bundle API',
  }));
}

/** Names of the clusters each spec's targets reach now. */
export async function reach(inputs: EvaluationInputs, targets: BundleTarget[]): Promise<string[]> {
  const [clusters, groups] = await Promise.all([inputs.clusters(), inputs.groups()]);
  return targetedClusters(targets, [...clusters], groups).map((c) => c.name);
}
