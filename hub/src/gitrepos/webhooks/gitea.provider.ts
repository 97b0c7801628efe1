import { parseGitHubStylePush } from './github.provider.js';
import { eventName, header, hmacSha256Matches } from './webhook-support.js';
import type { WebhookProvider } from './webhook.types.js';

/**
 * Gitea (and Forgejo, which keeps the X-Gitea-* headers): `X-Gitea-Event: push`,
 * `X-Gitea-Signature: <hex HMAC-SHA256 of the raw body>` without a prefix,
 * and a GitHub-shaped payload. Gitea also sends X-Gogs-* and X-GitHub-*
 * headers for compatibility, so X-Gitea-Event decides before either.
 */
export const giteaProvider: WebhookProvider = {
  name: 'gitea',
  matches: (headers) => header(headers, 'x-gitea-event') !== undefined,
  verify: (headers, body, secret) => hmacSha256Matches(body, secret, header(headers, 'x-gitea-signature')),
  parse: (headers, body) =>
    eventName(headers, 'x-gitea-event') === 'push'
      ? parseGitHubStylePush('gitea', headers, body, ['clone_url', 'ssh_url', 'html_url'])
      : 'ignored',
};
