import type { BundleSetPolicy } from '../plan/bundleset-plan.js';
import type { BundleTemplate } from '../template/bundle-template.types.js';

/** A BundleSet as stored and as the API takes it (validated by bundleset.schema.ts). */
export interface BundleSetSpec {
  name: string;
  /** `generators[]` entries: one generator kind each (`list`, `clusters`, …) plus an optional post-`selector`. */
  generators: unknown[];
  template: BundleTemplate;
  policy: BundleSetPolicy;
  preserveResourcesOnDeletion: boolean;
  allowEmpty: boolean;
  maxDeleteFraction: number;
}

/** Why an evaluation stopped without changing anything (BundleSet status `result`; `Evaluated` when it ran). */
export type EvaluationResult =
  | 'Evaluated'
  | 'GeneratorFailed'
  | 'TemplateFailed'
  | 'DuplicateBundleName'
  | 'BundleConflict'
  | 'SourceFailed'
  | 'EmptyResult'
  | 'ApprovalRequired'
  /** Not the BundleSet's fault (the database went away, a bug): nothing changed, retried in 10 s. */
  | 'EvaluationFailed';

/** Where an evaluation's error is. */
export interface EvaluationWhere {
  field?: string;
  file?: string;
  line?: number;
  paramSetIndex?: number;
}

/** An evaluation that cannot go on: nothing was (or will be) changed. */
export class EvaluationError extends Error {
  override readonly name = 'EvaluationError';
  constructor(
    readonly result: Exclude<EvaluationResult, 'Evaluated'>,
    message: string,
    readonly where: EvaluationWhere = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
