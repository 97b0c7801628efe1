import { describe, expect, it } from 'vitest';
import { deploysAtOnce } from './rollout-strategy.js';

describe('deploysAtOnce', () => {
  const none = { strategy: {}, paused: false, dependsOn: [], windows: [] };
  it('only when nothing could hold a cluster back', () => {
    expect(deploysAtOnce(none)).toBe(true);
    expect(deploysAtOnce({ ...none, strategy: { maxUnavailable: '100%', maxNew: 5, autoPartitionSize: '10%' } })).toBe(true);
    expect(deploysAtOnce({ ...none, strategy: { maxUnavailable: '50%' } })).toBe(false);
    expect(deploysAtOnce({ ...none, strategy: { maxUnavailable: 0 } })).toBe(false);
    expect(deploysAtOnce({ ...none, strategy: { partitions: [{ name: 'a', clusterName: 'x' }] } })).toBe(false);
    expect(deploysAtOnce({ ...none, paused: true })).toBe(false);
    expect(deploysAtOnce({ ...none, dependsOn: [{ name: 'db' }] })).toBe(false);
    expect(deploysAtOnce({ ...none, windows: [{ schedule: '0 22 * * *', duration: '2h' }] })).toBe(false);
  });
});
