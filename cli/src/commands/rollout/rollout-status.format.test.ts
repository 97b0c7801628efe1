import { describe, expect, it } from 'vitest';
import type { BundleRollout, PartitionStatus, Rollout } from './rollout-api.types.js';
import { formatHistory, formatRolloutStatus, shortId } from './rollout-status.format.js';

const now = new Date('2026-01-10T12:00:00Z');
const partition = (p: Partial<PartitionStatus> & { name: string }): PartitionStatus => ({
  state: 'Pending', count: 1, maxUnavailable: 0, unavailable: 1, failed: [], requireApproval: false, promoted: false, ...p,
});
const entry = (r: Partial<Rollout> = {}): Rollout => ({
  seq: 3, state: 'Halted', message: 'partition "canary": 1 of 1 cluster(s) failed (max unavailable 0): canary-1 ErrApplied',
  cause: 'change', commit: '', revision: `sha256:${'ab12'.repeat(16)}`, source: null,
  partitions: [
    partition({ name: 'canary', state: 'Halted', failed: [{ cluster: 'canary-1', state: 'ErrApplied', message: '' }, { cluster: 'canary-2', state: 'NotReady', message: 'not Ready within 600 s' }], count: 2, unavailable: 2 }),
    partition({ name: 'main', count: 12, unavailable: 12, maxUnavailable: 2, requireApproval: true }),
  ],
  promoted: [], outcome: {}, createdAt: '2026-01-10T11:58:00Z', completedAt: null, updatedAt: '2026-01-10T11:59:55Z', ...r,
});
const view = (v: Partial<BundleRollout> = {}): BundleRollout => ({ bundle: 'web', paused: false, pausedBy: [], pinned: null, strategy: {}, rollout: entry(), ...v });

describe('formatRolloutStatus', () => {
  it('shows a halted rollout: header, message, origin, partitions with their failed clusters under them', () => {
    expect(formatRolloutStatus(view(), now)).toBe(
      'bundle web: rollout #3 Halted\n' +
        'partition "canary": 1 of 1 cluster(s) failed (max unavailable 0): canary-1 ErrApplied\n' +
        'cause change, revision sha256:ab12ab12ab12, started 2m ago, updated 5s ago\n' +
        '\n' +
        'NAME     STATE     CLUSTERS   NOT-READY   MAX-UNAVAIL   APPROVAL\n' +
        'canary   Halted    2          2           0             <none>\n' +
        '  failed: canary-1 ErrApplied\n' +
        '  failed: canary-2 NotReady: not Ready within 600 s\n' +
        'main     Pending   12         12          2             required\n',
    );
  });

  it('says who paused it, where it is pinned, and which gates were passed', () => {
    const done = entry({
      state: 'Completed', message: '', commit: 'f'.repeat(40), completedAt: '2026-01-10T11:00:00Z', promoted: ['canary', 'main'],
      partitions: [partition({ name: 'canary', state: 'Done', unavailable: 0, promoted: true }), partition({ name: 'main', state: 'Done', unavailable: 0, requireApproval: true, promoted: true })],
    });
    const text = formatRolloutStatus(view({ paused: true, pausedBy: ['api', 'gitRepo'], pinned: { seq: 2, until: 'unpinned' }, rollout: done }), now);
    expect(text).toBe(
      'bundle web: rollout #3 Completed (paused by api, gitRepo; pinned to #2 until unpinned)\n' +
        'cause change, commit ffffffffffff, revision sha256:ab12ab12ab12, started 2m ago, completed 60m ago\n' +
        '\n' +
        'NAME     STATE   CLUSTERS   NOT-READY   MAX-UNAVAIL   APPROVAL\n' +
        'canary   Done    1          0           0             promoted\n' +
        'main     Done    1          0           0             approved\n',
    );
  });

  it('says how far off the next delivery window is', () => {
    const outside = entry({ state: 'OutsideWindow', message: 'outside every delivery window; the next opens at 2026-01-10T15:00:00.000Z', waitUntil: '2026-01-10T15:00:00.000Z' });
    expect(formatRolloutStatus(view({ rollout: outside }), now).split('\n').slice(0, 3)).toEqual([
      'bundle web: rollout #3 OutsideWindow',
      'outside every delivery window; the next opens at 2026-01-10T15:00:00.000Z',
      'cause change, revision sha256:ab12ab12ab12, started 2m ago, updated 5s ago, next window in 3h',
    ]);
  });

  it('says so when there is no rollout, or no partition', () => {
    expect(formatRolloutStatus(view({ rollout: null }), now)).toBe('bundle web: no rollout yet\n');
    expect(formatRolloutStatus(view({ rollout: entry({ state: 'Completed', message: '', partitions: [] }) }), now)).toContain('\nno partitions: the bundle targets no cluster\n');
  });
});

describe('formatHistory', () => {
  it('lists entries newest first with short ids, a directory bundle by its source', () => {
    const items = [entry({ seq: 4, state: 'Progressing', cause: 'rollback to #2' }), entry({ seq: 2, state: 'Completed', commit: 'a'.repeat(40), revision: null, source: `sha256:${'c'.repeat(64)}`, createdAt: '2026-01-07T12:00:00Z' })];
    expect(formatHistory(items, now)).toBe(
      'SEQ   STATE         CAUSE            COMMIT         REVISION              CREATED\n' +
        '#4    Progressing   rollback to #2   <none>         sha256:ab12ab12ab12   2m\n' +
        '#2    Completed     change           aaaaaaaaaaaa   sha256:cccccccccccc   3d\n',
    );
  });
  it('keeps short and non-hex ids whole', () => {
    expect([shortId('abc123'), shortId('main'), shortId('sha256:m')]).toEqual(['abc123', 'main', 'sha256:m']);
  });
});
