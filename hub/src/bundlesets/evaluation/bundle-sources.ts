import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isRenderError, readBundle, resolveLimits, type BundleSource, type FleetYaml } from '@flotilla/render';
import { GitTreeUnavailable } from '../../gitrepos/git/git-tree.reader.js';
import { deepMerge } from '../generators/param.merge.js';
import type { GeneratedBundleSpec } from '../template/bundle-template.types.js';
import { EvaluationError } from './bundleset.types.js';
import type { EvaluationInputs } from './generator-context.js';

/** A generated bundle ready for SourceBundleWriter: the directory's files and the template's settings over its fleet.yaml. */
export interface GeneratedSource {
  commit: string;
  source: BundleSource;
  overrides: Partial<FleetYaml>;
}

/**
 * Reads each generated bundle's directory from its GitRepo's commit (once per
 * GitRepo, commit and path in a run: a matrix of clusters × directories reads
 * each directory once) and lays the template's settings over its fleet.yaml.
 */
export class BundleSources {
  private readonly sources = new Map<string, Promise<BundleSource>>();

  constructor(
    private readonly inputs: EvaluationInputs,
    private readonly cache?: SourceCache,
  ) {}

  async forSpec(spec: GeneratedBundleSpec): Promise<GeneratedSource> {
    const repo = await this.inputs.gitRepo(spec.gitRepo, spec.revision).catch((error: Error) => {
      throw new EvaluationError('SourceFailed', `bundle ${spec.name}: ${error.message}`, { field: 'template.gitRepo' }, { cause: error });
    });
    const key = `${repo.id}\0${repo.commit}\0${spec.path}`;
    let source = this.sources.get(key);
    if (!source) {
      const cached = this.cache?.get(key);
      source = cached ? Promise.resolve(cached) : this.read(repo.cacheKey, repo.commit, spec.path).then((read) => (this.cache?.set(key, read), read));
      this.sources.set(key, source);
    }
    const read = await source.catch((error: Error) => {
      throw new EvaluationError('SourceFailed', `bundle ${spec.name} (${spec.gitRepo}:${spec.path}): ${error.message}`, { field: 'template.path', ...renderLocation(error) }, { cause: error });
    });
    return { commit: repo.commit, source: read, overrides: overridesOf(spec, read.fleetYaml) };
  }

  private async read(cacheKey: string, commit: string, path: string): Promise<BundleSource> {
    const dir = await mkdtemp(join(tmpdir(), 'flotilla-bundleset-'));
    try {
      await this.inputs.git.extract(cacheKey, commit, path, dir);
      return await readBundle(dir, path, { limits: resolveLimits() });
    } catch (error) {
      if (error instanceof GitTreeUnavailable) throw new Error(`${path} is not a directory of commit ${commit.slice(0, 12)}`, { cause: error });
      throw error;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
}

/**
 * Bundle directories read in earlier runs, by GitRepo, commit and path (a
 * commit never changes, so an entry is never stale), least recently used
 * first out past `maxBytes`: a cluster joining a matrix of directories reads
 * none of them from git again.
 */
export class SourceCache {
  private readonly entries = new Map<string, { source: BundleSource; bytes: number }>();
  private bytes = 0;

  constructor(private readonly maxBytes = 64 * 1024 * 1024) {}

  get(key: string): BundleSource | undefined {
    const hit = this.entries.get(key);
    if (!hit) return undefined;
    this.entries.delete(key);
    this.entries.set(key, hit);
    return hit.source;
  }

  set(key: string, source: BundleSource): void {
    const bytes = source.files.reduce((n, f) => n + f.content.byteLength + f.path.length, 0);
    if (bytes > this.maxBytes) return;
    const old = this.entries.get(key);
    if (old) this.bytes -= old.bytes;
    this.entries.delete(key);
    this.entries.set(key, { source, bytes });
    this.bytes += bytes;
    for (const [k, v] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(k);
      this.bytes -= v.bytes;
    }
  }
}

/** The template's settings win over the directory's fleet.yaml; helm values merge (template's keys win), valuesFiles add up. */
export function overridesOf(spec: GeneratedBundleSpec, fleetYaml: FleetYaml): Partial<FleetYaml> {
  const out: Partial<FleetYaml> = {};
  if (spec.namespace) out.namespace = spec.namespace;
  if (spec.helm && (spec.helm.values || spec.helm.valuesFiles)) {
    out.helm = {
      ...fleetYaml.helm,
      ...(spec.helm.values ? { values: deepMerge(fleetYaml.helm?.values ?? {}, spec.helm.values) } : {}),
      ...(spec.helm.valuesFiles ? { valuesFiles: [...(fleetYaml.helm?.valuesFiles ?? []), ...spec.helm.valuesFiles] } : {}),
    };
  }
  if (spec.options.keepResources) out.keepResources = true;
  if (spec.options.correctDrift) out.correctDrift = { ...fleetYaml.correctDrift, enabled: true };
  return out;
}

function renderLocation(error: Error): { file?: string; line?: number } {
  if (!isRenderError(error)) return {};
  return { ...(error.location.file ? { file: error.location.file } : {}), ...(error.location.line ? { line: error.location.line } : {}) };
}
