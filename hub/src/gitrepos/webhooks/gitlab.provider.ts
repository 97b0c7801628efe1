import {
  distinctUrls,
  eventName,
  header,
  missingField,
  objectAt,
  parseJsonBody,
  pushEvent,
  refChange,
  stringAt,
  tokenMatches,
  type JsonObject,
} from './webhook-support.js';
import type { PushEvent, WebhookProvider } from './webhook.types.js';

const PROJECT_URLS = ['git_http_url', 'git_ssh_url', 'web_url', 'http_url', 'ssh_url', 'url'] as const;
const REPOSITORY_URLS = ['git_http_url', 'git_ssh_url', 'homepage', 'url'] as const;

function parsePush(root: JsonObject): PushEvent {
  const project = objectAt(root, 'project');
  const repository = objectAt(root, 'repository');
  if (project === undefined && repository === undefined) throw missingField('gitlab', 'project');
  const repoUrls = distinctUrls([
    ...PROJECT_URLS.map((field) => (project === undefined ? undefined : stringAt(project, field))),
    ...REPOSITORY_URLS.map((field) => (repository === undefined ? undefined : stringAt(repository, field))),
  ]);
  if (repoUrls.length === 0) throw missingField('gitlab', 'project.git_http_url');
  const ref = stringAt(root, 'ref');
  if (ref === undefined) throw missingField('gitlab', 'ref');
  // checkout_sha is the commit the ref now points at (for a tag: the tagged
  // commit); it is null when the ref was deleted, and `after` is all zeros.
  const change = refChange(ref, stringAt(root, 'checkout_sha') ?? stringAt(root, 'after'));
  return pushEvent('gitlab', repoUrls, change === undefined ? [] : [change]);
}

/**
 * GitLab: `X-Gitlab-Event: Push Hook` or `Tag Push Hook` (every other hook
 * ignored), authenticated by `X-Gitlab-Token` carrying the secret itself.
 * The token proves the sender knows the secret but covers nothing of the
 * body: serve the endpoint over HTTPS only. A system hook
 * (`X-Gitlab-Event: System Hook`) with `object_kind` push or tag_push carries
 * the same payload and is read the same way.
 */
export const gitlabProvider: WebhookProvider = {
  name: 'gitlab',
  matches: (headers) => header(headers, 'x-gitlab-event') !== undefined,
  verify: (headers, _body, secret) => tokenMatches(header(headers, 'x-gitlab-token'), secret),
  parse: (headers, body) => {
    const event = eventName(headers, 'x-gitlab-event');
    if (event === 'push hook' || event === 'tag push hook') return parsePush(parseJsonBody('gitlab', headers, body));
    if (event === 'system hook') {
      const root = parseJsonBody('gitlab', headers, body);
      const kind = stringAt(root, 'object_kind') ?? stringAt(root, 'event_name');
      return kind === 'push' || kind === 'tag_push' ? parsePush(root) : 'ignored';
    }
    return 'ignored';
  },
};
