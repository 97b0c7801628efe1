import { isDnsSubdomain } from './dns-name.rules.js';

/** Labels of a cluster or an object: key → value. */
export type Labels = Record<string, string>;

/**
 * Most labels one cluster may carry, however they are set (registration
 * token, agent at Register, PATCH). Bounds what every selector evaluation and
 * stored row costs; 64 is well above what fleets use (Fleet clusters carry a
 * handful) and far below what a hostile agent could send (issue #9).
 */
export const MAX_CLUSTER_LABELS = 64;

// Kubernetes label syntax (k8s.io/apimachinery/pkg/util/validation):
// key = optional DNS-1123 subdomain prefix + "/" + name of at most 63 chars;
// value = at most 63 chars, alphanumeric at both ends.
const NAME = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)$/;
const NAME_MAX_LENGTH = 63;

/** Returns why `key` is not a valid label key, or undefined when it is. */
export function labelKeyProblem(key: string): string | undefined {
  const slash = key.indexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && !isDnsSubdomain(prefix)) {
    return `label key "${key}" has an invalid prefix: must be a DNS subdomain of at most 253 characters`;
  }
  if (name.length === 0 || name.length > NAME_MAX_LENGTH || !NAME.test(name)) {
    return `label key "${key}" is invalid: the name must be 1-63 characters, alphanumeric at both ends, with "-", "_" or "." inside`;
  }
  return undefined;
}

/** Returns why `value` is not a valid label value, or undefined when it is (the empty value is valid). */
export function labelValueProblem(value: string): string | undefined {
  if (value === '') return undefined;
  if (value.length > NAME_MAX_LENGTH || !NAME.test(value)) {
    return `label value "${value}" is invalid: at most 63 characters, alphanumeric at both ends, with "-", "_" or "." inside`;
  }
  return undefined;
}

/** A label rule violation: what is wrong and which key it concerns. */
export interface LabelProblem {
  key: string;
  message: string;
}

/** The first bad key or value of `labels`, or undefined when all are valid. */
export function labelsProblem(labels: Labels): LabelProblem | undefined {
  for (const [key, value] of Object.entries(labels)) {
    const message = labelKeyProblem(key) ?? labelValueProblem(value);
    if (message) return { key, message };
  }
  return undefined;
}
