import { describe, expect, it } from 'vitest';
import { CredentialCache } from './credential.cache.js';

const TTL = 60_000;
const cred = { hash: 'h1', name: 'one' };

function cached(subscription: number | undefined): CredentialCache {
  const cache = new CredentialCache(TTL);
  cache.set('c1', cred, cache.ticket(subscription), subscription, 0);
  return cache;
}

describe('CredentialCache', () => {
  it('answers from the cache within the TTL of one subscription', () => {
    const cache = cached(1);
    expect(cache.get('c1', 1, TTL - 1)).toMatchObject(cred);
    expect(cache.get('c1', 1, TTL)).toBeUndefined();
  });

  it('caches nothing and answers nothing while events are not received', () => {
    const cache = cached(undefined);
    expect(cache.size).toBe(0);
    expect(cache.get('c1', undefined, 1)).toBeUndefined();
  });

  it('drops everything when the subscription is lost, and does not bring it back with the same id', () => {
    const cache = cached(1);
    expect(cache.get('c1', undefined, 1)).toBeUndefined();
    expect(cache.size).toBe(0);
    expect(cache.get('c1', 1, 2)).toBeUndefined();
  });

  it('drops everything when a new subscription begins (events of the gap may be missed)', () => {
    const cache = cached(1);
    expect(cache.get('c1', 2, 1)).toBeUndefined();
  });

  it('forgets a revoked cluster and does not cache a lookup that raced with the revocation', () => {
    const cache = new CredentialCache(TTL);
    const ticket = cache.ticket(1);
    cache.revoked('c1');
    cache.set('c1', cred, ticket, 1, 0);
    expect(cache.get('c1', 1, 1)).toBeUndefined();
  });

  it('does not cache a lookup that began under another subscription', () => {
    const cache = new CredentialCache(TTL);
    const ticket = cache.ticket(1);
    cache.set('c1', cred, ticket, 2, 0);
    expect(cache.get('c1', 2, 1)).toBeUndefined();
    const during = cache.ticket(undefined);
    cache.set('c1', cred, during, 3, 0);
    expect(cache.get('c1', 3, 1)).toBeUndefined();
  });
});
