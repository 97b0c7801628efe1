import { describe, expect, it } from 'vitest';
import { gitRepoCondition } from './gitrepo-status.js';

const synced = { paused: false, syncReason: 'Synced', syncMessage: '' };
const bundle = (name: string, state: string, message = '') => ({ name, path: name, state, reason: state === 'Failed' ? 'HelmFailed' : '', message });

describe('gitRepoCondition', () => {
  it('is Ready when synced and every bundle rendered', () => {
    expect(gitRepoCondition(synced, [bundle('a', 'Rendered')])).toEqual({ ready: true, reason: 'Ready', message: '' });
  });
  it('says Paused before anything else', () => {
    expect(gitRepoCondition({ ...synced, paused: true, syncReason: 'FetchFailed' }, []).reason).toBe('Paused');
  });
  it("reports the last sync's failure (its bundles keep the last good commit)", () => {
    expect(gitRepoCondition({ paused: false, syncReason: 'AuthFailed', syncMessage: 'fatal: Authentication failed' }, [bundle('a', 'Rendered')])).toEqual({
      ready: false,
      reason: 'AuthFailed',
      message: 'fatal: Authentication failed',
    });
  });
  it('names the first failed bundle and counts the others', () => {
    const c = gitRepoCondition(synced, [bundle('a', 'Rendered'), bundle('b', 'Failed', 'Chart.yaml:3: bad'), bundle('c', 'Failed', 'x')]);
    expect(c).toEqual({ ready: false, reason: 'RenderFailed', message: 'bundle b (b): Chart.yaml:3: bad (and 1 more bundle(s))' });
  });
  it('is not ready while bundles render, or when a bundle could not be read', () => {
    expect(gitRepoCondition(synced, [bundle('a', 'Rendering')]).reason).toBe('Rendering');
    expect(gitRepoCondition({ ...synced, syncMessage: 'b/fleet.yaml:2: helm.values: expected object' }, [bundle('a', 'Rendered')])).toEqual({
      ready: false,
      reason: 'RenderFailed',
      message: 'b/fleet.yaml:2: helm.values: expected object',
    });
  });
});
