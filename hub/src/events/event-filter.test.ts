import { describe, expect, it } from 'vitest';
import { kindMatches, kindProblem } from './event-filter.js';

describe('event kind filters', () => {
  it('match exact kinds and prefixes; empty matches all', () => {
    expect(kindMatches('rollout.halted', ['rollout.*'])).toBe(true);
    expect(kindMatches('rollout.halted', ['rollout.completed', 'drift.detected'])).toBe(false);
    expect(kindMatches('drift.detected', ['drift.detected'])).toBe(true);
    expect(kindMatches('cluster.offline', [])).toBe(true);
  });
  it('refuse unknown kinds and prefixes that match none', () => {
    expect(kindProblem('rollout.*')).toBeUndefined();
    expect(kindProblem('deployment.errApplied')).toBeUndefined();
    expect(kindProblem('rollout.exploded')).toContain('is not an event kind');
    expect(kindProblem('pizza.*')).toContain('matches no event kind');
  });
});
