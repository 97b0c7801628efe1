/**
 * How long ago `iso` was, as kubectl shows ages: `45s`, `12m`, `5h`, `3d`,
 * `2y` (the largest unit that gives at least 2, then truncated); `never` for
 * null. A time in the future (clock skew) counts as `0s`.
 */
export function formatAge(iso: string | null, now: Date = new Date()): string {
  if (iso === null) return 'never';
  const seconds = Math.max(0, Math.floor((now.getTime() - new Date(iso).getTime()) / 1000));
  if (Number.isNaN(seconds)) return 'unknown';
  const units: Array<[string, number]> = [['y', 365 * 86400], ['d', 86400], ['h', 3600], ['m', 60]];
  for (const [unit, size] of units) if (seconds >= 2 * size) return `${Math.floor(seconds / size)}${unit}`;
  return `${seconds}s`;
}
