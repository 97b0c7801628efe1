/**
 * RFC 1123 DNS label: lower-case alphanumerics and `-`, alphanumeric at both
 * ends. The length limit (63) is checked separately, see {@link isDnsLabel};
 * the pattern is exported for schema validators (zod `.regex`).
 */
export const DNS_LABEL_PATTERN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Longest RFC 1123 DNS label (namespace, cluster and group names). */
export const DNS_LABEL_MAX_LENGTH = 63;

/**
 * RFC 1123 DNS subdomain: dot-separated DNS labels (the prefix of a label
 * key). The length limit (253) is checked separately, see {@link isDnsSubdomain}.
 */
export const DNS_SUBDOMAIN_PATTERN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Longest RFC 1123 DNS subdomain. */
export const DNS_SUBDOMAIN_MAX_LENGTH = 253;

/** True when `name` is an RFC 1123 DNS label of at most 63 characters. */
export function isDnsLabel(name: string): boolean {
  return name.length <= DNS_LABEL_MAX_LENGTH && DNS_LABEL_PATTERN.test(name);
}

/** True when `name` is a non-empty RFC 1123 DNS subdomain of at most 253 characters. */
export function isDnsSubdomain(name: string): boolean {
  return name.length > 0 && name.length <= DNS_SUBDOMAIN_MAX_LENGTH && DNS_SUBDOMAIN_PATTERN.test(name);
}
