import type { ToolExecutor } from './tool-exec.js';

/** The external binaries rendering runs, and the bounds every run gets. */
export interface ToolSet {
  /** Absolute path of the helm binary (v3). */
  helm: string;
  /** Absolute path of the kustomize binary (v5). */
  kustomize: string;
  limits: ToolLimits;
  /** Directory where fetched charts are cached by digest; created on first use. */
  chartCacheDir: string;
  /** Where tools are started; default: spawned from this process (the hub uses a ToolHost). */
  exec?: ToolExecutor;
}

export interface ToolLimits {
  /** Wall-clock limit of one tool run, in ms. Default 60,000. */
  timeoutMs: number;
  /** Bound on one tool run's stdout (and on stderr kept for messages), in bytes. Default 64 MiB. */
  maxOutputBytes: number;
}
