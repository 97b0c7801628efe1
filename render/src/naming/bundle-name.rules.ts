import { createHash } from 'node:crypto';
import { posix } from 'node:path';

/** Fleet's limit for Helm release names, which bundle names must also satisfy (`MaxHelmReleaseNameLen`). */
export const MAX_BUNDLE_NAME_LENGTH = 53;

const DISALLOWED = /[^a-zA-Z0-9-]+/g;
const HELM_RELEASE_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * The bundle name Fleet derives for a directory (fleet `internal/names/name.go` `HelmReleaseName`, applied by
 * `fleet apply` to `filepath.Join(gitRepoName, bundleDir)`). `prefix` is the GitRepo name (none for a plain
 * directory); `path` is the bundle directory relative to the scanned root (`.` for the root itself, which with no
 * prefix yields a bare checksum, as in Fleet).
 */
export function bundleName(input: { prefix?: string; path: string }): string {
  return helmReleaseName(goJoin(input.prefix ?? '', input.path));
}

/** Fleet's `names.HelmReleaseName`: DNS-label-safe, with an md5 suffix whenever characters had to change. */
export function helmReleaseName(input: string): string {
  let name = input.replaceAll('/', '-');
  const needHex = name !== name.toLowerCase() || new RegExp(DISALLOWED.source).test(name);
  // The checksum is taken before cleaning so that names differing only in case or punctuation stay distinct.
  if (needHex) name = `${name}-${md5Hex(name, 8)}`;
  name = name.toLowerCase().replace(DISALLOWED, '-').replace(/-+/g, '-').replace(/^-+/, '').replace(/-+$/, '');
  if (HELM_RELEASE_NAME.test(name) && DNS_LABEL.test(name)) return limit(name, MAX_BUNDLE_NAME_LENGTH);
  return md5Hex(input, 24);
}

/** Fleet's `names.Limit`: over `count` characters → truncated, `-`, 5 hex of the md5 of the whole string. */
export function limit(s: string, count: number): string {
  if (s.length <= count) return s;
  const hexLen = 5;
  if (count <= hexLen + 1) return s.slice(0, count);
  const keep = count - hexLen - 1;
  const separator = s[keep - 1] === '-' ? '' : '-';
  return `${s.slice(0, keep)}${separator}${md5Hex(s, hexLen)}`;
}

function md5Hex(s: string, length: number): string {
  return createHash('md5').update(s).digest('hex').slice(0, length);
}

/** Go's `filepath.Join` on `/` paths: empty elements dropped, result cleaned, `.` when nothing is left. */
function goJoin(...parts: string[]): string {
  const joined = parts.filter((p) => p !== '').join('/');
  if (joined === '') return '';
  const cleaned = posix.normalize(joined);
  return cleaned.length > 1 ? cleaned.replace(/\/+$/, '') : cleaned;
}
