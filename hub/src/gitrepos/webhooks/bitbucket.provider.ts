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
  sha256Prefixed,
  stringAt,
  type RefChange,
} from './webhook-support.js';
import type { WebhookHeaders, WebhookProvider } from './webhook.types.js';

/**
 * Bitbucket Cloud sends X-Hook-UUID (the webhook) and X-Request-UUID (the
 * delivery); Bitbucket Server / Data Center sends X-Request-Id instead. Both
 * send X-Event-Key, so these headers tell them apart.
 */
export function isBitbucketCloud(headers: WebhookHeaders): boolean {
  return header(headers, 'x-hook-uuid') !== undefined || header(headers, 'x-request-uuid') !== undefined;
}

/**
 * Bitbucket Cloud (bitbucket.org): `X-Event-Key: repo:push` (every other
 * event ignored). A webhook with a secret (supported since 2023) signs the
 * body as `X-Hub-Signature: sha256=<hex>`; one without sends no signature.
 *
 * The payload gives only the web page (`repository.links.html.href`), so the
 * clone URLs users put in GitRepos are built from `repository.full_name`:
 * `https://bitbucket.org/<full_name>.git` and `git@bitbucket.org:<full_name>.git`.
 * Each `push.changes[]` entry has the ref after the push in `new` (null when
 * the ref was deleted; the name is then read from `old`, the push is still one).
 */
export const bitbucketProvider: WebhookProvider = {
  name: 'bitbucket',
  matches: (headers) => header(headers, 'x-event-key') !== undefined && isBitbucketCloud(headers),
  verify: (headers, body, secret) => hmacSha256Matches(body, secret, sha256Prefixed(header(headers, 'x-hub-signature'))),
  parse: (headers, body) => {
    if (eventName(headers, 'x-event-key') !== 'repo:push') return 'ignored';
    const root = parseJsonBody('bitbucket', headers, body);
    const repository = objectAt(root, 'repository');
    if (repository === undefined) throw missingField('bitbucket', 'repository');
    const fullName = stringAt(repository, 'full_name');
    const repoUrls = distinctUrls([
      stringAt(repository, 'links.html.href'),
      fullName === undefined ? undefined : `https://bitbucket.org/${fullName}.git`,
      fullName === undefined ? undefined : `git@bitbucket.org:${fullName}.git`,
    ]);
    if (repoUrls.length === 0) throw missingField('bitbucket', 'repository.full_name');
    const changes = arrayAt(root, 'push.changes');
    if (changes === undefined) throw missingField('bitbucket', 'push.changes');
    const refs: RefChange[] = [];
    for (const change of changes) {
      if (!isObject(change)) continue;
      const after = objectAt(change, 'new');
      const ref = after ?? objectAt(change, 'old');
      const name = ref === undefined ? undefined : stringAt(ref, 'name');
      const type = ref === undefined ? undefined : stringAt(ref, 'type');
      // Mercurial's named_branch / bookmark are gone from Bitbucket; skip anything else.
      if (name === undefined || (type !== 'branch' && type !== 'tag')) continue;
      refs.push({ kind: type, name, commit: after === undefined ? undefined : stringAt(after, 'target.hash') });
    }
    return pushEvent('bitbucket', repoUrls, refs);
  },
};
