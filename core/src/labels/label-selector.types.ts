import type { Labels } from './label.rules.js';

/** Kubernetes `metav1.LabelSelector`. An empty selector matches everything. */
export interface LabelSelector {
  matchLabels?: Labels;
  matchExpressions?: LabelSelectorRequirement[];
}

/** One `matchExpressions` term of a {@link LabelSelector}. */
export interface LabelSelectorRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  values?: string[];
}

/** Why a selector is invalid, and the field path (under the caller's `field`) at fault. */
export interface SelectorProblem {
  message: string;
  field: string;
}
