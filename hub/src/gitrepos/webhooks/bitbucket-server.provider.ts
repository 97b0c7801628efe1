import { isBitbucketCloud } from './bitbucket.provider.js';
import {
  arrayAt,
  distinctUrls,
  eventName,
  header,
  hmacSha256Matches,
  isObject,
  missingField,
  objectAt,
  parseJsonBody,
  pushEvent,
  refChange,
  sha256Prefixed,
  stringAt,
  type RefChange,
} from './webhook-support.js';
import type { WebhookProvider } from './webhook.types.js';

/** The `href` of every `{ href, name }` link in `repository.links.<kind>`. */
function linkHrefs(links: readonly unknown[] | undefined): (string | undefined)[] {
  return (links ?? []).map((link) => (isObject(link) ? stringAt(link, 'href') : undefined));
}

/**
 * Bitbucket Server / Data Center: `X-Event-Key: repo:refs_changed` for a push
 * (`diagnostics:ping` from "Test connection", pull-request and other events
 * ignored), `X-Request-Id` per delivery, and with a secret
 * `X-Hub-Signature: sha256=<hex>`. URLs come from
 * `repository.links.clone[].href` (http and ssh) and `links.self[].href`
 * (the browse page); refs from `changes[]`, where `ref.type` is BRANCH or TAG
 * and `toHash` is the new head (all zeros for a DELETE).
 */
export const bitbucketServerProvider: WebhookProvider = {
  name: 'bitbucket-server',
  matches: (headers) => header(headers, 'x-event-key') !== undefined && !isBitbucketCloud(headers),
  verify: (headers, body, secret) => hmacSha256Matches(body, secret, sha256Prefixed(header(headers, 'x-hub-signature'))),
  parse: (headers, body) => {
    if (eventName(headers, 'x-event-key') !== 'repo:refs_changed') return 'ignored';
    const root = parseJsonBody('bitbucket-server', headers, body);
    const repository = objectAt(root, 'repository');
    if (repository === undefined) throw missingField('bitbucket-server', 'repository');
    const repoUrls = distinctUrls([
      ...linkHrefs(arrayAt(repository, 'links.clone')),
      ...linkHrefs(arrayAt(repository, 'links.self')),
    ]);
    if (repoUrls.length === 0) throw missingField('bitbucket-server', 'repository.links.clone');
    const changes = arrayAt(root, 'changes');
    if (changes === undefined) throw missingField('bitbucket-server', 'changes');
    const refs: RefChange[] = [];
    for (const change of changes) {
      if (!isObject(change)) continue;
      const commit = stringAt(change, 'toHash');
      const type = stringAt(change, 'ref.type');
      const displayId = stringAt(change, 'ref.displayId');
      if (displayId !== undefined && (type === 'BRANCH' || type === 'TAG')) {
        refs.push({ kind: type === 'BRANCH' ? 'branch' : 'tag', name: displayId, commit });
        continue;
      }
      // Older payloads may lack `ref`; its full name is also in `refId`.
      const fromId = refChange(stringAt(change, 'ref.id') ?? stringAt(change, 'refId') ?? '', commit);
      if (fromId !== undefined) refs.push(fromId);
    }
    return pushEvent('bitbucket-server', repoUrls, refs);
  },
};
