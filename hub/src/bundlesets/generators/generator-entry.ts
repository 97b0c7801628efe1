import type { LabelSelector } from '@flotilla/core';
import { z } from 'zod';

import { GeneratorError } from './generator.error.js';
import type { Generator, GeneratorContext, ParamSet } from './generator.types.js';
import { applyPostSelector, postSelectorSchema } from './post-selector.js';

/**
 * One validated `generators[]` entry: exactly one kind key holding that
 * kind's (parsed, plain JSON) spec, plus an optional post-selector. Kept as
 * plain data so a matrix can interpolate its second child.
 */
export type GeneratorEntry = Readonly<Record<string, unknown>> & { selector?: LabelSelector };

/** The generators an entry may name, by kind. */
export type GeneratorSet = ReadonlyMap<string, Generator<unknown>>;

/** `generators[0].matrix.generators[1]` from a base field and a zod issue path. */
export function fieldPath(base: string, path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, step) => (typeof step === 'number' ? `${acc}[${step}]` : `${acc}.${String(step)}`), base);
}

/** Parses `input` with `schema`, or throws GeneratorError('InvalidGenerator') naming the first bad field under `field`. */
export function parseOrThrow<T>(schema: z.ZodType<T>, input: unknown, field: string): T {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const at = fieldPath(field, issue.path);
  throw new GeneratorError('InvalidGenerator', `${at}: ${issue.message}`, { field: at });
}

/**
 * The zod schema of one `generators[]` entry over `generators`: exactly one
 * kind key, each kind's spec checked by its own schema (issue paths point
 * into it), an unknown key rejected with the known kinds listed.
 * `unknownHint` is appended to that message (e.g. why `matrix` is not
 * allowed at this depth); `extra` adds keys that are not kinds (a top-level
 * entry's `template` patch).
 */
export function entrySchema(generators: GeneratorSet, unknownHint = '', extra: z.ZodRawShape = {}): z.ZodType<GeneratorEntry> {
  const kinds = [...generators.keys()];
  const known = kinds.join(', ');
  const shape = Object.fromEntries(kinds.map((kind) => [kind, generators.get(kind)!.schema.optional()]));
  const unknownKind = z.unknown().superRefine((_value, ctx) => {
    ctx.addIssue({ code: 'custom', message: `is not a generator kind here; known kinds: ${known}${unknownHint}` });
  });
  return z
    .object({ ...shape, ...extra, selector: postSelectorSchema.optional() })
    .catchall(unknownKind)
    .superRefine((entry, ctx) => {
      const present = kinds.filter((kind) => entry[kind] !== undefined);
      if (present.length === 0) {
        ctx.addIssue({ code: 'custom', message: `needs one generator kind: one of ${known}` });
      } else if (present.length > 1) {
        ctx.addIssue({ code: 'custom', path: [present[1]!], message: `one generator kind per entry (found ${present.join(' and ')}); put each in its own entry` });
      }
    }) as unknown as z.ZodType<GeneratorEntry>;
}

/** Throws GeneratorError('TooManyParameterSets') when `count` passes `ctx.maxParamSets`. */
export function assertWithinLimit(count: number, ctx: GeneratorContext, field: string): void {
  if (count > ctx.maxParamSets) {
    throw new GeneratorError('TooManyParameterSets', `${field} yields ${count} parameter sets, more than the ${ctx.maxParamSets} allowed`, { field });
  }
}

/**
 * The parameter sets of one validated entry at `field` (`generators[0]`):
 * its generator's sets filtered by its post-selector. With `params` (a
 * matrix's second child) the spec is first interpolated over them and
 * checked again, as argo-cd `InterpolateGenerator` does; the selector is not
 * interpolated (argo-cd matches the child's selector as written).
 */
export async function evaluateEntry(
  generators: GeneratorSet,
  entry: GeneratorEntry,
  ctx: GeneratorContext,
  field: string,
  params?: ParamSet,
): Promise<ParamSet[]> {
  const kind = Object.keys(entry).find((key) => key !== 'selector' && generators.has(key) && entry[key] !== undefined);
  const generator = kind === undefined ? undefined : generators.get(kind);
  if (!kind || !generator) {
    throw new GeneratorError('InvalidGenerator', `${field}: needs one generator kind: one of ${[...generators.keys()].join(', ')}`, { field });
  }
  const specField = `${field}.${kind}`;
  let spec = entry[kind];
  if (params) {
    spec = parseOrThrow(generator.schema, ctx.interpolate(spec, params, specField), specField);
  }
  const sets = await generator.generate(spec, ctx, specField);
  const kept = applyPostSelector(sets, entry.selector);
  assertWithinLimit(kept.length, ctx, specField);
  return kept;
}
