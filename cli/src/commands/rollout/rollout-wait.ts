import type { BundleRollout } from './rollout-api.types.js';

/**
 * Exit codes of `rollout status --wait`, after cli.ts's 0 (done), 1 (error),
 * 2 (usage) and 3 (diff's drift): each end of a wait a script may want to
 * tell apart without parsing text.
 */
export const ROLLOUT_EXIT = {
  /** The rollout halted: clusters failed (promote past them, roll back, or fix and wait). */
  halted: 4,
  /** The rollout waits for a person: a partition needs approval, or the bundle is paused. */
  held: 5,
  /** `--timeout` passed first. */
  timeout: 6,
} as const;

/** How a wait ends: an exit code, and for any but 0 a reason and a message for stderr. */
export interface WaitEnd {
  code: number;
  reason?: string;
  message?: string;
}

/**
 * Whether a wait is over at this view of the rollout, and with which code.
 * Waiting, Progressing and OutsideWindow go on by themselves (a partition over
 * budget either recovers or reaches its progress deadline and halts), so the
 * wait goes on; AwaitingApproval and Paused do not, so they end it unless
 * `waitApproval` (someone else will promote or resume).
 */
export function waitEnd(view: BundleRollout, waitApproval: boolean): WaitEnd | undefined {
  const r = view.rollout;
  if (r === null) return { code: 0, message: `bundle "${view.bundle}" has no rollout: nothing to wait for` };
  const which = `rollout #${r.seq} of "${view.bundle}"`;
  const why = r.message ? `: ${r.message}` : '';
  switch (r.state) {
    case 'Completed':
      return { code: 0 };
    case 'Halted':
      return { code: ROLLOUT_EXIT.halted, reason: 'RolloutHalted', message: `${which} halted${why}` };
    case 'AwaitingApproval':
      if (waitApproval) return undefined;
      return { code: ROLLOUT_EXIT.held, reason: 'RolloutAwaitingApproval', message: `${which} waits for approval${why} (\`flotilla rollout promote ${view.bundle}\`)` };
    case 'Paused':
      if (waitApproval) return undefined;
      return { code: ROLLOUT_EXIT.held, reason: 'RolloutPaused', message: `${which} is paused by ${view.pausedBy.join(', ') || 'unknown'}${why}${resumeHint(view)}` };
    default:
      return undefined;
  }
}

function resumeHint(view: BundleRollout): string {
  const hints = view.pausedBy.map((by) =>
    by === 'api' ? `\`flotilla rollout resume ${view.bundle}\`` : by === 'gitRepo' ? '`flotilla rollout resume --gitrepo NAME`' : "remove fleet.yaml's paused",
  );
  return hints.length ? ` (${hints.join('; ')})` : '';
}

export interface WaitOptions {
  /** 0: no limit. */
  timeoutMs: number;
  /** The timeout as the user wrote it, for the message. */
  timeout: string;
  waitApproval: boolean;
  /** Time between two reads of the rollout (default 2 s). */
  intervalMs?: number;
  /** Called with every view whose entry, state or message differs from the last one. */
  onChange?: (view: BundleRollout) => void;
  /**
   * Whether a failed read is worth another (the hub restarting, a proxy's
   * 502) once a first read succeeded: the wait goes on, after `onRetry`; at
   * the deadline the error is thrown. Default: none is.
   */
  transient?: (error: unknown) => boolean;
  onRetry?: (error: unknown) => void;
  /** For tests: a clock and a sleep. */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** Reads the rollout until {@link waitEnd} says it is over or the timeout passes; returns the last view and how the wait ended. */
export async function waitForRollout(read: () => Promise<BundleRollout>, options: WaitOptions): Promise<{ view: BundleRollout; end: WaitEnd }> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const interval = options.intervalMs ?? 2000;
  const deadline = options.timeoutMs === 0 ? Infinity : now() + options.timeoutMs;
  let last: string | undefined;
  for (;;) {
    let view: BundleRollout;
    try {
      view = await read();
    } catch (error) {
      // The first read is never retried: a wrong hub or bundle should not take a timeout to say so.
      if (last === undefined || !options.transient?.(error) || deadline - now() <= 0) throw error;
      options.onRetry?.(error);
      await sleep(Math.min(interval, deadline - now()));
      continue;
    }
    const key = view.rollout ? `${view.rollout.seq} ${view.rollout.state} ${view.rollout.message}` : '';
    if (key !== last) options.onChange?.(view);
    last = key;
    const end = waitEnd(view, options.waitApproval);
    if (end) return { view, end };
    const left = deadline - now();
    if (left <= 0) {
      const r = view.rollout!;
      return { view, end: { code: ROLLOUT_EXIT.timeout, reason: 'WaitTimeout', message: `rollout #${r.seq} of "${view.bundle}" is still ${r.state} after ${options.timeout}${r.message ? `: ${r.message}` : ''}` } };
    }
    await sleep(Math.min(interval, left));
  }
}
