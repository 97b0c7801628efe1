/** Truncation of the human-readable text of a report (see `report.limits.ts`). Pure. */

const TRUNCATED = '… (truncated)';

/** `text` cut to at most `max` characters, ending with "… (truncated)" when it was cut. */
export function clipText(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${cutAt(text, max - TRUNCATED.length)}${TRUNCATED}`;
}

/**
 * The JSON text of a diff value cut to at most `max` characters. A cut value
 * is still JSON: a string holding the start of the original JSON text and
 * "… (truncated, N characters)", so clients that parse diff values keep
 * working.
 */
export function clipJson(json: string, max: number): string {
  if (json.length <= max) return json;
  const suffix = `… (truncated, ${json.length} characters)`;
  // Escaping (quotes, backslashes) makes the JSON string longer than its
  // content; shrink the kept part by the excess until it fits.
  let keep = max - suffix.length - 2;
  for (;;) {
    const clipped = JSON.stringify(`${cutAt(json, keep)}${suffix}`);
    if (clipped.length <= max || keep <= 0) return clipped;
    keep -= clipped.length - max;
  }
}

/** The first `n` characters of `text`, without splitting a surrogate pair. */
function cutAt(text: string, n: number): string {
  const end = Math.max(0, n);
  const last = text.charCodeAt(end - 1);
  return last >= 0xd800 && last <= 0xdbff ? text.slice(0, end - 1) : text.slice(0, end);
}
