/**
 * Git's pkt-line framing (gitprotocol-common): each packet is its length in
 * four hex digits (counting those four) and its payload; `0000` is a flush,
 * `0001` a delimiter (protocol v2). Pure.
 */
export const FLUSH = '0000';
export const DELIM = '0001';

export function pkt(line: string): string {
  const length = Buffer.byteLength(line) + 4;
  if (length > 65520) throw new Error('pkt-line too long');
  return length.toString(16).padStart(4, '0') + line;
}

/** The payloads of a pkt-line stream up to its first flush; throws on a malformed stream. */
export function readPackets(data: Buffer): string[] {
  const out: string[] = [];
  let at = 0;
  while (at + 4 <= data.length) {
    const head = data.toString('ascii', at, at + 4);
    if (!/^[0-9a-f]{4}$/.test(head)) throw new Error(`not a pkt-line stream at byte ${at}`);
    const length = parseInt(head, 16);
    if (length === 0) return out;
    if (length === 1 || length === 2) {
      at += 4;
      continue;
    }
    if (length < 4 || at + length > data.length) throw new Error(`truncated pkt-line at byte ${at}`);
    out.push(data.toString('utf8', at + 4, at + length));
    at += length;
  }
  throw new Error('pkt-line stream ends without a flush');
}
