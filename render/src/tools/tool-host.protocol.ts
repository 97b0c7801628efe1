import type { RenderErrorReason } from '../render.error.js';
import type { ToolExit, ToolRun } from './tool-exec.js';

/** From the parent to the tool host. */
export type HostRequest = { type: 'run'; id: number; run: ToolRun } | { type: 'abort'; id: number };

/** From the tool host: a run's exit, or why it did not exit normally. */
export interface HostReply {
  id: number;
  exit?: ToolExit;
  error?: { renderError: { reason: RenderErrorReason; message: string } } | { message: string; code?: string };
}
