import { DomainError } from '../platform/errors/domain-error.js';
import { labelKeyProblem, labelValueProblem, type Labels } from './labels.js';

/** Kubernetes `metav1.LabelSelector`. An empty selector matches everything. */
export interface LabelSelector {
  matchLabels?: Labels;
  matchExpressions?: LabelSelectorRequirement[];
}

export interface LabelSelectorRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  values?: string[];
}

/** True when `labels` satisfy every term of `selector` (AND of all terms). */
export function matchesSelector(selector: LabelSelector, labels: Labels): boolean {
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    if (labels[key] !== value) return false;
  }
  for (const req of selector.matchExpressions ?? []) {
    const has = Object.hasOwn(labels, req.key);
    const value = labels[req.key];
    switch (req.operator) {
      case 'In':
        if (!has || !req.values?.includes(value!)) return false;
        break;
      case 'NotIn':
        if (has && req.values?.includes(value!)) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
    }
  }
  return true;
}

/** Validates a structured selector as the Kubernetes API server would. */
export function assertValidSelector(selector: LabelSelector, field = 'selector'): void {
  const fail = (message: string, at: string): never => {
    throw new DomainError('InvalidSelector', message, { field: at });
  };
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    const problem = labelKeyProblem(key) ?? labelValueProblem(value);
    if (problem) fail(problem, `${field}.matchLabels.${key}`);
  }
  (selector.matchExpressions ?? []).forEach((req, i) => {
    const at = `${field}.matchExpressions[${i}]`;
    const keyProblem = labelKeyProblem(req.key);
    if (keyProblem) fail(keyProblem, `${at}.key`);
    const values = req.values ?? [];
    if ((req.operator === 'In' || req.operator === 'NotIn') && values.length === 0) {
      fail(`operator ${req.operator} needs at least one value`, `${at}.values`);
    }
    if ((req.operator === 'Exists' || req.operator === 'DoesNotExist') && values.length > 0) {
      fail(`operator ${req.operator} takes no values`, `${at}.values`);
    }
    values.forEach((v, j) => {
      const problem = labelValueProblem(v);
      if (problem) fail(problem, `${at}.values[${j}]`);
    });
  });
}
