import { describe, expect, it } from 'vitest';
import { countByState, reportedState } from './deployment-state.js';

describe('reportedState', () => {
  it('keeps WaitApplied while the agent reports an older revision', () => {
    expect(reportedState('r2', 'r1', 'Ready')).toBe('WaitApplied');
    expect(reportedState('r2', 'r2', 'Ready')).toBe('Ready');
  });
  it('shows apply errors whatever the revision', () => {
    expect(reportedState('r2', 'r1', 'ErrApplied')).toBe('ErrApplied');
  });
});

describe('countByState', () => {
  it('counts every state, zero included', () => {
    expect(countByState(['Ready', 'Ready', 'Modified'])).toMatchObject({ Ready: 2, Modified: 1, ErrApplied: 0 });
  });
});
