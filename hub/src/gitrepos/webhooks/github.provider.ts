import {
  distinctUrls,
  eventName,
  header,
  hmacSha256Matches,
  missingField,
  objectAt,
  parseJsonBody,
  pushEvent,
  refChange,
  sha256Prefixed,
  stringAt,
} from './webhook-support.js';
import type { PushEvent, WebhookHeaders, WebhookProvider, WebhookProviderName } from './webhook.types.js';

/**
 * Reads a push in GitHub's shape, which Gitea and Gogs copy: `ref`, `after`
 * and a `repository` carrying the URLs named in `urlFields`.
 */
export function parseGitHubStylePush(
  provider: WebhookProviderName,
  headers: WebhookHeaders,
  body: Buffer,
  urlFields: readonly string[],
): PushEvent {
  const root = parseJsonBody(provider, headers, body);
  const repository = objectAt(root, 'repository');
  if (repository === undefined) throw missingField(provider, 'repository');
  const repoUrls = distinctUrls(urlFields.map((field) => stringAt(repository, field)));
  if (repoUrls.length === 0) throw missingField(provider, `repository.${urlFields[0] ?? 'clone_url'}`);
  const ref = stringAt(root, 'ref');
  if (ref === undefined) throw missingField(provider, 'ref');
  const change = refChange(ref, stringAt(root, 'after'));
  return pushEvent(provider, repoUrls, change === undefined ? [] : [change]);
}

/**
 * GitHub (and GitHub Enterprise): `X-GitHub-Event: push` (`ping` on creation,
 * ignored with every other event), signed as
 * `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body>`. A branch
 * deletion is still a push (`deleted: true`, all-zero `after`).
 *
 * Gitea and Gogs send X-GitHub-* compatibility headers too; their own
 * X-Gitea-Event / X-Gogs-Event make such a delivery theirs, not GitHub's.
 */
export const githubProvider: WebhookProvider = {
  name: 'github',
  matches: (headers) =>
    header(headers, 'x-github-event') !== undefined &&
    header(headers, 'x-gitea-event') === undefined &&
    header(headers, 'x-gogs-event') === undefined,
  verify: (headers, body, secret) => hmacSha256Matches(body, secret, sha256Prefixed(header(headers, 'x-hub-signature-256'))),
  parse: (headers, body) =>
    eventName(headers, 'x-github-event') === 'push'
      ? parseGitHubStylePush('github', headers, body, ['clone_url', 'ssh_url', 'html_url', 'git_url'])
      : 'ignored',
};
