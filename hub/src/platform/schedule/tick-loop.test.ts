import { describe, expect, it } from 'vitest';
import { TickLoop } from './tick-loop.js';

describe('TickLoop', () => {
  it('never runs two ticks at once, and logs a failed tick instead of throwing', async () => {
    const warnings: string[] = [];
    let release!: () => void;
    let calls = 0;
    const loop = new TickLoop('test scheduling', 1000, async () => {
      calls++;
      if (calls === 1) await new Promise<void>((r) => (release = r));
      if (calls === 2) throw new Error('database gone');
      return 7;
    }, { warn: (m: string) => void warnings.push(m) });
    const first = loop.run();
    expect(await loop.run()).toBe(0); // overlaps the first: skipped
    release();
    expect(await first).toBe(7);
    expect(await loop.run()).toBe(0);
    expect(warnings).toEqual(['test scheduling failed: database gone']);
    expect(await loop.run()).toBe(7);
    expect(calls).toBe(3);
  });
});
