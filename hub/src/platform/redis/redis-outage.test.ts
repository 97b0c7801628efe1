import { describe, expect, it } from 'vitest';
import { RedisOutage } from './redis-outage.js';

const ready = { ready: true, failing: false };
const closed = { ready: false, failing: false };
const failing = { ready: false, failing: true };

describe('RedisOutage', () => {
  it('reports one beginning for many failed attempts and one end with the duration', () => {
    const outage = new RedisOutage();
    expect(outage.update(ready, 0)).toBeUndefined();
    expect(outage.update(closed, 1000)).toBeUndefined();
    expect(outage.update(failing, 1050)).toEqual({ kind: 'began' });
    for (let t = 1100; t < 5000; t += 100) expect(outage.update(failing, t)).toBeUndefined();
    expect(outage.ongoing).toBe(true);
    expect(outage.update(ready, 6050)).toEqual({ kind: 'ended', downMs: 5000 });
    expect(outage.update(ready, 7000)).toBeUndefined();
    expect(outage.ongoing).toBe(false);
  });

  it('does not report a connection closed and re-established without a failed attempt', () => {
    const outage = new RedisOutage();
    outage.update(ready, 0);
    expect(outage.update(closed, 10)).toBeUndefined();
    expect(outage.update(ready, 20)).toBeUndefined();
  });

  it('does not report the first connection of a starting hub as an outage or a recovery', () => {
    const outage = new RedisOutage();
    expect(outage.update(failing, 0)).toBeUndefined();
    expect(outage.update(ready, 500)).toBeUndefined();
  });

  it('reports a second outage again', () => {
    const outage = new RedisOutage();
    outage.update(ready, 0);
    outage.update(failing, 1);
    outage.update(ready, 2);
    expect(outage.update(failing, 3)).toEqual({ kind: 'began' });
  });
});
