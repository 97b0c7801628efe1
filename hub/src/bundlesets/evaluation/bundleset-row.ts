import type { BundleSetPolicy } from '../plan/bundleset-plan.js';
import type { BundleTemplate } from '../template/bundle-template.types.js';
import type { BundleSetSpec } from './bundleset.types.js';

/** The columns of a `bundle_sets` row an evaluation reads. */
export interface BundleSetRow {
  id: string;
  name: string;
  generators: unknown;
  template: unknown;
  policy: string;
  preserveResourcesOnDeletion: boolean;
  allowEmpty: boolean;
  maxDeleteFraction: number;
  approvedDeletion: string;
  entryCounts: unknown;
  paramSetCount: number;
}

/** A stored BundleSet as the spec it was saved from (validated when saved). */
export function fromRow(row: BundleSetRow): BundleSetSpec {
  return {
    name: row.name,
    generators: row.generators as unknown[],
    template: row.template as BundleTemplate,
    policy: row.policy as BundleSetPolicy,
    preserveResourcesOnDeletion: row.preserveResourcesOnDeletion,
    allowEmpty: row.allowEmpty,
    maxDeleteFraction: row.maxDeleteFraction,
  };
}
