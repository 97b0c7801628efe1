import { DomainError } from '../platform/errors/domain-error.js';

export type Labels = Record<string, string>;

// Kubernetes label syntax (k8s.io/apimachinery/pkg/util/validation):
// key = optional DNS-1123 subdomain prefix + "/" + name of at most 63 chars;
// value = at most 63 chars, alphanumeric at both ends.
const NAME = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)$/;
const PREFIX = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Returns why `key` is not a valid label key, or undefined when it is. */
export function labelKeyProblem(key: string): string | undefined {
  const slash = key.indexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && (prefix.length === 0 || prefix.length > 253 || !PREFIX.test(prefix))) {
    return `label key "${key}" has an invalid prefix: must be a DNS subdomain of at most 253 characters`;
  }
  if (name.length === 0 || name.length > 63 || !NAME.test(name)) {
    return `label key "${key}" is invalid: the name must be 1-63 characters, alphanumeric at both ends, with "-", "_" or "." inside`;
  }
  return undefined;
}

/** Returns why `value` is not a valid label value, or undefined when it is. */
export function labelValueProblem(value: string): string | undefined {
  if (value === '') return undefined;
  if (value.length > 63 || !NAME.test(value)) {
    return `label value "${value}" is invalid: at most 63 characters, alphanumeric at both ends, with "-", "_" or "." inside`;
  }
  return undefined;
}

/** Throws InvalidLabels naming the first bad key or value. */
export function assertValidLabels(labels: Labels, field = 'labels'): void {
  for (const [key, value] of Object.entries(labels)) {
    const problem = labelKeyProblem(key) ?? labelValueProblem(value);
    if (problem) throw new DomainError('InvalidLabels', problem, { field: `${field}.${key}` });
  }
}
