import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';
import type { BundleFile, DeploymentOptions, ToolSet } from '@flotilla/render';
import { resolveToolSet } from '@flotilla/render';
import { toolPath } from '../clusters/index.ts';

export const FIXTURES = path.resolve(import.meta.dirname, '../../render/fixtures/render');

/** Every file under `dir`, as bundle files sorted by path. */
export function readTree(dir: string): BundleFile[] {
  const out: BundleFile[] = [];
  const walk = (rel: string) => {
    for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const p = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(p);
      else out.push({ path: p, content: fs.readFileSync(path.join(dir, p)) });
    }
  };
  walk('');
  return out.sort((a, b) => (a.path < b.path ? -1 : 1));
}

/** A scratch dir holding `files`, as render-bundle.ts prepares it. */
export function workDirWith(files: readonly BundleFile[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-render-test-'));
  for (const f of files) {
    fs.mkdirSync(path.dirname(path.join(dir, f.path)), { recursive: true });
    fs.writeFileSync(path.join(dir, f.path), f.content);
  }
  return dir;
}

export function readOptions(caseDir: string): DeploymentOptions {
  const file = path.join(caseDir, 'options.yaml');
  return fs.existsSync(file) ? ((parse(fs.readFileSync(file, 'utf8')) ?? {}) as DeploymentOptions) : {};
}

export async function harnessTools(limits?: Partial<ToolSet['limits']>): Promise<ToolSet> {
  return resolveToolSet({ helm: await toolPath('helm'), kustomize: await toolPath('kustomize'), ...(limits ? { limits } : {}) });
}

/** Objects in a stable order (kind, namespace, name): what is deployed does not depend on output order. */
export function sortObjects<T extends { kind: string; metadata: { name?: string; generateName?: string; namespace?: string } }>(objects: T[]): T[] {
  const key = (o: T) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name ?? `${o.metadata.generateName}*`}`;
  return [...objects].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}
