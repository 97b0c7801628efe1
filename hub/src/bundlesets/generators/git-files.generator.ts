import { z } from 'zod';

import { GeneratorError } from './generator.error.js';
import type { Generator, ParamSet } from './generator.types.js';
import { FILE_GLOB, filePathParams, filterPaths } from './git-path.params.js';
import { isPlainMap } from './param.merge.js';
import { listItemsAsMaps, parseParamFile } from './param-file.parser.js';

const gitFilesSchema = z.strictObject({
  gitRepo: z.string().min(1),
  revision: z.string().min(1).optional(),
  files: z
    .array(z.strictObject({ path: z.string().min(1), exclude: z.boolean().optional() }))
    .min(1, 'needs at least one file pattern'),
});

/** `gitFiles`: a GitRepo (and optional revision) and include/exclude globs over its files. */
export type GitFilesSpec = z.infer<typeof gitFilesSchema>;

/**
 * The git file generator (argo-cd `git.go` `generateParamsFromGitFile`,
 * goTemplate mode): every file matching an include glob and no exclude glob,
 * in sorted order, parsed as YAML or JSON. A map is one set, a list of maps
 * one set per item, an empty file one set with only `path` (as argo-cd);
 * each set gets `path: { path (the directory), basename, filename,
 * basenameNormalized, filenameNormalized, segments }`, replacing a `path`
 * key of the file's own. Globs are doublestar (`**` crosses directories).
 */
export const gitFilesGenerator: Generator<GitFilesSpec> = {
  kind: 'gitFiles',
  schema: gitFilesSchema,
  async generate(spec, ctx): Promise<ParamSet[]> {
    const tree = await ctx.gitTree(spec.gitRepo, spec.revision);
    const sets: ParamSet[] = [];
    for (const file of filterPaths(tree.files(), spec.files, FILE_GLOB)) {
      const parsed = parseParamFile(await tree.readFile(file), file);
      const path = filePathParams(file);
      if (parsed.content === null || parsed.content === undefined) sets.push({ path });
      else if (Array.isArray(parsed.content)) sets.push(...listItemsAsMaps(parsed, file).map((item) => ({ ...item, path })));
      else if (isPlainMap(parsed.content)) sets.push({ ...parsed.content, path });
      else throw new GeneratorError('GitFileInvalid', `${file}: expected a map or a list of maps`, { file });
    }
    return sets;
  },
};
