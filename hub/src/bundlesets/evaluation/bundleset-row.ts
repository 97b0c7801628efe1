import type { BundleSet } from '../../generated/prisma/client.js';
import type { BundleSetPolicy } from '../plan/bundleset-plan.js';
import type { BundleTemplate } from '../template/bundle-template.types.js';
import type { BundleSetSpec } from './bundleset.types.js';

/** A `bundle_sets` row (Prisma's model type). */
export type BundleSetRow = BundleSet;

/** A stored BundleSet as the spec it was saved from (validated when saved). */
export function fromRow(row: BundleSetRow): BundleSetSpec {
  return {
    name: row.name,
    generators: row.generators as unknown[],
    template: row.template as unknown as BundleTemplate,
    policy: row.policy as BundleSetPolicy,
    preserveResourcesOnDeletion: row.preserveResourcesOnDeletion,
    allowEmpty: row.allowEmpty,
    maxDeleteFraction: row.maxDeleteFraction,
  };
}
