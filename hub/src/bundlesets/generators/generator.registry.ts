import { z } from 'zod';

import { clustersGenerator } from './clusters.generator.js';
import { assertWithinLimit, entrySchema, evaluateEntry, parseOrThrow, type GeneratorEntry, type GeneratorSet } from './generator-entry.js';
import type { Generator, GeneratorContext, ParamSet } from './generator.types.js';
import { gitDirectoriesGenerator } from './git-directories.generator.js';
import { gitFilesGenerator } from './git-files.generator.js';
import { listGenerator } from './list.generator.js';
import { createMatrixGenerator } from './matrix.generator.js';
import { createMergeGenerator } from './merge.generator.js';

function setOf(generators: readonly Generator<unknown>[]): GeneratorSet {
  return new Map(generators.map((g) => [g.kind, g]));
}

/** The kinds that read clusters or git and never nest. */
const terminal = [listGenerator, clustersGenerator, gitDirectoriesGenerator, gitFilesGenerator] as Generator<unknown>[];

/** A matrix or merge inside a matrix or merge: its own children are terminal (argo-cd nests one level). */
const tooDeep = ' (a matrix or merge inside another may only combine list, clusters, gitDirectories and gitFiles)';
const nestedSet = setOf(terminal);
const nested = [createMatrixGenerator(nestedSet, tooDeep), createMergeGenerator(nestedSet, tooDeep)] as Generator<unknown>[];

const childSet = setOf([...terminal, ...nested]);

/** Every generator kind a BundleSet's `generators[]` entry may use, by kind. */
export const generatorRegistry: GeneratorSet = setOf([
  ...terminal,
  createMatrixGenerator(childSet) as Generator<unknown>,
  createMergeGenerator(childSet) as Generator<unknown>,
]);

/**
 * The zod schema of one `generators[]` entry: exactly one known kind key
 * (`list`, `clusters`, `gitDirectories`, `gitFiles`, `matrix`, `merge`), an
 * optional post-`selector`, and an optional `template`: a patch of the
 * BundleSet's template for this entry's parameter sets (Argo CD's
 * templatePatch, as data: checked by the template's own schema where the
 * BundleSet is validated). Issue paths point at the bad field.
 */
export const generatorEntrySchema: z.ZodType<GeneratorEntry> = entrySchema(generatorRegistry, '', { template: z.record(z.string(), z.unknown()).optional() });

/** A BundleSet's `generators` list (at least one entry). */
export const generatorsSchema = z.array(generatorEntrySchema).min(1, 'needs at least one generator');

/**
 * Every parameter set of a BundleSet's `generators` (raw, as stored): each
 * entry validated, evaluated and post-selected, then concatenated in entry
 * order (argo-cd: several generators are a union; no de-duplication).
 * Throws GeneratorError: InvalidGenerator naming the field
 * (`generators[0].matrix.generators[1].gitFiles.files[0].path`),
 * TooManyParameterSets past `ctx.maxParamSets`, or whatever a generator or
 * the context raised (a failed git read is never "zero sets").
 */
export async function evaluateGenerators(entries: unknown, ctx: GeneratorContext, field = 'generators'): Promise<ParamSet[]> {
  return (await evaluateGeneratorEntries(entries, ctx, field)).flat();
}

/** As evaluateGenerators, each top-level entry's sets apart (for per-entry template patches and empty-result guards). */
export async function evaluateGeneratorEntries(entries: unknown, ctx: GeneratorContext, field = 'generators'): Promise<ParamSet[][]> {
  const parsed = parseOrThrow(generatorsSchema, entries, field);
  const out: ParamSet[][] = [];
  let total = 0;
  for (const [i, entry] of parsed.entries()) {
    const sets = await evaluateEntry(generatorRegistry, entry, ctx, `${field}[${i}]`);
    total += sets.length;
    assertWithinLimit(total, ctx, field);
    out.push(sets);
  }
  return out;
}
