/**
 * Kinds in the order Helm installs them (helm/pkg/release/util/kind_sorter.go):
 * within a step, things others refer to (service accounts, config, storage,
 * RBAC) go before the workloads that use them, so a first apply does not show
 * avoidable errors while it converges.
 */
const ORDER = [
  'PriorityClass',
  'NetworkPolicy',
  'ResourceQuota',
  'LimitRange',
  'PodSecurityPolicy',
  'PodDisruptionBudget',
  'ServiceAccount',
  'Secret',
  'SecretList',
  'ConfigMap',
  'StorageClass',
  'PersistentVolume',
  'PersistentVolumeClaim',
  'ClusterRole',
  'ClusterRoleList',
  'ClusterRoleBinding',
  'ClusterRoleBindingList',
  'Role',
  'RoleList',
  'RoleBinding',
  'RoleBindingList',
  'Service',
  'DaemonSet',
  'Pod',
  'ReplicationController',
  'ReplicaSet',
  'Deployment',
  'HorizontalPodAutoscaler',
  'StatefulSet',
  'Job',
  'CronJob',
  'IngressClass',
  'Ingress',
  'APIService',
  'MutatingWebhookConfiguration',
  'ValidatingWebhookConfiguration',
];
const RANK = new Map(ORDER.map((kind, i) => [kind, i]));

/** Position of a kind in the install order; unknown kinds (custom resources) go last. */
export function kindRank(kind: string): number {
  return RANK.get(kind) ?? ORDER.length;
}
