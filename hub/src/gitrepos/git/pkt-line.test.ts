import { describe, expect, it } from 'vitest';
import { DELIM, FLUSH, pkt, readPackets } from './pkt-line.js';

describe('pkt-line', () => {
  it('frames a line with its length in hex, counting the four length digits', () => {
    expect(pkt('command=ls-refs\n')).toBe('0014command=ls-refs\n');
  });
  it('reads packets up to the flush, skipping delimiters', () => {
    const stream = Buffer.from(pkt('a b\n') + DELIM + pkt('c\n') + FLUSH + pkt('after\n'));
    expect(readPackets(stream)).toEqual(['a b\n', 'c\n']);
  });
  it('refuses a stream that is not pkt-lines, is truncated, or has no flush', () => {
    expect(() => readPackets(Buffer.from('<html>'))).toThrow(/not a pkt-line/);
    expect(() => readPackets(Buffer.from('0010abc'))).toThrow(/truncated/);
    expect(() => readPackets(Buffer.from(pkt('x\n')))).toThrow(/without a flush/);
  });
});
