import { z } from 'zod';

import type { Generator, ParamSet } from './generator.types.js';
import { listItemsAsMaps, parseParamFile } from './param-file.parser.js';

const inlineSchema = z.strictObject({
  elements: z.array(z.record(z.string(), z.unknown())),
});

const fileSchema = z.strictObject({
  gitRepo: z.string().min(1),
  file: z.string().min(1),
  revision: z.string().min(1).optional(),
});

/** `list`: literal `elements`, or a YAML/JSON list of maps in a GitRepo file. */
export type ListSpec = z.infer<typeof inlineSchema> | z.infer<typeof fileSchema>;

/**
 * The `list` generator (argo-cd `list.go`, goTemplate mode): each element,
 * as written, is one parameter set. Flotilla also reads the elements from a
 * file of a GitRepo (`gitRepo` + `file`), where argo-cd only has inline
 * `elements` / `elementsYaml`. An empty list yields no sets.
 */
export const listGenerator: Generator<ListSpec> = {
  kind: 'list',
  schema: z.union([inlineSchema, fileSchema], {
    error: 'needs either elements, or gitRepo and file (with an optional revision)',
  }),
  async generate(spec, ctx): Promise<ParamSet[]> {
    if ('elements' in spec) return spec.elements.map((element) => ({ ...element }));
    const tree = await ctx.gitTree(spec.gitRepo, spec.revision);
    const parsed = parseParamFile(await tree.readFile(spec.file), spec.file);
    return listItemsAsMaps(parsed, spec.file);
  },
};
