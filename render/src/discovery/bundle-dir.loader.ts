import { basename, join, posix, resolve } from 'node:path';
import type { BundleSource } from '../bundle/bundle-source.types.js';
import { MAX_FLEET_YAML_BYTES, parseFleetYaml } from '../fleet-yaml/fleet-yaml.parser.js';
import type { FleetYaml } from '../fleet-yaml/fleet-yaml.types.js';
import { bundleName } from '../naming/bundle-name.rules.js';
import { RenderError } from '../render.error.js';
import { bundleDigest } from './bundle-digest.js';
import { resolveLimits, type BundleLimits } from './bundle-limits.js';
import { displayPath, walkBundleFiles } from './bundle-dir.walk.js';
import { diskFs, type BundleFs } from './bundle-fs.js';
import { FLEET_YAML_NAMES, findFleetYaml } from './fleet-yaml.locate.js';

/** Options of loadBundleDir. */
export interface LoadBundleDirOptions {
  /** Bundle name. Default: fleet.yaml `name`, else `bundleName({ path: basename(dir) })`. */
  name?: string;
  /** Default DEFAULT_BUNDLE_LIMITS. */
  limits?: Partial<BundleLimits>;
  /** Where `dir` is read from. Default: the disk; `memoryFs(files)` reads an uploaded archive from memory (dir `/`). */
  fs?: BundleFs;
}

/**
 * One directory as one bundle (`flotilla render <dir>`, an uploaded tarball): its fleet.yaml (or fleet.yml) and
 * every file below it that Fleet would ship. Fails with InvalidBundle when `dir` is not a directory.
 */
export async function loadBundleDir(dir: string, options: LoadBundleDirOptions = {}): Promise<BundleSource> {
  const source = await readBundle(dir, '.', { limits: resolveLimits(options.limits), ...(options.fs ? { fs: options.fs } : {}) });
  const name = options.name ?? source.fleetYaml.name ?? bundleName({ path: basename(resolve(dir)) });
  return { ...source, name };
}

/** How readBundle finds the bundle's options. */
export interface ReadBundleOptions {
  limits: BundleLimits;
  /** A driven-scan options file, relative to the bundle directory, read instead of its fleet.yaml. */
  optionsFile?: string;
  /** Default: the disk. */
  fs?: BundleFs;
}

/**
 * The bundle at `path` (relative to `root`), named by its fleet.yaml `name` or else by the caller; `name` is left
 * empty here for the caller to derive.
 */
export async function readBundle(root: string, path: string, options: ReadBundleOptions): Promise<BundleSource> {
  const fs = options.fs ?? diskFs;
  const dir = join(root, path);
  const info = await fs.stat(dir);
  if (!info?.isDirectory()) {
    throw new RenderError('InvalidBundle', 'bundle directory does not exist or is not a directory', { file: path });
  }
  const fleetYamlName = options.optionsFile ?? (await findFleetYaml(dir, fs));
  const fleetYamlFile = fleetYamlName ? posix.normalize(displayPath(path, fleetYamlName)) : undefined;
  const { fleetYaml, warnings, raw } = fleetYamlName
    ? await readFleetYaml(fs, join(dir, fleetYamlName), fleetYamlFile ?? fleetYamlName)
    : { fleetYaml: {} as FleetYaml, warnings: [], raw: undefined };
  // Fleet leaves the bundle's own options out of its resources; both fleet.yaml spellings are left out here so a
  // fleet.yml is never taken for a manifest.
  const skipPaths = new Set<string>([...FLEET_YAML_NAMES, ...(options.optionsFile ? [options.optionsFile] : [])]);
  const files = await walkBundleFiles(dir, { limits: options.limits, displayPrefix: path, skipPaths, fs });
  const optionsFile = raw && fleetYamlName ? { path: fleetYamlName, content: raw } : undefined;
  return { name: '', path, fleetYaml, fleetYamlFile, files, digest: bundleDigest(files, optionsFile), warnings };
}

async function readFleetYaml(fs: BundleFs, abs: string, file: string): Promise<{ fleetYaml: FleetYaml; warnings: BundleSource['warnings']; raw: Buffer }> {
  const info = await fs.stat(abs);
  if (!info?.isFile()) throw new RenderError('InvalidBundle', 'options file does not exist', { file });
  if (info.size > MAX_FLEET_YAML_BYTES) {
    throw new RenderError('OutputTooLarge', `fleet.yaml is over ${MAX_FLEET_YAML_BYTES} bytes`, { file });
  }
  const raw = await fs.readFile(abs);
  return { ...parseFleetYaml(raw.toString('utf8'), file), raw };
}
