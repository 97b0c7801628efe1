import { createHmac } from 'node:crypto';
import { WebhookError } from './webhook.error.js';
import type { PushEvent, WebhookProviderName } from './webhook.types.js';

/**
 * Real-shaped (trimmed) webhook deliveries for the webhook tests: the headers
 * each provider sends, and payloads following its documented examples.
 */

export const SECRET = 'flotilla-webhook-secret';
export const OTHER_SECRET = 'flotilla-webhook-secreT';
export const BEFORE = '6113728f27ae82c7b1a177c8d03f9e96e0adf246';
export const AFTER = '0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c';
export const ZERO_SHA = '0000000000000000000000000000000000000000';

export type Payload = Record<string, unknown>;

export interface Delivery {
  headers: Record<string, string>;
  body: Buffer;
}

export function hmacHex(secret: string, body: Buffer | string): string {
  return createHmac('sha256', secret).update(body).digest('hex');
}

export function jsonBody(payload: unknown): Buffer {
  return Buffer.from(JSON.stringify(payload), 'utf8');
}

/** The payload without one top-level field (`repository`, `project`…). */
export function without(payload: Payload, ...fields: string[]): Payload {
  const copy = { ...payload };
  for (const field of fields) delete copy[field];
  return copy;
}

/** The delivery with its headers changed: a string sets, undefined removes. */
export function withHeaders(delivery: Delivery, changes: Record<string, string | undefined>): Delivery {
  const headers = { ...delivery.headers };
  for (const [name, value] of Object.entries(changes)) {
    if (value === undefined) delete headers[name];
    else headers[name] = value;
  }
  return { headers, body: delivery.body };
}

/** The same headers over a body with one byte changed (a tampered delivery). */
export function tampered(delivery: Delivery): Delivery {
  const body = Buffer.from(delivery.body);
  const at = body.indexOf('main');
  body[at === -1 ? 0 : at] = 'M'.charCodeAt(0);
  return { headers: delivery.headers, body };
}

function commit(id: string, url: string) {
  return {
    id,
    tree_id: 'f9d2a07e9488b91af2641b26b9407fe22a451433',
    distinct: true,
    message: 'Bump the guestbook to 3 replicas\n',
    timestamp: '2025-05-12T09:14:03+02:00',
    url,
    author: { name: 'Ada Lovelace', email: 'ada@example.com', username: 'ada' },
    committer: { name: 'Ada Lovelace', email: 'ada@example.com', username: 'ada' },
    added: [],
    removed: [],
    modified: ['guestbook/fleet.yaml'],
  };
}

/** The WebhookError `run` throws (any other outcome fails the test). */
export function catchError(run: () => unknown): WebhookError {
  try {
    run();
  } catch (error) {
    if (error instanceof WebhookError) return error;
    throw error;
  }
  throw new Error('expected a WebhookError, nothing was thrown');
}

// ---------------------------------------------------------------- GitHub

export function githubPush(options: { ref?: string; after?: string } = {}): Payload {
  const after = options.after ?? AFTER;
  const deleted = after === ZERO_SHA;
  return {
    ref: options.ref ?? 'refs/heads/main',
    before: BEFORE,
    after,
    repository: {
      id: 186853002,
      node_id: 'MDEwOlJlcG9zaXRvcnkxODY4NTMwMDI=',
      name: 'Fleet-Examples',
      full_name: 'Flotilla-Org/Fleet-Examples',
      private: false,
      owner: { name: 'Flotilla-Org', login: 'Flotilla-Org', id: 21031067, type: 'Organization' },
      html_url: 'https://github.com/Flotilla-Org/Fleet-Examples',
      description: 'GitOps examples',
      fork: false,
      url: 'https://github.com/Flotilla-Org/Fleet-Examples',
      git_url: 'git://github.com/Flotilla-Org/Fleet-Examples.git',
      ssh_url: 'git@github.com:Flotilla-Org/Fleet-Examples.git',
      clone_url: 'https://github.com/Flotilla-Org/Fleet-Examples.git',
      svn_url: 'https://github.com/Flotilla-Org/Fleet-Examples',
      default_branch: 'main',
      master_branch: 'main',
    },
    pusher: { name: 'ada', email: 'ada@example.com' },
    sender: { login: 'ada', id: 583231, type: 'User' },
    created: false,
    deleted,
    forced: false,
    base_ref: null,
    compare: `https://github.com/Flotilla-Org/Fleet-Examples/compare/${BEFORE.slice(0, 12)}...${after.slice(0, 12)}`,
    commits: deleted ? [] : [commit(after, `https://github.com/Flotilla-Org/Fleet-Examples/commit/${after}`)],
    head_commit: deleted ? null : commit(after, `https://github.com/Flotilla-Org/Fleet-Examples/commit/${after}`),
  };
}

export function githubPing(): Payload {
  return {
    zen: 'Design for failure.',
    hook_id: 109948940,
    hook: { type: 'Repository', id: 109948940, name: 'web', active: true, events: ['push'], config: { content_type: 'json', insecure_ssl: '0', url: 'https://hub.example.com/api/v1/webhooks/git' } },
    repository: githubPush().repository,
    sender: { login: 'ada', id: 583231, type: 'User' },
  };
}

export function githubDelivery(payload: unknown, options: { event?: string; secret?: string } = {}): Delivery {
  const body = jsonBody(payload);
  const secret = options.secret ?? SECRET;
  return {
    headers: {
      'content-type': 'application/json',
      'user-agent': 'GitHub-Hookshot/5e4a1c1',
      'x-github-delivery': '72d3162e-cc78-11e3-81ab-4c9367dc0958',
      'x-github-event': options.event ?? 'push',
      'x-github-hook-id': '109948940',
      'x-github-hook-installation-target-id': '186853002',
      'x-github-hook-installation-target-type': 'repository',
      'x-hub-signature': `sha1=${createHmac('sha1', secret).update(body).digest('hex')}`,
      'x-hub-signature-256': `sha256=${hmacHex(secret, body)}`,
    },
    body,
  };
}

// ---------------------------------------------------------------- Gitea / Gogs

export function giteaPush(options: { ref?: string; after?: string } = {}): Payload {
  const after = options.after ?? AFTER;
  const owner = { id: 1, login: 'flotilla', full_name: '', email: 'ops@example.com', username: 'flotilla' };
  return {
    ref: options.ref ?? 'refs/heads/main',
    before: BEFORE,
    after,
    compare_url: `https://gitea.example.com/flotilla/fleet-examples/compare/${BEFORE}...${after}`,
    commits: [commit(after, `https://gitea.example.com/flotilla/fleet-examples/commit/${after}`)],
    total_commits: 1,
    head_commit: commit(after, `https://gitea.example.com/flotilla/fleet-examples/commit/${after}`),
    repository: {
      id: 12,
      owner,
      name: 'fleet-examples',
      full_name: 'flotilla/fleet-examples',
      description: '',
      empty: false,
      private: true,
      fork: false,
      html_url: 'https://gitea.example.com/flotilla/fleet-examples',
      ssh_url: 'ssh://git@gitea.example.com:2222/flotilla/fleet-examples.git',
      clone_url: 'https://gitea.example.com/flotilla/fleet-examples.git',
      website: '',
      default_branch: 'main',
    },
    pusher: owner,
    sender: owner,
  };
}

/** Gitea 1.2x's headers: its own, and Gogs' and GitHub's for compatibility. */
export function giteaDelivery(payload: unknown, options: { event?: string; secret?: string } = {}): Delivery {
  const body = jsonBody(payload);
  const secret = options.secret ?? SECRET;
  const event = options.event ?? 'push';
  const signature = hmacHex(secret, body);
  return {
    headers: {
      'content-type': 'application/json',
      'user-agent': 'Go-http-client/1.1',
      'x-github-delivery': 'f6266f16-1bf3-46a5-9ea4-602e06ead473',
      'x-github-event': event,
      'x-github-event-type': event,
      'x-gitea-delivery': 'f6266f16-1bf3-46a5-9ea4-602e06ead473',
      'x-gitea-event': event,
      'x-gitea-event-type': event,
      'x-gitea-signature': signature,
      'x-gogs-delivery': 'f6266f16-1bf3-46a5-9ea4-602e06ead473',
      'x-gogs-event': event,
      'x-gogs-event-type': event,
      'x-gogs-signature': signature,
      'x-hub-signature': `sha1=${createHmac('sha1', secret).update(body).digest('hex')}`,
      'x-hub-signature-256': `sha256=${signature}`,
    },
    body,
  };
}

export function gogsPush(options: { ref?: string; after?: string } = {}): Payload {
  const after = options.after ?? AFTER;
  const user = { id: 1, username: 'flotilla', login: 'flotilla', full_name: 'Flotilla', email: 'ops@example.com', avatar_url: '' };
  return {
    ref: options.ref ?? 'refs/heads/main',
    before: BEFORE,
    after,
    compare_url: `https://gogs.example.com/flotilla/fleet-examples/compare/${BEFORE}...${after}`,
    commits: [commit(after, `https://gogs.example.com/flotilla/fleet-examples/commit/${after}`)],
    repository: {
      id: 7,
      owner: user,
      name: 'fleet-examples',
      full_name: 'flotilla/fleet-examples',
      description: '',
      private: false,
      fork: false,
      html_url: 'https://gogs.example.com/flotilla/fleet-examples',
      ssh_url: 'git@gogs.example.com:flotilla/fleet-examples.git',
      clone_url: 'https://gogs.example.com/flotilla/fleet-examples.git',
      website: '',
      default_branch: 'main',
    },
    pusher: user,
    sender: user,
  };
}

export function gogsDelivery(payload: unknown, options: { event?: string; secret?: string } = {}): Delivery {
  const body = jsonBody(payload);
  return {
    headers: {
      'content-type': 'application/json',
      'user-agent': 'GogsServer',
      'x-gogs-delivery': '9f2a7a6c-0a8e-4d43-9d0b-6d3a4f8a1b2c',
      'x-gogs-event': options.event ?? 'push',
      'x-gogs-signature': hmacHex(options.secret ?? SECRET, body),
    },
    body,
  };
}

// ---------------------------------------------------------------- GitLab

export function gitlabPush(options: { ref?: string; after?: string; checkoutSha?: string | null; kind?: 'push' | 'tag_push' } = {}): Payload {
  const after = options.after ?? AFTER;
  const kind = options.kind ?? 'push';
  return {
    object_kind: kind,
    event_name: kind,
    before: BEFORE,
    after,
    ref: options.ref ?? 'refs/heads/main',
    ref_protected: true,
    checkout_sha: options.checkoutSha === undefined ? after : options.checkoutSha,
    message: null,
    user_id: 4,
    user_name: 'Ada Lovelace',
    user_username: 'ada',
    user_email: '',
    project_id: 15,
    project: {
      id: 15,
      name: 'Fleet Examples',
      description: 'GitOps examples',
      web_url: 'https://gitlab.example.com/platform/gitops/fleet-examples',
      avatar_url: null,
      git_ssh_url: 'git@gitlab.example.com:platform/gitops/fleet-examples.git',
      git_http_url: 'https://gitlab.example.com/platform/gitops/fleet-examples.git',
      namespace: 'gitops',
      visibility_level: 0,
      path_with_namespace: 'platform/gitops/fleet-examples',
      default_branch: 'main',
      ci_config_path: '',
      homepage: 'https://gitlab.example.com/platform/gitops/fleet-examples',
      url: 'git@gitlab.example.com:platform/gitops/fleet-examples.git',
      ssh_url: 'git@gitlab.example.com:platform/gitops/fleet-examples.git',
      http_url: 'https://gitlab.example.com/platform/gitops/fleet-examples.git',
    },
    commits: [commit(after, `https://gitlab.example.com/platform/gitops/fleet-examples/-/commit/${after}`)],
    total_commits_count: 1,
    push_options: {},
    repository: {
      name: 'Fleet Examples',
      url: 'git@gitlab.example.com:platform/gitops/fleet-examples.git',
      description: 'GitOps examples',
      homepage: 'https://gitlab.example.com/platform/gitops/fleet-examples',
      git_http_url: 'https://gitlab.example.com/platform/gitops/fleet-examples.git',
      git_ssh_url: 'git@gitlab.example.com:platform/gitops/fleet-examples.git',
      visibility_level: 0,
    },
  };
}

export function gitlabDelivery(payload: unknown, options: { event?: string; token?: string } = {}): Delivery {
  return {
    headers: {
      'content-type': 'application/json',
      'user-agent': 'GitLab/17.11.1',
      'x-gitlab-event': options.event ?? 'Push Hook',
      'x-gitlab-event-uuid': '13792a34-cac6-4fda-95a8-c58e00a3954e',
      'x-gitlab-instance': 'https://gitlab.example.com',
      'x-gitlab-token': options.token ?? SECRET,
      'x-gitlab-webhook-uuid': '1bd2e1d8-9a85-4e1f-9e40-7a5e2b9a3c61',
    },
    body: jsonBody(payload),
  };
}

// ---------------------------------------------------------------- Bitbucket Cloud

type BitbucketRef = { type: 'branch' | 'tag'; name: string; hash: string };

function bitbucketRef(ref: BitbucketRef) {
  return {
    type: ref.type,
    name: ref.name,
    target: {
      type: 'commit',
      hash: ref.hash,
      date: '2025-05-12T07:14:03+00:00',
      message: 'Bump the guestbook to 3 replicas\n',
      links: { html: { href: `https://bitbucket.org/flotilla/fleet-examples/commits/${ref.hash}` } },
    },
    links: { html: { href: `https://bitbucket.org/flotilla/fleet-examples/branch/${ref.name}` } },
  };
}

export function bitbucketPush(
  changes: { new: BitbucketRef | null; old: BitbucketRef | null }[] = [
    { new: { type: 'branch', name: 'main', hash: AFTER }, old: { type: 'branch', name: 'main', hash: BEFORE } },
  ],
): Payload {
  return {
    push: {
      changes: changes.map((change) => ({
        new: change.new === null ? null : bitbucketRef(change.new),
        old: change.old === null ? null : bitbucketRef(change.old),
        created: change.old === null,
        closed: change.new === null,
        forced: false,
        truncated: false,
        links: { html: { href: 'https://bitbucket.org/flotilla/fleet-examples/branches/compare' } },
        commits: [],
      })),
    },
    repository: {
      type: 'repository',
      full_name: 'flotilla/fleet-examples',
      name: 'fleet-examples',
      uuid: '{8c2f3a6e-1b4d-4c0a-9a3e-5f6d7c8b9a0e}',
      is_private: true,
      scm: 'git',
      links: {
        self: { href: 'https://api.bitbucket.org/2.0/repositories/flotilla/fleet-examples' },
        html: { href: 'https://bitbucket.org/flotilla/fleet-examples' },
        avatar: { href: 'https://bytebucket.org/ravatar/%7B8c2f3a6e%7D?ts=default' },
      },
      workspace: { type: 'workspace', slug: 'flotilla', name: 'Flotilla', uuid: '{1a2b3c4d-0000-4000-8000-000000000001}' },
      project: { type: 'project', key: 'OPS', name: 'Operations', uuid: '{1a2b3c4d-0000-4000-8000-000000000002}' },
    },
    actor: { type: 'user', display_name: 'Ada Lovelace', uuid: '{1a2b3c4d-0000-4000-8000-000000000003}', account_id: '557058:0000' },
  };
}

/** Bitbucket Cloud's headers; a webhook without a secret (`secret: null`) sends no X-Hub-Signature. */
export function bitbucketDelivery(payload: unknown, options: { event?: string; secret?: string | null } = {}): Delivery {
  const body = jsonBody(payload);
  const secret = options.secret === undefined ? SECRET : options.secret;
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'user-agent': 'Bitbucket-Webhooks/2.0',
    'x-attempt-number': '1',
    'x-event-key': options.event ?? 'repo:push',
    'x-hook-uuid': '{0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0}',
    'x-request-uuid': '{3b7c2a10-8f2d-4a55-b1e4-2c6d9e0f7a81}',
  };
  if (secret !== null) headers['x-hub-signature'] = `sha256=${hmacHex(secret, body)}`;
  return { headers, body };
}

// ---------------------------------------------------------------- Bitbucket Server / Data Center

type ServerChange = { id: string; displayId: string; type: 'BRANCH' | 'TAG'; toHash: string; change?: 'ADD' | 'UPDATE' | 'DELETE' };

export function bitbucketServerPush(
  changes: ServerChange[] = [{ id: 'refs/heads/main', displayId: 'main', type: 'BRANCH', toHash: AFTER }],
): Payload {
  return {
    eventKey: 'repo:refs_changed',
    date: '2025-05-12T09:14:03+0200',
    actor: { name: 'ada', emailAddress: 'ada@example.com', id: 1, displayName: 'Ada Lovelace', active: true, slug: 'ada', type: 'NORMAL' },
    repository: {
      slug: 'fleet-examples',
      id: 84,
      name: 'fleet-examples',
      hierarchyId: 'af05451fc94c9c4c6bfb',
      scmId: 'git',
      state: 'AVAILABLE',
      statusMessage: 'Available',
      forkable: true,
      project: { key: 'OPS', id: 84, name: 'Operations', public: false, type: 'NORMAL' },
      public: false,
      links: {
        clone: [
          { href: 'ssh://git@bitbucket.example.com:7999/ops/fleet-examples.git', name: 'ssh' },
          { href: 'https://bitbucket.example.com/scm/ops/fleet-examples.git', name: 'http' },
        ],
        self: [{ href: 'https://bitbucket.example.com/projects/OPS/repos/fleet-examples/browse' }],
      },
    },
    changes: changes.map((change) => ({
      ref: { id: change.id, displayId: change.displayId, type: change.type },
      refId: change.id,
      fromHash: change.change === 'ADD' ? ZERO_SHA : BEFORE,
      toHash: change.toHash,
      type: change.change ?? 'UPDATE',
    })),
  };
}

export function bitbucketServerDelivery(payload: unknown, options: { event?: string; secret?: string | null } = {}): Delivery {
  const body = jsonBody(payload);
  const secret = options.secret === undefined ? SECRET : options.secret;
  const headers: Record<string, string> = {
    'content-type': 'application/json; charset=utf-8',
    'user-agent': 'Atlassian HttpClient 4.2.0 / Bitbucket-8.19.1 (8019001) / Default',
    'x-event-key': options.event ?? 'repo:refs_changed',
    'x-request-id': 'b4f1d2c3-7a6e-4f5d-9c8b-1a2b3c4d5e6f',
  };
  if (secret !== null) headers['x-hub-signature'] = `sha256=${hmacHex(secret, body)}`;
  return { headers, body };
}

// ---------------------------------------------------------------- one table for the shared contract

export interface ProviderCase {
  name: WebhookProviderName;
  /** A signed push of branch main to AFTER. */
  push(): Delivery;
  /** A signed delivery of an event that is not a push (ping, issues…). */
  nonPush(): Delivery;
  /** A signed push whose body lacks the repository, and the field the error must name. */
  pushWithoutRepository(): Delivery;
  missingField: string;
  signatureHeader: string;
  /** False for GitLab: its token is the secret itself and signs nothing of the body. */
  signsBody: boolean;
  /** Values of the signature header that are not a signature at all. */
  malformedSignatures: string[];
  expected: PushEvent;
}

const HEX = hmacHex('anything', 'anything');
const HMAC_MALFORMED = ['z'.repeat(64), HEX.slice(0, 40), `${HEX}00`, `sha256=${HEX}`, ''];
const PREFIXED_MALFORMED = [`sha256=${'z'.repeat(64)}`, `sha256=${HEX.slice(0, 40)}`, `sha256=${HEX}00`, HEX, `sha1=${HEX.slice(0, 40)}`, 'sha256=', ''];

export const PROVIDER_CASES: readonly ProviderCase[] = [
  {
    name: 'github',
    push: () => githubDelivery(githubPush()),
    nonPush: () => githubDelivery(githubPing(), { event: 'ping' }),
    pushWithoutRepository: () => githubDelivery(without(githubPush(), 'repository')),
    missingField: 'repository',
    signatureHeader: 'x-hub-signature-256',
    signsBody: true,
    malformedSignatures: PREFIXED_MALFORMED,
    expected: {
      provider: 'github',
      repoUrls: [
        'https://github.com/Flotilla-Org/Fleet-Examples.git',
        'git@github.com:Flotilla-Org/Fleet-Examples.git',
        'https://github.com/Flotilla-Org/Fleet-Examples',
        'git://github.com/Flotilla-Org/Fleet-Examples.git',
      ],
      branches: ['main'],
      tags: [],
      commit: AFTER,
    },
  },
  {
    name: 'gitlab',
    push: () => gitlabDelivery(gitlabPush()),
    nonPush: () => gitlabDelivery({ object_kind: 'issue', event_type: 'issue', project: gitlabPush().project }, { event: 'Issue Hook' }),
    pushWithoutRepository: () => gitlabDelivery(without(gitlabPush(), 'project', 'repository')),
    missingField: 'project',
    signatureHeader: 'x-gitlab-token',
    signsBody: false,
    malformedSignatures: ['', `${SECRET} `.repeat(2), SECRET.slice(0, -1), SECRET.toUpperCase()],
    expected: {
      provider: 'gitlab',
      repoUrls: [
        'https://gitlab.example.com/platform/gitops/fleet-examples.git',
        'git@gitlab.example.com:platform/gitops/fleet-examples.git',
        'https://gitlab.example.com/platform/gitops/fleet-examples',
      ],
      branches: ['main'],
      tags: [],
      commit: AFTER,
    },
  },
  {
    name: 'gitea',
    push: () => giteaDelivery(giteaPush()),
    nonPush: () => giteaDelivery({ action: 'opened', number: 3, repository: giteaPush().repository }, { event: 'issues' }),
    pushWithoutRepository: () => giteaDelivery(without(giteaPush(), 'repository')),
    missingField: 'repository',
    signatureHeader: 'x-gitea-signature',
    signsBody: true,
    malformedSignatures: HMAC_MALFORMED,
    expected: {
      provider: 'gitea',
      repoUrls: [
        'https://gitea.example.com/flotilla/fleet-examples.git',
        'ssh://git@gitea.example.com:2222/flotilla/fleet-examples.git',
        'https://gitea.example.com/flotilla/fleet-examples',
      ],
      branches: ['main'],
      tags: [],
      commit: AFTER,
    },
  },
  {
    name: 'gogs',
    push: () => gogsDelivery(gogsPush()),
    nonPush: () => gogsDelivery({ ref: 'main', ref_type: 'branch', repository: gogsPush().repository }, { event: 'create' }),
    pushWithoutRepository: () => gogsDelivery(without(gogsPush(), 'repository')),
    missingField: 'repository',
    signatureHeader: 'x-gogs-signature',
    signsBody: true,
    malformedSignatures: HMAC_MALFORMED,
    expected: {
      provider: 'gogs',
      repoUrls: [
        'https://gogs.example.com/flotilla/fleet-examples.git',
        'git@gogs.example.com:flotilla/fleet-examples.git',
        'https://gogs.example.com/flotilla/fleet-examples',
      ],
      branches: ['main'],
      tags: [],
      commit: AFTER,
    },
  },
  {
    name: 'bitbucket',
    push: () => bitbucketDelivery(bitbucketPush()),
    nonPush: () => bitbucketDelivery({ repository: bitbucketPush().repository, pullrequest: { id: 1, title: 'x' } }, { event: 'pullrequest:created' }),
    pushWithoutRepository: () => bitbucketDelivery(without(bitbucketPush(), 'repository')),
    missingField: 'repository',
    signatureHeader: 'x-hub-signature',
    signsBody: true,
    malformedSignatures: PREFIXED_MALFORMED,
    expected: {
      provider: 'bitbucket',
      repoUrls: [
        'https://bitbucket.org/flotilla/fleet-examples',
        'https://bitbucket.org/flotilla/fleet-examples.git',
        'git@bitbucket.org:flotilla/fleet-examples.git',
      ],
      branches: ['main'],
      tags: [],
      commit: AFTER,
    },
  },
  {
    name: 'bitbucket-server',
    push: () => bitbucketServerDelivery(bitbucketServerPush()),
    nonPush: () => bitbucketServerDelivery({ test: true }, { event: 'diagnostics:ping' }),
    pushWithoutRepository: () => bitbucketServerDelivery(without(bitbucketServerPush(), 'repository')),
    missingField: 'repository',
    signatureHeader: 'x-hub-signature',
    signsBody: true,
    malformedSignatures: PREFIXED_MALFORMED,
    expected: {
      provider: 'bitbucket-server',
      repoUrls: [
        'ssh://git@bitbucket.example.com:7999/ops/fleet-examples.git',
        'https://bitbucket.example.com/scm/ops/fleet-examples.git',
        'https://bitbucket.example.com/projects/OPS/repos/fleet-examples/browse',
      ],
      branches: ['main'],
      tags: [],
      commit: AFTER,
    },
  },
];
