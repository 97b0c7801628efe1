import { constants } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ToolExecutor } from './tool-exec.js';
import type { ToolLimits, ToolSet } from './tool-set.types.js';

export const DEFAULT_TOOL_LIMITS: ToolLimits = { timeoutMs: 60_000, maxOutputBytes: 64 * 1024 * 1024 };

export interface ResolveToolSetOptions {
  /** Path of helm; default $FLOTILLA_HELM, then `helm` on PATH. */
  helm?: string;
  /** Path of kustomize; default $FLOTILLA_KUSTOMIZE, then `kustomize` on PATH. */
  kustomize?: string;
  /** Default `<home>/.cache/flotilla/charts`. */
  chartCacheDir?: string;
  /** Overrides of {@link DEFAULT_TOOL_LIMITS}. */
  limits?: Partial<ToolLimits>;
  /** Where tools are started (e.g. `new ToolHost().exec`); default: spawned from this process. */
  exec?: ToolExecutor;
}

/**
 * The binaries to render with: explicit path > environment > found on PATH >
 * the bare name. Nothing fails here: a missing tool fails (ToolMissing) only
 * when a render needs it.
 */
export async function resolveToolSet(opts: ResolveToolSetOptions = {}): Promise<ToolSet> {
  const [helm, kustomize] = await Promise.all([
    resolveBinary('helm', opts.helm, process.env.FLOTILLA_HELM),
    resolveBinary('kustomize', opts.kustomize, process.env.FLOTILLA_KUSTOMIZE),
  ]);
  return {
    helm,
    kustomize,
    limits: { ...DEFAULT_TOOL_LIMITS, ...opts.limits },
    chartCacheDir: opts.chartCacheDir ?? path.join(os.homedir(), '.cache', 'flotilla', 'charts'),
    ...(opts.exec ? { exec: opts.exec } : {}),
  };
}

async function resolveBinary(name: string, explicit: string | undefined, fromEnv: string | undefined): Promise<string> {
  if (explicit) return explicit;
  if (fromEnv) return fromEnv;
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    if (await isExecutable(candidate)) return candidate;
  }
  return name;
}

async function isExecutable(file: string): Promise<boolean> {
  try {
    const stat = await fs.stat(file);
    if (!stat.isFile()) return false;
    await fs.access(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
