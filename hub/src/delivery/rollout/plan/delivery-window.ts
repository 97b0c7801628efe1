import { CronExpressionParser } from 'cron-parser';

/**
 * A delivery window (Fleet's Schedule: `schedule`, `duration`, `location`):
 * it opens at every time the cron expression names (5 fields, or 6 with
 * seconds first) in the time zone `location` (IANA, default UTC) and stays
 * open for `duration` (Go-style: "1h30m", "45m", "90s").
 */
export interface DeliveryWindow {
  schedule: string;
  duration: string;
  location?: string;
}

export class DeliveryWindowError extends Error {
  readonly reason = 'InvalidDeliveryWindow';
}

/** Go-style duration → milliseconds; undefined when malformed or zero. */
export function durationMs(text: string): number | undefined {
  const m = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(text.trim());
  if (!m || text.trim() === '') return undefined;
  const ms = ((Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0)) * 60 + Number(m[3] ?? 0)) * 1000;
  return ms > 0 ? ms : undefined;
}

/** The problem with a window, or undefined when it is valid (the API's and the planner's check). */
export function windowProblem(w: DeliveryWindow): { field: 'schedule' | 'duration' | 'location'; message: string } | undefined {
  if (durationMs(w.duration) === undefined) return { field: 'duration', message: `"${w.duration}" is not a duration such as "2h" or "1h30m"` };
  if (w.location !== undefined) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: w.location });
    } catch {
      return { field: 'location', message: `"${w.location}" is not an IANA time zone such as "Europe/Berlin"` };
    }
  }
  try {
    CronExpressionParser.parse(w.schedule, { tz: w.location ?? 'UTC', strict: false });
  } catch (error) {
    return { field: 'schedule', message: `"${w.schedule}" is not a cron expression: ${(error as Error).message}` };
  }
  return undefined;
}

export interface WindowState {
  open: boolean;
  /** When closed: when the next window opens. */
  nextOpen?: Date;
}

/**
 * Whether any window is open at `now` (pure given `now`): one is when its
 * latest start at or before `now` is less than `duration` ago. No windows:
 * always open. Invalid windows are refused by the API before they are stored.
 */
export function windowState(windows: readonly DeliveryWindow[], now: Date): WindowState {
  if (windows.length === 0) return { open: true };
  let nextOpen: Date | undefined;
  for (const w of windows) {
    const tz = w.location ?? 'UTC';
    const length = durationMs(w.duration);
    if (length === undefined) throw new DeliveryWindowError(`delivery window duration "${w.duration}" is not valid`);
    // A start exactly at `now` counts: look back from just after it.
    const last = CronExpressionParser.parse(w.schedule, { currentDate: new Date(now.getTime() + 1), tz }).prev().toDate();
    if (now.getTime() - last.getTime() < length) return { open: true };
    const next = CronExpressionParser.parse(w.schedule, { currentDate: now, tz }).next().toDate();
    if (!nextOpen || next < nextOpen) nextOpen = next;
  }
  return { open: false, ...(nextOpen ? { nextOpen } : {}) };
}
