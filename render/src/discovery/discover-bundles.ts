import { posix } from 'node:path';
import type { BundleSource } from '../bundle/bundle-source.types.js';
import { bundleName } from '../naming/bundle-name.rules.js';
import { RenderError, type RenderWarning } from '../render.error.js';
import { readBundle } from './bundle-dir.loader.js';
import { resolveLimits, type BundleLimits } from './bundle-limits.js';
import { scanBundleDirs } from './bundle-dirs.scan.js';
import { globDirs } from './path-glob.js';

/** A driven-scan entry (GitRepo `bundles[]`, `fleet apply --driven-scan`). */
export interface DrivenBundle {
  /** The bundle directory, relative to the root; not scanned recursively. */
  base: string;
  /** A fleet.yaml-format file relative to `base`, read instead of the base's own fleet.yaml. */
  options?: string;
}

/** Options of discoverBundles. */
export interface DiscoverOptions {
  /** GitRepo `paths`: globs relative to the root. Default `['.']`. Ignored when `driven` is set. */
  paths?: string[];
  /** Prefix of derived names, the GitRepo name in Fleet. Default none. */
  namePrefix?: string;
  /** Driven scan: exactly these bundles, instead of walking `paths`. */
  driven?: DrivenBundle[];
  /** Default DEFAULT_BUNDLE_LIMITS. */
  limits?: Partial<BundleLimits>;
  /**
   * Keep going past a bundle that cannot be read (a bad fleet.yaml, a file over its bound): it is returned in
   * `failed` instead of failing discovery, so a Git sync updates the other bundles and leaves that one as it was.
   */
  keepGoing?: boolean;
}

/** A bundle directory that could not be read (with `keepGoing`). */
export interface FailedBundle {
  /** Directory relative to the root. */
  path: string;
  /** The name it would have from its path (its fleet.yaml `name` may be what could not be read). */
  derivedName: string;
  error: RenderError;
}

/**
 * The bundles of a checked-out repository, as `fleet apply` finds them. Directories that yield no files (and no
 * remote Helm chart) are left out with a warning, as Fleet drops bundles without resources; finding no bundle at
 * all fails with InvalidBundle, as Fleet does ("no resource found at the following paths to deploy").
 */
export async function discoverBundles(
  root: string,
  options: DiscoverOptions = {},
): Promise<{ bundles: BundleSource[]; warnings: RenderWarning[]; failed: FailedBundle[] }> {
  const limits = resolveLimits(options.limits);
  const candidates = options.driven?.length
    ? options.driven.map(drivenCandidate)
    : await scannedCandidates(root, options.paths?.length ? options.paths : ['.']);
  const bundles: BundleSource[] = [];
  const warnings: RenderWarning[] = [];
  const failed: FailedBundle[] = [];
  for (const candidate of candidates) {
    let source: BundleSource;
    try {
      source = await readBundle(root, candidate.path, { limits, optionsFile: candidate.optionsFile });
    } catch (error) {
      if (!options.keepGoing || !(error instanceof RenderError)) throw error;
      failed.push({ path: candidate.path, derivedName: bundleName({ prefix: options.namePrefix, path: candidate.nameSource }), error });
      continue;
    }
    if (source.files.length === 0 && !source.fleetYaml.helm?.chart) {
      warnings.push({ message: 'no resources found: not a bundle', location: { file: candidate.path } });
      continue;
    }
    const name = source.fleetYaml.name ?? bundleName({ prefix: options.namePrefix, path: candidate.nameSource });
    if (bundles.some((b) => b.name === name)) {
      warnings.push({ message: `bundle name ${name} is used twice; the later one wins`, location: { file: candidate.path } });
      bundles.splice(bundles.findIndex((b) => b.name === name), 1);
    }
    bundles.push({ ...source, name });
  }
  if (bundles.length === 0 && failed.length === 0) {
    const where = options.driven?.length ? options.driven.map((d) => d.base) : (options.paths ?? ['.']);
    throw new RenderError('InvalidBundle', `no resource found at the following paths to deploy: ${where.join(', ')}`);
  }
  return { bundles, warnings, failed };
}

interface Candidate {
  path: string;
  optionsFile?: string;
  /** What the derived name is computed from. */
  nameSource: string;
}

async function scannedCandidates(root: string, paths: string[]): Promise<Candidate[]> {
  const seen = new Set<string>();
  const candidates: Candidate[] = [];
  for (const pattern of paths) {
    for (const base of await globDirs(root, pattern)) {
      for (const path of await scanBundleDirs(root, base)) {
        if (seen.has(path)) continue;
        seen.add(path);
        candidates.push({ path, nameSource: path });
      }
    }
  }
  return candidates;
}

/**
 * Fleet's `bundleFromDir` for a driven entry: the name comes from `base` joined with the options file's path
 * without its extension, so one base can be deployed several times with different options files.
 */
function drivenCandidate(entry: DrivenBundle): Candidate {
  const path = posix.normalize(entry.base.replace(/^\/+/, '') || '.').replace(/\/+$/, '') || '.';
  if (path === '..' || path.startsWith('../')) {
    throw new RenderError('InvalidBundle', 'driven bundle base leaves the repository', { file: entry.base });
  }
  if (!entry.options) return { path, nameSource: path };
  const optionsFile = posix.normalize(entry.options);
  const fromRoot = posix.join(path, optionsFile);
  if (optionsFile.startsWith('/') || fromRoot === '..' || fromRoot.startsWith('../')) {
    throw new RenderError('InvalidBundle', 'driven bundle options file leaves the repository', { file: entry.options });
  }
  const stem = optionsFile.slice(0, optionsFile.length - posix.extname(optionsFile).length);
  return { path, optionsFile, nameSource: posix.join(path, stem) };
}
