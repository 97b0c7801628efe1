import { describe, expect, it } from 'vitest';
import { giteaProvider } from './gitea.provider.js';
import { githubProvider } from './github.provider.js';
import { gogsProvider } from './gogs.provider.js';
import { recogniseWebhook } from './recognise-webhook.js';
import { AFTER, giteaDelivery, giteaPush, gogsDelivery, gogsPush, SECRET, withHeaders, ZERO_SHA } from './webhook.fixtures.js';
import { findWebhookProvider, WEBHOOK_PROVIDERS } from './webhook-provider.registry.js';

describe('Gitea and Gogs webhooks', () => {
  it('takes a Gitea delivery, which also carries X-Gogs-* and X-GitHub-* headers, for Gitea', () => {
    const { headers, body } = giteaDelivery(giteaPush());
    expect(headers['x-github-event']).toBe('push');
    expect(headers['x-gogs-event']).toBe('push');
    expect(findWebhookProvider(headers)?.name).toBe('gitea');
    expect(recogniseWebhook(headers, body)).toMatchObject({ provider: { name: 'gitea' }, event: { provider: 'gitea', commit: AFTER } });
    // Neither impostor claims it, and the registry asks Gitea first anyway.
    expect(githubProvider.matches(headers)).toBe(false);
    expect(gogsProvider.matches(headers)).toBe(false);
    const order = WEBHOOK_PROVIDERS.map((provider) => provider.name);
    expect(order.indexOf('gitea')).toBeLessThan(order.indexOf('gogs'));
    expect(order.indexOf('gogs')).toBeLessThan(order.indexOf('github'));
  });

  it('takes a Gogs delivery for Gogs, even one with GitHub headers too', () => {
    const delivery = gogsDelivery(gogsPush());
    expect(findWebhookProvider(delivery.headers)?.name).toBe('gogs');
    expect(findWebhookProvider(withHeaders(delivery, { 'x-github-event': 'push' }).headers)?.name).toBe('gogs');
  });

  it('verifies Gitea by X-Gitea-Signature alone', () => {
    const delivery = giteaDelivery(giteaPush());
    expect(giteaProvider.verify(delivery.headers, delivery.body, SECRET)).toBe(true);
    // Without its own header it does not fall back to the compatibility ones.
    expect(giteaProvider.verify(withHeaders(delivery, { 'x-gitea-signature': undefined }).headers, delivery.body, SECRET)).toBe(false);
    expect(giteaProvider.verify(withHeaders(delivery, { 'x-gitea-signature': delivery.headers['x-gitea-signature']?.toUpperCase() }).headers, delivery.body, SECRET)).toBe(true);
  });

  it('reads Gitea tag pushes and branch deletions', () => {
    const tag = giteaDelivery(giteaPush({ ref: 'refs/tags/release-7' }));
    expect(giteaProvider.parse(tag.headers, tag.body)).toMatchObject({ branches: [], tags: ['release-7'] });
    const deleted = giteaDelivery(giteaPush({ ref: 'refs/heads/feature/x', after: ZERO_SHA }));
    const event = giteaProvider.parse(deleted.headers, deleted.body);
    expect(event).toMatchObject({ branches: ['feature/x'] });
    expect(event).not.toHaveProperty('commit');
  });

  it('ignores Gitea and Gogs events other than push', () => {
    for (const event of ['create', 'delete', 'pull_request', 'release']) {
      expect(giteaProvider.parse(giteaDelivery({}, { event }).headers, Buffer.from(''))).toBe('ignored');
      expect(gogsProvider.parse(gogsDelivery({}, { event }).headers, Buffer.from(''))).toBe('ignored');
    }
  });
});
