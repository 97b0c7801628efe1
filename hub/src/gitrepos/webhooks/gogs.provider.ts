import { parseGitHubStylePush } from './github.provider.js';
import { eventName, header, hmacSha256Matches } from './webhook-support.js';
import type { WebhookProvider } from './webhook.types.js';

/**
 * Gogs: `X-Gogs-Event: push`, `X-Gogs-Signature: <hex HMAC-SHA256 of the raw
 * body>`, a GitHub-shaped payload. Gitea sends X-Gogs-* headers as well; a
 * delivery with X-Gitea-Event is Gitea's.
 */
export const gogsProvider: WebhookProvider = {
  name: 'gogs',
  matches: (headers) => header(headers, 'x-gogs-event') !== undefined && header(headers, 'x-gitea-event') === undefined,
  verify: (headers, body, secret) => hmacSha256Matches(body, secret, header(headers, 'x-gogs-signature')),
  parse: (headers, body) =>
    eventName(headers, 'x-gogs-event') === 'push'
      ? parseGitHubStylePush('gogs', headers, body, ['clone_url', 'ssh_url', 'html_url'])
      : 'ignored',
};
