import type { Labels } from '@flotilla/core';

/**
 * What rendering knows about one cluster: the data Fleet's targeting and
 * `${ }` templating read (`.ClusterName`, `.ClusterLabels`, `.ClusterAnnotations`,
 * `.ClusterValues`, `.ClusterNamespace`) and the groups it belongs to.
 */
export interface ClusterContext {
  name: string;
  /** Fleet's cluster namespace (`.ClusterNamespace`); Flotilla has one: `fleet-default` unless set. */
  namespace?: string;
  labels: Labels;
  annotations?: Record<string, string>;
  /** Fleet's `Cluster.spec.templateValues` (`.ClusterValues`). */
  values?: Record<string, unknown>;
  /** Groups the cluster is a member of, with their labels (for `clusterGroupSelector`). */
  groups?: { name: string; labels: Labels }[];
}
