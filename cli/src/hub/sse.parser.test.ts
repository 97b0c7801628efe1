import { describe, expect, it } from 'vitest';
import { SseParser } from './sse.parser.js';

describe('SseParser', () => {
  it('yields complete records across chunk boundaries, skipping comments and retry', () => {
    const p = new SseParser();
    expect(p.push('retry: 2000\n\n: ping\n\nid: 7\nevent: rollout.halted\nda')).toEqual([]);
    expect(p.push('ta: {"a":1}\n\nid: 8\r\ndata: line1\r\ndata: line2\r\n\r\n')).toEqual([
      { id: '7', event: 'rollout.halted', data: '{"a":1}' },
      { id: '8', event: 'message', data: 'line1\nline2' },
    ]);
  });
});
