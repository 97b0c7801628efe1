import { join } from 'node:path';
import { diskFs, type BundleFs } from './bundle-fs.js';

/** Fleet reads `fleet.yaml` first and falls back to `fleet.yml` (fleet `internal/fleetyaml`). */
export const FLEET_YAML_NAMES = ['fleet.yaml', 'fleet.yml'] as const;

/** The name of the fleet.yaml in `dir` (fleet.yaml wins over fleet.yml), or undefined. */
export async function findFleetYaml(dir: string, fs: BundleFs = diskFs): Promise<string | undefined> {
  for (const name of FLEET_YAML_NAMES) {
    const info = await fs.stat(join(dir, name));
    if (info?.isFile()) return name;
  }
  return undefined;
}
