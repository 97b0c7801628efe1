import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SecretBox } from './secret-box.js';

const key = (id: string) => ({ id, key: randomBytes(32) });

describe('SecretBox', () => {
  it('opens what it sealed, and the sealed bytes do not contain the secret', () => {
    const box = new SecretBox([key('k1')]);
    const sealed = box.seal('hunter2-token', 'gitrepo:1:credentials');
    expect(sealed.includes(Buffer.from('hunter2'))).toBe(false);
    expect(box.open(sealed, 'gitrepo:1:credentials')).toBe('hunter2-token');
  });

  it('refuses a value moved to another context or altered', () => {
    const box = new SecretBox([key('k1')]);
    const sealed = box.seal('s', 'gitrepo:1:credentials');
    expect(() => box.open(sealed, 'gitrepo:2:credentials')).toThrow(/altered or moved/);
    const altered = Buffer.from(sealed);
    altered[altered.length - 20]! ^= 1;
    expect(() => box.open(altered, 'gitrepo:1:credentials')).toThrow(expect.objectContaining({ reason: 'SecretUnreadable' }));
    expect(() => box.open(Buffer.from('plain'), 'gitrepo:1:credentials')).toThrow(/not in the sealed format/);
  });

  it('rotates: the first key seals, older keys still open, and their values are stale', () => {
    const old = key('old');
    const sealedOld = new SecretBox([old]).seal('s', 'c');
    const box = new SecretBox([key('new'), old]);
    expect(box.open(sealedOld, 'c')).toBe('s');
    expect(box.isStale(sealedOld)).toBe(true);
    expect(box.isStale(box.seal('s', 'c'))).toBe(false);
    expect(() => new SecretBox([key('new')]).open(sealedOld, 'c')).toThrow(/sealed with key "old"/);
  });

  it('cannot seal without keys', () => {
    expect(() => new SecretBox([]).seal('s', 'c')).toThrow(expect.objectContaining({ reason: 'SecretKeysMissing' }));
  });
});
