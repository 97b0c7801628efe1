/**
 * Test helpers: an in-memory GitTree and GeneratorContext (pure fakes for
 * unit tests; the hub's real context reads PostgreSQL and the git cache).
 */
import type { LabelSelector } from '@flotilla/core';

import { GeneratorError } from './generator.error.js';
import type { GeneratorCluster, GeneratorContext, GitTree, ParamSet } from './generator.types.js';
import { valueAtPath } from './param.merge.js';

/** A tree from `path → content`; directories are every ancestor of a file plus `extraDirs`. */
export function fakeTree(files: Record<string, string>, extraDirs: string[] = [], commit = 'c0ffee'): GitTree {
  const dirs = new Set(extraDirs);
  for (const file of Object.keys(files)) {
    const parts = file.split('/');
    for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join('/'));
  }
  return {
    commit,
    directories: () => [...dirs].sort(),
    files: () => Object.keys(files).sort(),
    readFile: (path) => {
      const content = files[path];
      if (content === undefined) return Promise.reject(new GeneratorError('GitFileUnreadable', `${path} is not a file`, { file: path }));
      return Promise.resolve(Buffer.from(content));
    },
  };
}

/** Replaces `{{ .a.b }}` in every string of `spec` by the value at `a.b`; a missing key is TemplateFailed. */
export function fakeInterpolate<T>(spec: T, params: ParamSet, field: string): T {
  const walk = (value: unknown): unknown => {
    if (typeof value === 'string') {
      return value.replace(/\{\{\s*\.([\w.]+)\s*\}\}/gu, (_m, path: string) => {
        const found = valueAtPath(params, path);
        if (found === undefined) throw new GeneratorError('TemplateFailed', `${field}: no ${path}`, { field });
        return String(found as string);
      });
    }
    if (Array.isArray(value)) return value.map(walk);
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v)]));
    return value;
  };
  return walk(spec) as T;
}

export interface FakeContextOptions {
  clusters?: GeneratorCluster[];
  groups?: Record<string, LabelSelector>;
  /** GitRepo name (or `name@revision`) → tree. */
  repos?: Record<string, GitTree>;
  /** GitRepo names whose read fails with GitUnavailable. */
  unavailable?: string[];
  maxParamSets?: number;
}

/** A GeneratorContext over in-memory data; `gitReads` records every `gitTree` call. */
export function fakeContext(options: FakeContextOptions = {}): GeneratorContext & { gitReads: string[] } {
  const gitReads: string[] = [];
  return {
    gitReads,
    maxParamSets: options.maxParamSets ?? 100_000,
    clusters: () => Promise.resolve([...(options.clusters ?? [])].sort((a, b) => (a.name < b.name ? -1 : 1))),
    groups: () => Promise.resolve(new Map(Object.entries(options.groups ?? {}))),
    gitTree: (gitRepo, revision) => {
      const key = revision === undefined ? gitRepo : `${gitRepo}@${revision}`;
      gitReads.push(key);
      if (options.unavailable?.includes(gitRepo)) {
        return Promise.reject(new GeneratorError('GitUnavailable', `${gitRepo} cannot be fetched`));
      }
      const tree = options.repos?.[key];
      return tree ? Promise.resolve(tree) : Promise.reject(new GeneratorError('GitRepoNotFound', `no GitRepo ${key}`));
    },
    interpolate: fakeInterpolate,
  };
}

/** Three clusters, deliberately not in name order. */
export const CLUSTERS: GeneratorCluster[] = [
  { id: 'id-3', name: 'paris', labels: { env: 'prod', region: 'eu' } },
  { id: 'id-1', name: 'austin', labels: { env: 'prod', region: 'us' } },
  { id: 'id-2', name: 'lab', labels: { env: 'dev', region: 'eu' } },
];

/** Runs `promise` and returns the GeneratorError it rejects with (fails the test if it resolves or throws something else). */
export async function generatorError(promise: Promise<unknown>): Promise<GeneratorError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof GeneratorError) return error;
    throw error;
  }
  throw new Error('expected a GeneratorError, but the promise resolved');
}
