import { describe, expect, it } from 'vitest';
import { signature, verifySignature } from './webhook.signing.js';

describe('webhook signatures', () => {
  const secret = 'a-very-secret-value';
  const body = '{"kind":"rollout.halted"}';
  it('verify over timestamp and body within the replay window', () => {
    const sig = signature(secret, 1_000_000, body);
    expect(sig).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(verifySignature(secret, sig, '1000000', body, 1_000_100)).toBe(true);
  });
  it('refuse another body, timestamp, secret, or a replay outside the window', () => {
    const sig = signature(secret, 1_000_000, body);
    expect(verifySignature(secret, sig, '1000000', `${body} `, 1_000_000)).toBe(false);
    expect(verifySignature(secret, sig, '1000001', body, 1_000_000)).toBe(false);
    expect(verifySignature('another-secret-value', sig, '1000000', body, 1_000_000)).toBe(false);
    expect(verifySignature(secret, sig, '1000000', body, 1_000_301)).toBe(false);
    expect(verifySignature(secret, undefined, '1000000', body, 1_000_000)).toBe(false);
    expect(verifySignature(secret, sig, 'soon', body, 1_000_000)).toBe(false);
  });
});
