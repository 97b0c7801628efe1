import { RenderError, type RenderErrorLocation } from '../render.error.js';
import { execToolHere, type ToolExecutor, type ToolName } from './tool-exec.js';
import { toolEnv } from './tool-env.js';
import { stderrMessage } from './tool-stderr.rules.js';
import type { ToolLimits, ToolSet } from './tool-set.types.js';

export type { ToolName } from './tool-exec.js';

export interface RunToolOptions {
  /** Working directory; the tool's HOME and Helm homes are created under `<cwd>/.home`. */
  cwd: string;
  limits: ToolLimits;
  signal?: AbortSignal;
  /** Added to the minimal environment. */
  env?: Record<string, string>;
  /** Where the process is started (ToolSet.exec); default: spawned from this process. */
  exec?: ToolExecutor;
  /** Reads a file and line out of a failed run's stderr (paths relative to the bundle). */
  locate?: (stderr: string) => RenderErrorLocation;
  /**
   * Explains a non-zero exit better than stderr alone (e.g. helm prints a repository's download failure
   * on stdout and a vaguer error on stderr); `undefined` falls back to the default HelmFailed/KustomizeFailed.
   */
  explain?: (run: { code: number | null; stdout: string; stderr: string }) => RenderError | undefined;
}

/** The run options every tool run of a ToolSet gets: its limits and where it starts. */
export function toolSetRunOptions(tools: ToolSet): Pick<RunToolOptions, 'limits' | 'exec'> {
  return { limits: tools.limits, ...(tools.exec ? { exec: tools.exec } : {}) };
}

/**
 * Runs `bin args` without a shell, in its own process group, which is killed
 * (SIGKILL) on timeout, abort or oversized output (tool-exec.ts). Resolves
 * with stdout and stderr of a zero exit; every failure is a RenderError (an
 * abort rejects with the signal's reason).
 */
export async function runTool(tool: ToolName, bin: string, args: string[], opts: RunToolOptions): Promise<{ stdout: Buffer; stderr: string }> {
  const env = toolEnv(opts.cwd, process.env.PATH, opts.env);
  const exec = opts.exec ?? execToolHere;
  const { code, signal, stdout, stderr } = await exec({ tool, bin, args, cwd: opts.cwd, env, limits: opts.limits }, opts.signal);
  if (code === 0) return { stdout, stderr };
  const explained = opts.explain?.({ code, stdout: stdout.toString('utf8'), stderr });
  if (explained) throw explained;
  const reason = tool === 'helm' ? 'HelmFailed' : 'KustomizeFailed';
  const how = signal ? `was killed by ${signal}` : `exited with ${code}`;
  const detail = stderrMessage(stderr) || how;
  throw new RenderError(reason, `${tool} ${args[0] ?? ''} failed: ${detail}`, opts.locate?.(stderr) ?? {});
}
