import type { KubernetesObject } from '@kubernetes/client-node';
import type { FailureReason } from '../errors.js';
import type { ObjectRef } from '../kube/object-ref.js';

export type Scope = 'Namespaced' | 'Cluster';

/** Everything {@link planApply} looks at. */
export interface PlanInput {
  bundleName: string;
  deploymentId: string;
  /** The revision's objects, validated (apiVersion, kind, metadata.name, wave) by the content parser. */
  objects: KubernetesObject[];
  /** Objects applied by earlier revisions (the inventory). */
  inventory: ObjectRef[];
  /** Scope of a kind as the API server serves it today; undefined when unknown. */
  scopeOf: (apiVersion: string, kind: string) => Scope | undefined;
  /** Namespace of namespaced objects that have none. Default `default`. */
  defaultNamespace?: string;
  /** Fleet's `namespace`: every namespaced object goes into `defaultNamespace`; cluster-scoped objects are refused. */
  forceNamespace?: boolean;
  /** Namespaced mode: only these namespaces; cluster-scoped objects are refused. */
  allowedNamespaces?: string[];
}

/** One object ready to apply: namespace defaulted, ownership label and annotation set. */
export interface PlannedObject {
  ref: ObjectRef;
  key: string;
  wave: number;
  object: KubernetesObject;
}

/** Structural phases, in apply order. */
export type StepKind = 'crds' | 'namespaces' | 'cluster-scoped' | 'namespaced';

/** Objects applied together; a step starts after the previous one finished. */
export interface ApplyStep {
  kind: StepKind;
  wave: number;
  /** CRDs: wait until Established before the next step. */
  waitForEstablished: boolean;
  objects: PlannedObject[];
}

/** An object of the revision that will not be applied, and why. */
export interface Refusal {
  ref: ObjectRef;
  key: string;
  reason: FailureReason;
  message: string;
}

/** The plan of one revision: what to apply in which order, what to delete, what is refused. */
export interface Plan {
  steps: ApplyStep[];
  /** In the inventory but not in the revision, in delete order (namespaced objects first, CRDs last). */
  deletions: ObjectRef[];
  refused: Refusal[];
  /** Keys of every object of the revision (applied or refused): what the inventory will hold. */
  desiredRefs: ObjectRef[];
}
