import { readdir } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { findFleetYaml } from './fleet-yaml.locate.js';

/**
 * The bundle directories below one matched path, by Fleet's rules (`shouldCreateBundleForThisPath` in
 * fleet `internal/cmd/cli/apply/apply.go`): the path itself is a bundle when it has a fleet.yaml or YAML somewhere
 * below that no nested fleet.yaml claims; any subdirectory is a bundle only with its own fleet.yaml. Only `.git` is
 * skipped (.fleetignore does not hide a nested bundle, as in Fleet); symlinked directories are not followed.
 */
export async function scanBundleDirs(root: string, base: string): Promise<string[]> {
  const found: string[] = [];
  if ((await findFleetYaml(join(root, base))) || (await hasUnclaimedYaml(join(root, base)))) found.push(base);
  await collectNested(root, base, found);
  return found;
}

async function collectNested(root: string, dir: string, found: string[]): Promise<void> {
  for (const sub of await subdirectories(join(root, dir))) {
    const rel = posix.join(dir, sub);
    if (await findFleetYaml(join(root, rel))) found.push(rel);
    await collectNested(root, rel, found);
  }
}

/** Fleet's `hasSubDirectoryWithResourcesAndWithoutFleetYaml`: a .yaml/.yml file not under a nested fleet.yaml. */
async function hasUnclaimedYaml(dir: string): Promise<boolean> {
  const entries = await readdir(dir, { withFileTypes: true });
  for (const entry of entries) {
    if (!entry.isDirectory() && /\.ya?ml$/.test(entry.name)) return true;
  }
  for (const sub of await subdirectories(dir)) {
    const abs = join(dir, sub);
    if (!(await findFleetYaml(abs)) && (await hasUnclaimedYaml(abs))) return true;
  }
  return false;
}

async function subdirectories(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  return entries
    .filter((e) => e.isDirectory() && e.name !== '.git')
    .map((e) => e.name)
    .sort();
}
