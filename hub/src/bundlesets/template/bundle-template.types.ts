import type { LabelSelector, Labels } from '@flotilla/core';

/**
 * A BundleSet's template: what each parameter set becomes. Every string in
 * it (keys of `helm.values` and `labels` included) is a template
 * (`{{ .cluster.name }}`) evaluated over one parameter set; everything else
 * is copied. A string yields a string: a parameter value can never add
 * structure or template syntax of its own (it is data, never re-parsed).
 */
export interface BundleTemplate {
  /** The generated bundle's name (required); must come out a DNS-1123 subdomain of at most 253 characters. */
  name: string;
  /** The GitRepo whose tree holds the bundle directory (required). */
  gitRepo: string;
  /** The bundle directory inside the GitRepo (default the root, "."). */
  path?: string;
  /** A tag or commit to read instead of the GitRepo's fetched commit. */
  revision?: string;
  /** The namespace the bundle's namespaced objects go to (fleet.yaml `namespace`). */
  namespace?: string;
  helm?: {
    values?: Record<string, unknown>;
    valuesFiles?: string[];
  };
  /** Which clusters the bundle reaches (default: none). */
  targets?: TemplateTarget[];
  options?: {
    correctDrift?: boolean;
    keepResources?: boolean;
  };
  /** Labels of the generated bundle (for selectors, `dependsOn`, status filters). */
  labels?: Labels;
}

export interface TemplateTarget {
  clusterName?: string;
  clusterSelector?: LabelSelector;
  clusterGroup?: string;
}

/** A template evaluated for one parameter set, checked: what the BundleSet writes as one bundle. */
export type GeneratedBundleSpec = Required<Pick<BundleTemplate, 'name' | 'gitRepo'>> & {
  path: string;
  revision?: string;
  namespace?: string;
  helm?: { values?: Record<string, unknown>; valuesFiles?: string[] };
  targets: TemplateTarget[];
  options: { correctDrift: boolean; keepResources: boolean };
  labels: Labels;
};
