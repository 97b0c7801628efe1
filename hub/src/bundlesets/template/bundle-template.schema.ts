import { z } from 'zod';
import { bundleTargetSchema } from '../../bundles/bundle.api.js';

/** Longest single string of a template (a whole `helm.values` document may be one `toYaml`). */
export const MAX_TEMPLATE_STRING_LENGTH = 64 * 1024;

const templateString = z.string().max(MAX_TEMPLATE_STRING_LENGTH, `must be at most ${MAX_TEMPLATE_STRING_LENGTH} characters`);
const requiredTemplateString = templateString.min(1, 'must not be empty');

/**
 * A BundleTemplate as a user submits it (a BundleSet's `template`): strict objects, so an unknown
 * or misspelt field is a 400 naming its path. Strings are templates (`{{ .cluster.name }}`) and are
 * only type-checked here; checkTemplateSyntax parses them, renderBundleTemplate checks the result.
 */
export const bundleTemplateSchema = z
  .strictObject({
    name: requiredTemplateString.meta({ description: 'Must render to a DNS-1123 subdomain of at most 253 characters' }),
    gitRepo: requiredTemplateString.meta({ description: 'The GitRepo whose tree holds the bundle directory' }),
    path: templateString.optional().meta({ description: 'The bundle directory in the GitRepo (default ".")' }),
    revision: templateString.optional().meta({ description: "A tag or commit to read instead of the GitRepo's fetched commit" }),
    namespace: templateString.optional(),
    helm: z
      .strictObject({
        values: z.record(z.string(), z.unknown()).optional().meta({ description: 'Helm values; keys and string values are templates' }),
        valuesFiles: z.array(templateString).max(100).optional(),
      })
      .optional(),
    targets: z.array(bundleTargetSchema).max(1000).optional().meta({ description: 'Which clusters each generated bundle reaches (default none)' }),
    options: z.strictObject({ correctDrift: z.boolean().optional(), keepResources: z.boolean().optional() }).optional(),
    labels: z.record(z.string(), templateString).optional().meta({ description: 'Labels of each generated bundle; keys and values are templates' }),
  })
  .meta({ id: 'BundleTemplate', description: 'What each parameter set becomes: every string is a {{ }} template over the parameters' });

/** A BundleTemplate as the schema accepts it. */
export type BundleTemplateInput = z.infer<typeof bundleTemplateSchema>;

/** A generator entry's `template`: any part of a BundleTemplate, merged over the BundleSet's for that entry's sets. */
export const bundleTemplatePatchSchema = bundleTemplateSchema.partial().meta({ id: 'BundleTemplatePatch', description: "Merged over the BundleSet's template for this generator's parameter sets (maps merge, lists replace)" });
