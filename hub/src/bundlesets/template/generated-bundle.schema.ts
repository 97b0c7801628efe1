import {
  DNS_LABEL_MAX_LENGTH,
  DNS_LABEL_PATTERN,
  DNS_SUBDOMAIN_MAX_LENGTH,
  DNS_SUBDOMAIN_PATTERN,
  labelsProblem,
  selectorProblem,
} from '@flotilla/core';
import { z } from 'zod';
import { bundleTargetSchema } from '../../bundles/bundle.api.js';
import { normalizeTreePath } from './bundle-path.rules.js';

/** Most labels one generated bundle may carry. */
export const MAX_BUNDLE_LABELS = 64;

/** Most targets of one generated bundle, as the bundle API allows. */
export const MAX_BUNDLE_TARGETS = 1000;

const dnsLabel = z.string().max(DNS_LABEL_MAX_LENGTH).regex(DNS_LABEL_PATTERN, 'must be a DNS label (lower-case alphanumerics and "-", at most 63 characters)');

/** A field that came out "" is absent, as Go's zero value is in Argo CD's typed template. */
const optional = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === '' ? undefined : v), schema.optional());

const treePath = z.string().transform((raw, ctx) => {
  const result = normalizeTreePath(raw);
  if ('problem' in result) {
    ctx.addIssue({ code: 'custom', message: result.problem });
    return z.NEVER;
  }
  return result.path;
});

const targetSchema = bundleTargetSchema.superRefine((t, ctx) => {
  if (t.clusterName === undefined && t.clusterSelector === undefined && t.clusterGroup === undefined) {
    ctx.addIssue({ code: 'custom', message: 'a target needs clusterName, clusterSelector or clusterGroup' });
  }
  const problem = t.clusterSelector && selectorProblem(t.clusterSelector, 'clusterSelector');
  if (problem) ctx.addIssue({ code: 'custom', message: problem.message, path: [problem.field] });
});

const labelsSchema = z
  .record(z.string(), z.string())
  .superRefine((labels, ctx) => {
    const count = Object.keys(labels).length;
    if (count > MAX_BUNDLE_LABELS) ctx.addIssue({ code: 'custom', message: `at most ${MAX_BUNDLE_LABELS} labels, got ${count}` });
    const problem = labelsProblem(labels);
    if (problem) ctx.addIssue({ code: 'custom', message: problem.message, path: [problem.key] });
  })
  .default({});

/**
 * A rendered BundleSet template, checked before it becomes a bundle: the name a DNS-1123 subdomain
 * (≤ 253), paths relative and inside the GitRepo (`path` default `.`), targets exactly as the
 * bundle API takes them (and valid selectors), Kubernetes labels, options default false.
 */
export const generatedBundleSpecSchema = z.strictObject({
  name: z
    .string()
    .min(1, 'must not be empty')
    .max(DNS_SUBDOMAIN_MAX_LENGTH, `must be at most ${DNS_SUBDOMAIN_MAX_LENGTH} characters`)
    .regex(DNS_SUBDOMAIN_PATTERN, 'must be a DNS-1123 subdomain (lower-case alphanumerics, "-" and ".", alphanumeric at both ends)'),
  gitRepo: dnsLabel,
  path: treePath.default('.'),
  revision: optional(z.string().max(255).regex(/^[^\s\x00-\x1f\x7f]+$/, 'must be a git tag, branch or commit without whitespace')),
  namespace: optional(dnsLabel),
  helm: z
    .strictObject({
      values: z.record(z.string(), z.unknown()).optional(),
      valuesFiles: z.array(treePath).max(100).optional(),
    })
    .optional(),
  targets: z.array(targetSchema).max(MAX_BUNDLE_TARGETS).default([]),
  options: z
    .strictObject({ correctDrift: z.boolean().default(false), keepResources: z.boolean().default(false) })
    .default({ correctDrift: false, keepResources: false }),
  labels: labelsSchema,
});
