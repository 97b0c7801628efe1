import { z } from 'zod';

import type { Generator, ParamSet } from './generator.types.js';
import { listItemsAsMaps, parseParamFile } from './param-file.parser.js';

const listSchema = z
  .strictObject({
    elements: z.array(z.record(z.string(), z.unknown())).optional(),
    gitRepo: z.string().min(1).optional(),
    file: z.string().min(1).optional(),
    revision: z.string().min(1).optional(),
  })
  .superRefine((spec, ctx) => {
    const fromGit = spec.gitRepo !== undefined || spec.file !== undefined || spec.revision !== undefined;
    if (spec.elements !== undefined && fromGit) {
      ctx.addIssue({ code: 'custom', message: 'set either elements, or gitRepo and file, not both' });
    } else if (spec.elements === undefined && !fromGit) {
      ctx.addIssue({ code: 'custom', message: 'needs either elements, or gitRepo and file (with an optional revision)' });
    } else if (spec.elements === undefined) {
      for (const key of ['gitRepo', 'file'] as const) {
        if (spec[key] === undefined) ctx.addIssue({ code: 'custom', path: [key], message: 'is required to read elements from a GitRepo file' });
      }
    }
  });

/** `list`: literal `elements`, or a YAML/JSON list of maps in a GitRepo file (`gitRepo`, `file`, optional `revision`). */
export type ListSpec = z.infer<typeof listSchema>;

/**
 * The `list` generator (argo-cd `list.go`, goTemplate mode): each element,
 * as written, is one parameter set. Flotilla also reads the elements from a
 * file of a GitRepo (`gitRepo` + `file`), where argo-cd only has inline
 * `elements` / `elementsYaml`. An empty list yields no sets.
 */
export const listGenerator: Generator<ListSpec> = {
  kind: 'list',
  schema: listSchema,
  async generate(spec, ctx): Promise<ParamSet[]> {
    if (spec.elements) return spec.elements.map((element) => ({ ...element }));
    const [gitRepo, file] = [spec.gitRepo!, spec.file!];
    const tree = await ctx.gitTree(gitRepo, spec.revision);
    return listItemsAsMaps(parseParamFile(await tree.readFile(file), file), file);
  },
};
