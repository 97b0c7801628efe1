import { describe, expect, it } from 'vitest';
import { desiredState, mustSend } from './desired-state.js';

const a = { deploymentId: 'a', bundleName: 'web', revision: 'r1', contentSize: 10 };
const b = { deploymentId: 'b', bundleName: 'db', revision: 'r1', contentSize: 10 };

describe('desiredState', () => {
  it('carries the database generation and sorts deployments by id', () => {
    const state = desiredState({ generation: 42n, assignments: [b, a] });
    expect(state.generation).toBe('42');
    expect(state.deployments.map((d) => d.deploymentId)).toEqual(['a', 'b']);
  });
});

describe('mustSend', () => {
  it('skips the first send when the agent already holds that generation', () => {
    expect(mustSend(7n, undefined, '7')).toBe(false);
    expect(mustSend(7n, undefined, '6')).toBe(true);
    // An agent that last talked to an older hub holds a hash: it gets the state once.
    expect(mustSend(7n, undefined, '22763fdd0bf13f2b21b3650e06668d16')).toBe(true);
    expect(mustSend(0n, undefined, '')).toBe(true);
  });
  it('after a send, sends only strictly newer generations', () => {
    expect(mustSend(8n, 7n, '')).toBe(true);
    expect(mustSend(7n, 7n, '')).toBe(false);
    expect(mustSend(6n, 7n, '')).toBe(false);
  });
});
