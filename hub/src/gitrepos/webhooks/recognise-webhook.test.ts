import { describe, expect, it } from 'vitest';
import { assertWebhookVerified, recogniseWebhook, verifyWebhook, WEBHOOK_BODY_LIMIT } from './recognise-webhook.js';
import { catchError, githubDelivery, githubPing, githubPush, hmacHex, OTHER_SECRET, SECRET, withHeaders } from './webhook.fixtures.js';
import { webhookProvider } from './webhook-provider.registry.js';

describe('recogniseWebhook', () => {
  it('refuses a delivery without any provider header, naming the headers it looks for', () => {
    for (const headers of [{}, { 'content-type': 'application/json', 'user-agent': 'curl/8.5.0' }, { 'x-github-event': '' }]) {
      const error = catchError(() => recogniseWebhook(headers, Buffer.from('{}')));
      expect(error).toMatchObject({ reason: 'UnknownProvider', name: 'WebhookError' });
      expect(error.message).toBe('no known webhook headers (X-GitHub-Event, X-Gitlab-Event, X-Gitea-Event, X-Gogs-Event, X-Event-Key)');
    }
  });

  it('returns the provider and its push', () => {
    const { headers, body } = githubDelivery(githubPush());
    const { provider, event } = recogniseWebhook(headers, body);
    expect(provider.name).toBe('github');
    expect(event).toMatchObject({ provider: 'github', branches: ['main'] });
  });

  it("returns 'ignored' for a ping", () => {
    const { headers, body } = githubDelivery(githubPing(), { event: 'ping' });
    expect(recogniseWebhook(headers, body)).toMatchObject({ provider: { name: 'github' }, event: 'ignored' });
  });

  it('refuses a body that is not JSON, naming the provider and the parse error', () => {
    const error = catchError(() => recogniseWebhook({ 'x-gitlab-event': 'Push Hook' }, Buffer.from('<html>')));
    expect(error.reason).toBe('InvalidPayload');
    expect(error.message).toMatch(/^gitlab: body is not JSON \(.*JSON.*\)$/);
    expect(error.cause).toBeInstanceOf(SyntaxError);
  });

  it('reads a body of exactly the limit and refuses one byte more', () => {
    const payload = JSON.stringify(githubPush());
    const atLimit = Buffer.from(payload.padEnd(WEBHOOK_BODY_LIMIT, ' '));
    expect(atLimit.length).toBe(WEBHOOK_BODY_LIMIT);
    expect(recogniseWebhook({ 'x-github-event': 'push' }, atLimit).event).toMatchObject({ branches: ['main'] });
    const error = catchError(() => recogniseWebhook({ 'x-github-event': 'push' }, Buffer.concat([atLimit, Buffer.from(' ')])));
    expect(error.reason).toBe('InvalidPayload');
    expect(error.message).toContain(`over the limit of ${1024 * 1024}`);
    expect(WEBHOOK_BODY_LIMIT).toBe(1024 * 1024);
  });
});

describe('verifyWebhook', () => {
  const github = webhookProvider('github');
  const { headers, body } = githubDelivery(githubPush());

  it('is true when any of the secrets verifies the delivery', () => {
    expect(verifyWebhook(github, headers, body, [OTHER_SECRET, SECRET])).toBe(true);
    expect(verifyWebhook(github, headers, body, [SECRET])).toBe(true);
  });

  it('is false for no secrets, empty secrets and wrong ones', () => {
    expect(verifyWebhook(github, headers, body, [])).toBe(false);
    expect(verifyWebhook(github, headers, body, [''])).toBe(false);
    expect(verifyWebhook(github, headers, body, [OTHER_SECRET, 'x'])).toBe(false);
  });

  it('never verifies with an empty secret, even a delivery signed with the empty key', () => {
    const emptyKey = { 'x-github-event': 'push', 'x-hub-signature-256': `sha256=${hmacHex('', body)}` };
    expect(verifyWebhook(github, emptyKey, body, [''])).toBe(false);
  });
});

describe('assertWebhookVerified', () => {
  const github = webhookProvider('github');
  const delivery = githubDelivery(githubPush());

  it('passes a delivery one of the secrets verifies', () => {
    expect(() => assertWebhookVerified(github, delivery.headers, delivery.body, [OTHER_SECRET, SECRET])).not.toThrow();
  });

  it('says SignatureMissing without the signature header, SignatureInvalid for a wrong one', () => {
    const unsigned = withHeaders(delivery, { 'x-hub-signature-256': undefined });
    expect(catchError(() => assertWebhookVerified(github, unsigned.headers, unsigned.body, [SECRET]))).toMatchObject({
      reason: 'SignatureMissing',
      message: 'github: the delivery has no x-hub-signature-256 header; give the webhook a secret',
    });
    expect(catchError(() => assertWebhookVerified(github, delivery.headers, delivery.body, [OTHER_SECRET]))).toMatchObject({ reason: 'SignatureInvalid' });
    expect(catchError(() => assertWebhookVerified(github, delivery.headers, delivery.body, []))).toMatchObject({ reason: 'SignatureInvalid' });
  });
});
