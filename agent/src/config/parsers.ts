import { isDnsLabel, labelKeyProblem, labelValueProblem } from '@flotilla/core';
import { ConfigError } from './config-error.js';

/** `host:port` or `[v6]:port`, port 1–65535. */
export function parseHubAddress(variable: string, value: string): string {
  const match = /^(\[[0-9a-fA-F:.]+\]|[^:\s/[\]]+):(\d{1,5})$/.exec(value);
  const port = Number(match?.[2]);
  if (!match || port < 1 || port > 65535) {
    throw new ConfigError(variable, `"${value}" is not host:port (e.g. hub.example.com:8443); no scheme or path`);
  }
  return value;
}

/** `k=v,k2=v2` with Kubernetes label syntax (optional `prefix/` on keys). */
export function parseLabels(variable: string, value: string): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const pair of value.split(',').map((p) => p.trim()).filter(Boolean)) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new ConfigError(variable, `"${pair}" is not key=value`);
    const key = pair.slice(0, eq).trim();
    const val = pair.slice(eq + 1).trim();
    if (labelKeyProblem(key)) throw new ConfigError(variable, `"${key}" is not a valid label key`);
    if (labelValueProblem(val)) throw new ConfigError(variable, `value "${val}" of label "${key}" is not a valid label value`);
    if (key in labels) throw new ConfigError(variable, `label "${key}" is given twice`);
    labels[key] = val;
  }
  return labels;
}

/** Comma list of namespace names (DNS labels); at least one. */
export function parseNamespaces(variable: string, value: string): string[] {
  const names = value.split(',').map((n) => n.trim()).filter(Boolean);
  if (names.length === 0) throw new ConfigError(variable, 'names no namespace');
  for (const name of names) {
    if (!isDnsLabel(name)) throw new ConfigError(variable, `"${name}" is not a valid namespace name`);
  }
  return [...new Set(names)];
}

export function parsePositiveSeconds(variable: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new ConfigError(variable, `"${value}" is not a positive number of seconds`);
  return n;
}

/** A TCP port to listen on (0: any free one); undefined when not set. */
export function parsePort(variable: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{1,5}$/.test(value) || Number(value) > 65535) throw new ConfigError(variable, `"${value}" is not a port number (0–65535)`);
  return Number(value);
}
