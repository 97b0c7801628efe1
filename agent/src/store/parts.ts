/** Splits `data` into parts of at most `size` bytes (at least one part, possibly empty). */
export function splitParts(data: Buffer, size: number): Buffer[] {
  if (size <= 0) throw new Error('part size must be positive');
  const parts: Buffer[] = [];
  for (let offset = 0; offset < data.length; offset += size) parts.push(data.subarray(offset, offset + size));
  return parts.length ? parts : [Buffer.alloc(0)];
}

/** Joins parts given in any order as `[index, bytes]`; throws when one is missing. */
export function joinParts(parts: [number, Buffer][], count: number): Buffer {
  const ordered = new Array<Buffer | undefined>(count);
  for (const [index, bytes] of parts) if (index >= 0 && index < count) ordered[index] = bytes;
  const missing = ordered.findIndex((p) => p === undefined);
  if (missing >= 0 || ordered.length !== count) throw new Error(`part ${missing} of ${count} is missing`);
  return Buffer.concat(ordered as Buffer[]);
}
