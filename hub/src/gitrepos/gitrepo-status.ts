/** One problem a sync found: a discovery warning or a bundle that could not be read, with where it is. */
export interface SyncIssue {
  path?: string;
  file?: string;
  line?: number;
  message: string;
}

export interface GitRepoBundleState {
  name: string;
  path: string;
  state: string;
  reason: string;
  message: string;
}

export interface GitRepoCondition {
  ready: boolean;
  reason: string;
  message: string;
}

/**
 * The GitRepo's Ready condition (pure): the last sync's failure first (the
 * bundles still hold the last good commit), then its bundles' rendering.
 */
export function gitRepoCondition(repo: { paused: boolean; syncReason: string; syncMessage: string }, bundles: GitRepoBundleState[]): GitRepoCondition {
  if (repo.paused) return { ready: false, reason: 'Paused', message: 'paused: new commits are not fetched until it is resumed' };
  if (repo.syncReason !== 'Synced') return { ready: false, reason: repo.syncReason, message: repo.syncMessage };
  const failed = bundles.filter((b) => b.state === 'Failed');
  if (failed.length) {
    const first = failed[0]!;
    const more = failed.length > 1 ? ` (and ${failed.length - 1} more bundle(s))` : '';
    return { ready: false, reason: 'RenderFailed', message: `bundle ${first.name} (${first.path}): ${first.message}${more}` };
  }
  const rendering = bundles.filter((b) => b.state === 'Rendering').length;
  if (rendering) return { ready: false, reason: 'Rendering', message: `${rendering} bundle(s) rendering` };
  // A sync that read some bundles but not others (an unreadable fleet.yaml) is Synced with issues: say so.
  if (repo.syncMessage) return { ready: false, reason: 'RenderFailed', message: repo.syncMessage };
  return { ready: true, reason: 'Ready', message: '' };
}
