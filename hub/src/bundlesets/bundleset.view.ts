import type { BundleSetRow } from './evaluation/bundleset-row.js';
import type { BundleSetPolicy } from './plan/bundleset-plan.js';
import type { EvaluationWhere } from './evaluation/bundleset.types.js';

export interface BundleSetView {
  id: string;
  name: string;
  generators: unknown[];
  template: unknown;
  syncPolicy: { bundlesSync: BundleSetPolicy; preserveResourcesOnDeletion: boolean; allowEmpty: boolean; maxDeleteFraction: number };
  status: {
    result: string;
    message: string;
    where: EvaluationWhere;
    evaluatedAt: string | null;
    evaluationPending: boolean;
    paramSetCount: number;
    pendingDeletion: { names: string[] } | null;
    bundles: { total: number; deployments: Record<string, number> };
  };
  createdAt: string;
  updatedAt: string;
}

export function toView(row: BundleSetRow, counts: { total: number; deployments: Record<string, number> } = { total: 0, deployments: {} }): BundleSetView {
  const pending = row.pendingDeletion as { names: string[] } | null;
  return {
    id: row.id,
    name: row.name,
    generators: row.generators as unknown[],
    template: row.template,
    syncPolicy: {
      bundlesSync: row.policy as BundleSetPolicy,
      preserveResourcesOnDeletion: row.preserveResourcesOnDeletion,
      allowEmpty: row.allowEmpty,
      maxDeleteFraction: row.maxDeleteFraction,
    },
    status: {
      result: row.result,
      message: row.message,
      where: row.errorWhere as EvaluationWhere,
      evaluatedAt: row.evaluatedAt?.toISOString() ?? null,
      evaluationPending: row.evaluationRequestedAt !== null,
      paramSetCount: row.paramSetCount,
      pendingDeletion: pending ? { names: pending.names } : null,
      bundles: counts,
    },
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
