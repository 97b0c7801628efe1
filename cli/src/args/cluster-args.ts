import { readFile } from 'node:fs/promises';
import { labelKeyProblem, labelValueProblem, type Labels } from '@flotilla/core';
import type { ClusterContext } from '@flotilla/render';
import { parse } from 'yaml';
import { UsageError } from './usage.error.js';

/** The cluster options every command that customises per cluster takes (as Fleet's `fleet test`). */
export const CLUSTER_OPTIONS = {
  label: { type: 'string', short: 'l', multiple: true },
  annotation: { type: 'string', short: 'a', multiple: true },
  'cluster-name': { type: 'string' },
  'cluster-group': { type: 'string', multiple: true },
  'values-from': { type: 'string' },
} as const;

export const CLUSTER_OPTIONS_HELP = `Cluster (what targetCustomizations and \${ } templates see):
  -l, --label KEY=VALUE       a cluster label (repeatable)
  -a, --annotation KEY=VALUE  a cluster annotation (repeatable)
      --cluster-name NAME     the cluster's name (default: local)
      --cluster-group NAME    a group the cluster is in (repeatable)
      --values-from FILE      YAML map of the cluster's values (.ClusterValues)`;

export interface ClusterFlags {
  label?: string[];
  annotation?: string[];
  'cluster-name'?: string;
  'cluster-group'?: string[];
  'values-from'?: string;
}

/** Builds the cluster context from flags; bad labels or a bad values file → UsageError naming the flag. */
export async function clusterFromFlags(flags: ClusterFlags): Promise<ClusterContext> {
  const labels = keyValues(flags.label ?? [], '--label', true);
  const annotations = keyValues(flags.annotation ?? [], '--annotation', false);
  const cluster: ClusterContext = {
    name: flags['cluster-name'] ?? 'local',
    labels,
    annotations,
    groups: (flags['cluster-group'] ?? []).map((name) => ({ name, labels: {} })),
  };
  if (flags['values-from']) cluster.values = await readValues(flags['values-from']);
  return cluster;
}

function keyValues(pairs: string[], flag: string, asLabels: boolean): Labels {
  const out: Labels = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new UsageError(`${flag} "${pair}": expected KEY=VALUE`);
    const key = pair.slice(0, at);
    const value = pair.slice(at + 1);
    if (asLabels) {
      const problem = labelKeyProblem(key) ?? labelValueProblem(value);
      if (problem) throw new UsageError(`${flag} "${pair}": ${problem}`);
    }
    out[key] = value;
  }
  return out;
}

async function readValues(file: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new UsageError(`--values-from ${file}: ${(error as Error).message}`);
  }
  let values: unknown;
  try {
    values = parse(text);
  } catch (error) {
    throw new UsageError(`--values-from ${file}: ${(error as Error).message}`);
  }
  if (values === null || values === undefined) return {};
  if (typeof values !== 'object' || Array.isArray(values)) throw new UsageError(`--values-from ${file}: must be a YAML map`);
  return values as Record<string, unknown>;
}
