import { labelsProblem, MAX_CLUSTER_LABELS, parseSelectorString, selectorProblem, SelectorSyntaxError, type LabelSelector, type Labels } from '@flotilla/core';
import { DomainError } from '../platform/errors/domain-error.js';

/** Throws InvalidLabels naming the first bad key or value (rules: @flotilla/core). */
export function assertValidLabels(labels: Labels, field = 'labels'): void {
  const problem = labelsProblem(labels);
  if (problem) throw new DomainError('InvalidLabels', problem.message, { field: `${field}.${problem.key}` });
}

/** Throws InvalidLabels naming `field` when `labels` has more than MAX_CLUSTER_LABELS (64) entries; `what` says whose labels they are. */
export function assertClusterLabelCount(labels: Labels, field = 'labels', what = 'a cluster'): void {
  const count = Object.keys(labels).length;
  if (count > MAX_CLUSTER_LABELS) {
    throw new DomainError('InvalidLabels', `${what} may have at most ${MAX_CLUSTER_LABELS} labels, got ${count}`, { field });
  }
}

/** Validates a structured selector as the Kubernetes API server would; throws InvalidSelector. */
export function assertValidSelector(selector: LabelSelector, field = 'selector'): void {
  const problem = selectorProblem(selector, field);
  if (problem) throw new DomainError('InvalidSelector', problem.message, { field: problem.field });
}

/** Parses `kubectl get -l` selector syntax (see @flotilla/core); throws InvalidSelector naming `field`. */
export function parseSelectorQuery(input: string, field = 'selector'): LabelSelector {
  try {
    return parseSelectorString(input, field);
  } catch (error) {
    if (error instanceof SelectorSyntaxError) throw new DomainError('InvalidSelector', error.message, { field: error.field });
    throw error;
  }
}
