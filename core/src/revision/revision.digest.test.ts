import { describe, expect, it } from 'vitest';
import { isRevision, revisionDigest, revisionOf } from './revision.digest.js';

describe('revision digest', () => {
  it('is sha256 of the content', () => {
    const revision = revisionOf(Buffer.from('[]'));
    expect(revision).toBe('sha256:4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945');
    expect(isRevision(revision)).toBe(true);
    expect(revisionDigest(revision)).toBe(revision.slice('sha256:'.length));
  });

  it.each(['sha256:abc', 'sha1:' + 'a'.repeat(64), 'sha256:' + 'A'.repeat(64), ''])('rejects %j', (revision) => {
    expect(isRevision(revision)).toBe(false);
    expect(revisionDigest(revision)).toBeUndefined();
  });
});
