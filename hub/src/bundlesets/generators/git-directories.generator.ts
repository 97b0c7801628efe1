import { z } from 'zod';

import type { Generator, ParamSet } from './generator.types.js';
import { DIRECTORY_GLOB, directoryPathParams, filterPaths } from './git-path.params.js';

const gitDirectoriesSchema = z.strictObject({
  gitRepo: z.string().min(1),
  revision: z.string().min(1).optional(),
  directories: z
    .array(z.strictObject({ path: z.string().min(1), exclude: z.boolean().optional() }))
    .min(1, 'needs at least one directory pattern'),
});

/** `gitDirectories`: a GitRepo (and optional revision) and include/exclude globs over its directories. */
export type GitDirectoriesSpec = z.infer<typeof gitDirectoriesSchema>;

/** A directory inside a hidden one (`.github/…`) or hidden itself; argo-cd's repo server skips them by default. */
function isHidden(dir: string): boolean {
  return dir.split('/').some((segment) => segment.startsWith('.'));
}

/**
 * The git directory generator (argo-cd `git.go` `filterApps`): one set per
 * directory of the tree matching an include glob and no exclude glob
 * (excludes win whatever their order), in the tree's sorted order. Globs are
 * Go `path.Match` (`*` stays inside a segment, no `**`). Params:
 * `{ path: { path, basename, basenameNormalized, segments } }`.
 */
export const gitDirectoriesGenerator: Generator<GitDirectoriesSpec> = {
  kind: 'gitDirectories',
  schema: gitDirectoriesSchema,
  async generate(spec, ctx): Promise<ParamSet[]> {
    const tree = await ctx.gitTree(spec.gitRepo, spec.revision);
    const dirs = tree.directories().filter((dir) => !isHidden(dir));
    return filterPaths(dirs, spec.directories, DIRECTORY_GLOB).map((dir) => ({ path: directoryPathParams(dir) }));
  },
};
