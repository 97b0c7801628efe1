import type { FleetYaml } from '../fleet-yaml/fleet-yaml.types.js';
import type { RenderWarning } from '../render.error.js';

/** One file of a bundle, its path relative to the bundle directory (`/`-separated). */
export interface BundleFile {
  path: string;
  content: Uint8Array;
}

/**
 * A bundle as discovery found it: everything rendering needs, read into memory
 * (a bundle is bounded: see RenderLimits), so the same source renders for every
 * cluster without touching the original tree again.
 */
export interface BundleSource {
  /** Fleet's derived name, or fleet.yaml `name`. */
  name: string;
  /** Directory of the bundle relative to the scanned root (`.` for the root). */
  path: string;
  /** fleet.yaml (or fleet.yml) as parsed; `{}` when the bundle has none. */
  fleetYaml: FleetYaml;
  /** Path of the fleet.yaml relative to the scanned root, when there is one. */
  fleetYamlFile?: string;
  /** The bundle's files (`.fleetignore`d files and nested bundles left out), sorted by path. */
  files: BundleFile[];
  /** `sha256:<hex>` over the fleet.yaml and every file's path and content: equal digests render equally. */
  digest: string;
  warnings: RenderWarning[];
}
