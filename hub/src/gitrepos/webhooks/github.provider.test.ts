import { describe, expect, it } from 'vitest';
import { githubProvider } from './github.provider.js';
import { AFTER, catchError, githubDelivery, githubPush, hmacHex, SECRET, without, withHeaders, ZERO_SHA } from './webhook.fixtures.js';

describe('GitHub webhooks', () => {
  it('computes X-Hub-Signature-256 as GitHub documents it (known answer)', () => {
    // docs.github.com "Validating webhook deliveries": this secret and payload give this signature.
    const headers = { 'x-github-event': 'push', 'x-hub-signature-256': 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17' };
    expect(githubProvider.verify(headers, Buffer.from('Hello, World!'), "It's a Secret to Everybody")).toBe(true);
    expect(githubProvider.verify(headers, Buffer.from('Hello, World?'), "It's a Secret to Everybody")).toBe(false);
  });

  it('accepts upper-case hex but not the right digest without its sha256= prefix', () => {
    const delivery = githubDelivery(githubPush());
    const hex = hmacHex(SECRET, delivery.body);
    expect(githubProvider.verify(withHeaders(delivery, { 'x-hub-signature-256': `sha256=${hex.toUpperCase()}` }).headers, delivery.body, SECRET)).toBe(true);
    expect(githubProvider.verify(withHeaders(delivery, { 'x-hub-signature-256': hex }).headers, delivery.body, SECRET)).toBe(false);
    // The legacy SHA-1 header alone is not enough.
    expect(githubProvider.verify(withHeaders(delivery, { 'x-hub-signature-256': undefined }).headers, delivery.body, SECRET)).toBe(false);
  });

  it('reads a tag push into tags', () => {
    const { headers, body } = githubDelivery(githubPush({ ref: 'refs/tags/v1.4.0' }));
    expect(githubProvider.parse(headers, body)).toMatchObject({ branches: [], tags: ['v1.4.0'], commit: AFTER });
  });

  it('keeps a deleted branch as a push without a commit', () => {
    const { headers, body } = githubDelivery(githubPush({ after: ZERO_SHA }));
    const event = githubProvider.parse(headers, body);
    expect(event).toMatchObject({ branches: ['main'], tags: [] });
    expect(event).not.toHaveProperty('commit');
  });

  it('reads a push of another kind of ref as touching no branch or tag', () => {
    const { headers, body } = githubDelivery(githubPush({ ref: 'refs/notes/commits' }));
    expect(githubProvider.parse(headers, body)).toMatchObject({ branches: [], tags: [] });
  });

  it('reads a form-encoded delivery (content type application/x-www-form-urlencoded)', () => {
    const body = Buffer.from(new URLSearchParams({ payload: JSON.stringify(githubPush()) }).toString());
    const headers = { ...githubDelivery(githubPush()).headers, 'content-type': 'application/x-www-form-urlencoded', 'x-hub-signature-256': `sha256=${hmacHex(SECRET, body)}` };
    expect(githubProvider.verify(headers, body, SECRET)).toBe(true);
    expect(githubProvider.parse(headers, body)).toMatchObject({ branches: ['main'], commit: AFTER });
    expect(catchError(() => githubProvider.parse(headers, Buffer.from('other=1')))).toMatchObject({ reason: 'InvalidPayload', field: 'payload' });
  });

  it('names the missing ref, and a repository without any URL', () => {
    const noRef = githubDelivery(without(githubPush(), 'ref'));
    expect(catchError(() => githubProvider.parse(noRef.headers, noRef.body))).toMatchObject({ reason: 'InvalidPayload', field: 'ref' });
    const bare = githubDelivery({ ...githubPush(), repository: { id: 1, name: 'x' } });
    const error = catchError(() => githubProvider.parse(bare.headers, bare.body));
    expect(error).toMatchObject({ field: 'repository.clone_url' });
    expect(error.message).toBe('github: push payload is missing "repository.clone_url"');
  });

  it('ignores other events without reading their body', () => {
    for (const event of ['ping', 'issues', 'create', 'pull_request']) {
      expect(githubProvider.parse({ 'x-github-event': event }, Buffer.from('not json'))).toBe('ignored');
    }
  });

  it('is not the provider of a delivery Gitea or Gogs sent with GitHub headers', () => {
    expect(githubProvider.matches({ 'x-github-event': 'push' })).toBe(true);
    expect(githubProvider.matches({ 'x-github-event': 'push', 'x-gitea-event': 'push' })).toBe(false);
    expect(githubProvider.matches({ 'x-github-event': 'push', 'x-gogs-event': 'push' })).toBe(false);
    expect(githubProvider.matches({ 'x-github-event': '  ' })).toBe(false);
  });
});
