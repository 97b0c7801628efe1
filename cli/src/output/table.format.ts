/**
 * Rows as kubectl prints them: upper-case headers, columns padded to their
 * widest cell and three spaces apart, no borders; the last column unpadded.
 * Empty cells print as `<none>`.
 */
export function formatTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const cells = [headers, ...rows.map((row) => row.map((cell) => (cell === '' ? '<none>' : cell)))];
  const widths = headers.map((_, i) => Math.max(...cells.map((row) => (row[i] ?? '').length)));
  const line = (row: readonly string[]) =>
    row
      .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!)))
      .join('   ')
      .trimEnd();
  return `${cells.map(line).join('\n')}\n`;
}
