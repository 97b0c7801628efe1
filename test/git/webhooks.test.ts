import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query } from '../support/database.ts';
import { eventually } from '../support/eventually.ts';
import { createRepo, startSmartHttpServer, type SmartHttpServer, type TestRepo } from '../support/git-server.ts';
import { startHub, type TestHub } from '../support/hub.ts';

/**
 * Push webhooks (`POST /api/v1/webhooks/git`) against a real hub and real Git
 * served over smart HTTP: a delivery signed with a GitRepo's own
 * webhookSecret makes that GitRepo fetch at once (its polling is off); a
 * forged, unsigned or tampered delivery, one for a repository or branch no
 * GitRepo follows, an unrecognised one and a ping fetch nothing — observed
 * on the Git server (no request for the repository), in the database (no
 * sync requested) and in the GitRepo's commit; the secret never leaves the
 * hub in clear.
 */
let hub: TestHub;
let root: string;
let git: SmartHttpServer;
const repos: TestRepo[] = [];
/** Every webhook secret given to the hub: none may appear in its logs or API. */
const secrets: string[] = [];

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'flotilla-webhooks-'));
  [hub, git] = await Promise.all([startHub(), startSmartHttpServer({ root })]);
}, 120_000);
afterAll(async () => {
  await hub?.dispose();
  await git?.close();
  for (const r of repos) await r.dispose();
  if (root) await rm(root, { recursive: true, force: true });
});

// ---------------------------------------------------------------- deliveries

interface Delivery {
  headers: Record<string, string>;
  body: Buffer;
}

const hmacHex = (secret: string, body: Buffer) => createHmac('sha256', secret).update(body).digest('hex');
const json = (payload: unknown) => Buffer.from(JSON.stringify(payload), 'utf8');

/** A GitHub push of `ref` to `sha` for the repository cloned from `url`, signed (X-Hub-Signature-256) with `secret`. */
function githubPush(url: string, sha: string, secret: string, options: { ref?: string; event?: string; extra?: Record<string, unknown> } = {}): Delivery {
  const web = url.replace(/\.git$/, '');
  const body = json({
    ref: options.ref ?? 'refs/heads/main',
    before: '6113728f27ae82c7b1a177c8d03f9e96e0adf246',
    after: sha,
    repository: { name: 'fleet', full_name: 'org/fleet', html_url: web, clone_url: url, default_branch: 'main' },
    pusher: { name: 'ada', email: 'ada@example.com' },
    head_commit: { id: sha, message: 'Bump the guestbook to 3 replicas', url: `${web}/commit/${sha}` },
    ...options.extra,
  });
  return {
    headers: {
      'content-type': 'application/json',
      'user-agent': 'GitHub-Hookshot/5e4a1c1',
      'x-github-event': options.event ?? 'push',
      'x-github-delivery': randomUUID(),
      'x-hub-signature-256': `sha256=${hmacHex(secret, body)}`,
    },
    body,
  };
}

/** A GitLab Push Hook, authenticated by X-Gitlab-Token carrying the secret itself. */
function gitlabPush(url: string, sha: string, secret: string): Delivery {
  const web = url.replace(/\.git$/, '');
  return {
    headers: {
      'content-type': 'application/json',
      'user-agent': 'GitLab/17.11.1',
      'x-gitlab-event': 'Push Hook',
      'x-gitlab-event-uuid': randomUUID(),
      'x-gitlab-token': secret,
    },
    body: json({
      object_kind: 'push',
      event_name: 'push',
      before: '6113728f27ae82c7b1a177c8d03f9e96e0adf246',
      after: sha,
      ref: 'refs/heads/main',
      checkout_sha: sha,
      project: { name: 'fleet', path_with_namespace: 'org/fleet', web_url: web, git_http_url: url, default_branch: 'main' },
      repository: { name: 'fleet', homepage: web, git_http_url: url },
      commits: [{ id: sha, message: 'Bump the guestbook to 3 replicas' }],
      total_commits_count: 1,
    }),
  };
}

/** A Gitea push, signed with X-Gitea-Signature (hex HMAC-SHA256, no prefix); Gitea's own headers only. */
function giteaPush(url: string, sha: string, secret: string): Delivery {
  const web = url.replace(/\.git$/, '');
  const body = json({
    ref: 'refs/heads/main',
    before: '6113728f27ae82c7b1a177c8d03f9e96e0adf246',
    after: sha,
    repository: { name: 'fleet', full_name: 'org/fleet', html_url: web, clone_url: url, default_branch: 'main' },
    commits: [{ id: sha, message: 'Bump the guestbook to 3 replicas' }],
  });
  const delivery = randomUUID();
  return {
    headers: {
      'content-type': 'application/json',
      'user-agent': 'Go-http-client/1.1',
      'x-gitea-event': 'push',
      'x-gitea-delivery': delivery,
      'x-gitea-signature': hmacHex(secret, body),
    },
    body,
  };
}

/** The delivery with headers changed: a string sets one, undefined removes it. */
function withHeaders(delivery: Delivery, changes: Record<string, string | undefined>): Delivery {
  const headers = { ...delivery.headers };
  for (const [name, value] of Object.entries(changes)) {
    if (value === undefined) delete headers[name];
    else headers[name] = value;
  }
  return { headers, body: delivery.body };
}

/**
 * The same signed headers over a body with one byte changed inside the commit
 * message: still valid JSON for the same repository, branch and sha, so only
 * the signature can refuse it.
 */
function tampered(delivery: Delivery): Delivery {
  const body = Buffer.from(delivery.body);
  const at = body.indexOf('guestbook');
  if (at === -1) throw new Error('tampered: the body has no commit message to change');
  body[at] = 'G'.charCodeAt(0);
  return { headers: delivery.headers, body };
}

/** POSTs the delivery as a Git server would: the exact bytes, no API token. */
async function deliver(delivery: { headers: Record<string, string>; body: Buffer | ReadableStream<Uint8Array> }): Promise<{ status: number; body: any }> {
  const response = await fetch(`${hub.httpUrl}/api/v1/webhooks/git`, {
    method: 'POST',
    headers: delivery.headers,
    body: delivery.body,
    ...(delivery.body instanceof ReadableStream ? { duplex: 'half' } : {}),
  } as RequestInit);
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON
  }
  return { status: response.status, body };
}

// ---------------------------------------------------------------- GitRepos

const cm = (value: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  value: "${value}"\n`;

interface Followed {
  name: string;
  repo: TestRepo;
  /** The GitRepo's repo URL (smart HTTP), which the deliveries name as their clone URL. */
  url: string;
  secret: string;
  /** The commit of the first sync. */
  first: string;
}

const newSecret = () => {
  const secret = `whsec-${randomBytes(16).toString('hex')}`;
  secrets.push(secret);
  return secret;
};

/**
 * A repository served over smart HTTP and a GitRepo following its main branch
 * with a webhookSecret and no polling at all (disablePolling, and an hour
 * between polls besides): after its first sync, which the PUT triggers, only
 * a webhook or a refresh can make it fetch. Resolves once that sync is Ready
 * and its request marker cleared.
 */
async function follow(name: string, options: { repo?: TestRepo; secret?: string | null } = {}): Promise<Followed> {
  let repo = options.repo;
  let first: string;
  if (repo === undefined) {
    repo = await createRepo(root, `${name}.git`);
    repos.push(repo);
    await repo.writeFiles({ 'app/cm.yaml': cm('1') });
    first = await repo.commit('initial');
  } else {
    first = await repo.git('rev-parse', 'HEAD');
  }
  const secret = options.secret === undefined ? newSecret() : options.secret;
  const url = git.url(repo.name);
  const put = await hub.api('PUT', `/api/v1/gitrepos/${name}`, {
    repo: url,
    branch: 'main',
    targets: [{ clusterSelector: {} }],
    ...(secret === null ? {} : { webhookSecret: secret }),
    pollingInterval: 3600,
    disablePolling: true,
  });
  expect(put.status).toBe(201);
  expect(put.body.hasWebhookSecret).toBe(secret !== null);
  await settled(name, first);
  return { name, repo, url, secret: secret ?? '', first };
}

async function gitRepo(name: string) {
  const res = await hub.api('GET', `/api/v1/gitrepos/${name}`);
  expect(res.status).toBe(200);
  return res.body;
}

const commitOf = async (name: string): Promise<string | undefined> => (await gitRepo(name)).status.commit?.sha;

/** `git_repos.sync_requested_at`: set by a webhook, a refresh or a change, cleared by the sync that saw it. */
const syncRequestedAt = async (name: string) =>
  (await query<{ sync_requested_at: Date | null }>(hub.database.url, 'SELECT sync_requested_at FROM git_repos WHERE name = $1', [name]))[0]!.sync_requested_at;

/** Ready at `sha`, with no sync requested any more. */
const settled = (name: string, sha: string) =>
  eventually(async () => {
    const r = await gitRepo(name);
    expect({ reason: r.status.reason, sha: r.status.commit?.sha }).toEqual({ reason: 'Ready', sha });
    expect(await syncRequestedAt(name)).toBeNull();
  });

/** Requests the Git server finished for this repository (ls-remote, fetch): each sync makes at least one. */
const gitRequests = (repo: TestRepo) => git.log.filter((r) => r.url.startsWith(`/${repo.name}/`)).length;

async function pushCommit(repo: TestRepo, value: string): Promise<string> {
  await repo.writeFiles({ 'app/cm.yaml': cm(value) });
  return repo.commit(`value ${value}`);
}

/**
 * Nothing fetched: after a pause long enough for a queued sync to have run,
 * the GitRepo is still at `sha` (though a newer commit waits in Git), no sync
 * is requested, and the Git server saw no request for the repository.
 */
async function expectNoFetch(f: Followed, sha: string, requestsBefore: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 3000));
  expect(await commitOf(f.name)).toBe(sha);
  expect(await syncRequestedAt(f.name)).toBeNull();
  expect(gitRequests(f.repo)).toBe(requestsBefore);
}

/** Waits (polling fast) until the GitRepo holds `sha`; resolves with the time it took from `since`. */
async function fetchedWithin(name: string, sha: string, since: number, timeoutMs = 10_000): Promise<number> {
  await eventually(async () => expect(await commitOf(name)).toBe(sha), { timeoutMs, intervalMs: 50, description: `${name} at ${sha.slice(0, 12)}` });
  return Date.now() - since;
}

const refused = { status: 401, body: { error: 'WebhookSignatureInvalid', message: expect.any(String) } };

// ---------------------------------------------------------------- tests

describe('push webhooks', () => {
  it('fetches at once on a signed GitHub push, far ahead of the hourly poll', async () => {
    const f = await follow('wh-github');
    const second = await pushCommit(f.repo, '2');

    const sent = Date.now();
    const res = await deliver(githubPush(f.url, second, f.secret));
    expect(res).toEqual({ status: 202, body: { status: 'accepted', gitRepos: ['wh-github'] } });
    const delay = await fetchedWithin('wh-github', second, sent);
    console.log(`webhook → GitRepo at the pushed commit: ${delay} ms`);
    expect(delay).toBeLessThan(10_000);
    await settled('wh-github', second);
    expect((await gitRepo('wh-github')).status).toMatchObject({ reason: 'Ready', commit: { sha: second, message: 'value 2' } });
  });

  it('fetches on a GitHub push sent form-encoded (payload=…, signed over the form body), and refuses a form without a payload', async () => {
    const f = await follow('wh-github-form');
    const second = await pushCommit(f.repo, '2');
    const requests = gitRequests(f.repo);
    const asForm = (payload: Buffer | undefined, extra: Record<string, string> = {}): Delivery => {
      const fields = new URLSearchParams(extra);
      if (payload) fields.set('payload', payload.toString('utf8'));
      const body = Buffer.from(fields.toString(), 'utf8');
      const signed = githubPush(f.url, second, f.secret);
      return {
        headers: { ...signed.headers, 'content-type': 'application/x-www-form-urlencoded', 'x-hub-signature-256': `sha256=${hmacHex(f.secret, body)}` },
        body,
      };
    };

    expect(await deliver(asForm(undefined, { other: '1' }))).toEqual({
      status: 400,
      body: { error: 'WebhookUnrecognised', message: 'github: form-encoded body has no "payload" field', field: 'body.payload' },
    });
    // The JSON's own signature does not verify the form: the signature is over the bytes sent.
    const push = githubPush(f.url, second, f.secret);
    expect(await deliver({ ...asForm(push.body), headers: { ...asForm(push.body).headers, 'x-hub-signature-256': push.headers['x-hub-signature-256']! } })).toEqual(refused);
    expect(await syncRequestedAt(f.name)).toBeNull();
    await expectNoFetch(f, f.first, requests);

    expect(await deliver(asForm(push.body))).toEqual({ status: 202, body: { status: 'accepted', gitRepos: ['wh-github-form'] } });
    await fetchedWithin(f.name, second, Date.now());
  });

  it.each([
    ['GitLab (X-Gitlab-Token)', gitlabPush],
    ['Gitea (X-Gitea-Signature)', giteaPush],
  ] as const)('fetches at once on a %s push', async (_provider, push) => {
    const name = `wh-${push === gitlabPush ? 'gitlab' : 'gitea'}`;
    const f = await follow(name);
    const second = await pushCommit(f.repo, '2');
    const sent = Date.now();
    expect(await deliver(push(f.url, second, f.secret))).toEqual({ status: 202, body: { status: 'accepted', gitRepos: [name] } });
    expect(await fetchedWithin(name, second, sent)).toBeLessThan(10_000);
  });

  it('fetches only the GitRepos whose own secret signed the delivery', async () => {
    const a = await follow('wh-tenant-a');
    const b = await follow('wh-tenant-b', { repo: a.repo });
    const open = await follow('wh-tenant-none', { repo: a.repo, secret: null });
    const second = await pushCommit(a.repo, '2');

    const sent = Date.now();
    expect(await deliver(githubPush(a.url, second, a.secret))).toEqual({ status: 202, body: { status: 'accepted', gitRepos: ['wh-tenant-a'] } });
    await fetchedWithin(a.name, second, sent);
    await settled(a.name, second);
    await new Promise((resolve) => setTimeout(resolve, 3000));
    for (const other of [b, open]) {
      expect({ name: other.name, sha: await commitOf(other.name), requested: await syncRequestedAt(other.name) }).toEqual({ name: other.name, sha: a.first, requested: null });
    }
  });

  it('refuses a forged, unsigned or tampered delivery with 401 and fetches nothing', async () => {
    const f = await follow('wh-forged');
    const second = await pushCommit(f.repo, '2');
    const requests = gitRequests(f.repo);
    const good = githubPush(f.url, second, f.secret);
    const cases: [string, Delivery][] = [
      ['signed with another secret', githubPush(f.url, second, `${f.secret}-not-it`)],
      ['no signature header', withHeaders(good, { 'x-hub-signature-256': undefined })],
      ['tampered body', tampered(good)],
      ['signature of another body', withHeaders(githubPush(f.url, second, f.secret, { extra: { forced: true } }), { 'x-hub-signature-256': good.headers['x-hub-signature-256'] })],
      ['GitLab token that is not the secret', gitlabPush(f.url, second, `${f.secret}x`)],
      ['GitLab without a token', withHeaders(gitlabPush(f.url, second, f.secret), { 'x-gitlab-token': undefined })],
      ['Gitea signed with another secret', giteaPush(f.url, second, `${f.secret}-not-it`)],
    ];
    for (const [what, delivery] of cases) {
      expect(await deliver(delivery), what).toEqual(refused);
      // The service requests the sync before it answers 202: nothing requested means nothing queued.
      expect(await syncRequestedAt(f.name), what).toBeNull();
    }
    await expectNoFetch(f, f.first, requests);

    // The same push, signed right, does fetch: the refusals were the signatures'.
    expect(await deliver(good)).toMatchObject({ status: 202, body: { gitRepos: ['wh-forged'] } });
    await fetchedWithin(f.name, second, Date.now());
    expect(gitRequests(f.repo)).toBeGreaterThan(requests);
  });

  it('answers an unknown repository as a bad signature, and fetches nothing for another branch', async () => {
    const f = await follow('wh-scope');
    // main moves on (no webhook for it); dev gets the same commit.
    const second = await pushCommit(f.repo, '2');
    await f.repo.push({ ref: 'dev' });
    const requests = gitRequests(f.repo);

    const unknown = await deliver(githubPush(git.url('nobody-follows.git'), second, f.secret));
    const forged = await deliver(githubPush(f.url, second, 'a-secret-nobody-has-0000'));
    expect(unknown).toEqual(refused);
    // Same status, code and message: the answer does not say whether the hub follows the repository.
    expect(unknown).toEqual(forged);

    expect(await deliver(githubPush(f.url, second, f.secret, { ref: 'refs/heads/dev' }))).toEqual(refused);
    expect(await deliver(githubPush(f.url, second, f.secret, { ref: 'refs/tags/v1' }))).toEqual(refused);
    expect(await syncRequestedAt(f.name)).toBeNull();
    await expectNoFetch(f, f.first, requests);

    expect(await deliver(githubPush(f.url, second, f.secret))).toMatchObject({ status: 202, body: { gitRepos: ['wh-scope'] } });
    await fetchedWithin(f.name, second, Date.now());
  });

  it('refuses deliveries it cannot read (400, 413, 415), ignores a ping, and fetches for none of them', async () => {
    const f = await follow('wh-unread');
    const second = await pushCommit(f.repo, '2');
    const requests = gitRequests(f.repo);
    const push = githubPush(f.url, second, f.secret);

    const noProvider = withHeaders(push, { 'x-github-event': undefined });
    expect(await deliver(noProvider)).toEqual({ status: 400, body: { error: 'WebhookUnrecognised', message: expect.stringMatching(/no known webhook headers/), field: 'headers' } });

    const notJson = Buffer.from(push.body.subarray(0, push.body.length - 1));
    expect(await deliver({ headers: { ...push.headers, 'x-hub-signature-256': `sha256=${hmacHex(f.secret, notJson)}` }, body: notJson })).toEqual({
      status: 400,
      body: { error: 'WebhookUnrecognised', message: expect.stringMatching(/github: body is not JSON/), field: 'body' },
    });

    const noRepository = json({ ref: 'refs/heads/main', after: second });
    expect(await deliver({ headers: { ...push.headers, 'x-hub-signature-256': `sha256=${hmacHex(f.secret, noRepository)}` }, body: noRepository })).toEqual({
      status: 400,
      body: { error: 'WebhookUnrecognised', message: expect.stringMatching(/missing "repository"/), field: 'body.repository' },
    });

    expect(await deliver(withHeaders(push, { 'content-type': 'text/plain' }))).toEqual({
      status: 415,
      body: {
        error: 'UnsupportedMediaType',
        message: 'request bodies must be sent as content-type application/json or application/x-www-form-urlencoded (got text/plain)',
        field: 'headers.content-type',
      },
    });

    // A signed push padded to 1 MiB + 1 byte: refused by its declared length, and when streamed (chunked, no length).
    const LIMIT = 1024 * 1024;
    const padded = (bytes: number) => {
      const base = githubPush(f.url, second, f.secret, { extra: { padding: '' } }).body.length;
      return githubPush(f.url, second, f.secret, { extra: { padding: 'x'.repeat(bytes - base) } });
    };
    const tooBig = padded(LIMIT + 1);
    expect(tooBig.body.length).toBe(LIMIT + 1);
    const payloadTooLarge = { status: 413, body: { error: 'PayloadTooLarge', message: expect.stringMatching(/1 MiB/), field: 'body' } };
    expect(await deliver(tooBig)).toEqual(payloadTooLarge);
    const streamed = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let at = 0; at < tooBig.body.length; at += 64 * 1024) controller.enqueue(tooBig.body.subarray(at, at + 64 * 1024));
        controller.close();
      },
    });
    expect(await deliver({ headers: tooBig.headers, body: streamed })).toEqual(payloadTooLarge);

    // A ping (sent when the webhook is created), signed and naming the repository: ignored.
    const ping = githubPush(f.url, second, f.secret, { event: 'ping', extra: { zen: 'Design for failure.', hook_id: 1 } });
    expect(await deliver(ping)).toEqual({ status: 202, body: { status: 'ignored', gitRepos: [] } });

    expect(await syncRequestedAt(f.name)).toBeNull();
    await expectNoFetch(f, f.first, requests);

    // Exactly 1 MiB is within the limit: accepted, and fetched.
    const atLimit = padded(LIMIT);
    expect(atLimit.body.length).toBe(LIMIT);
    expect(await deliver(atLimit)).toEqual({ status: 202, body: { status: 'accepted', gitRepos: ['wh-unread'] } });
    await fetchedWithin(f.name, second, Date.now());
  });

  it('never shows a webhook secret: not in the API, not in the logs, not in the database in clear', async () => {
    const f = await follow('wh-secret');
    // One accepted and one refused delivery first, so the logs have had their chance.
    const second = await pushCommit(f.repo, '2');
    expect((await deliver(gitlabPush(f.url, second, f.secret))).status).toBe(202);
    expect((await deliver(githubPush(f.url, second, `${f.secret}!`))).status).toBe(401);
    await fetchedWithin(f.name, second, Date.now());

    const one = await hub.api('GET', '/api/v1/gitrepos/wh-secret');
    expect(one.body.hasWebhookSecret).toBe(true);
    expect(one.body).not.toHaveProperty('webhookSecret');
    const list = await hub.api('GET', '/api/v1/gitrepos?limit=100');
    expect(list.status).toBe(200);
    const answers = JSON.stringify([one.body, list.body]);
    // Every secret this file gave the hub (GitLab deliveries carry it in a header, too).
    expect(secrets.length).toBeGreaterThan(5);
    const logs = hub.logs();
    expect(logs).toContain('wh-secret');
    for (const secret of secrets) {
      expect(answers.includes(secret), 'API answer').toBe(false);
      expect(logs.includes(secret), 'hub logs').toBe(false);
    }

    const rows = await query<{ name: string; sealed: Buffer; row: string }>(
      hub.database.url,
      "SELECT name, webhook_secret AS sealed, row_to_json(g)::text AS row FROM git_repos g WHERE webhook_secret IS NOT NULL ORDER BY name",
    );
    expect(rows.map((r) => r.name)).toContain('wh-secret');
    const sealed = rows.find((r) => r.name === 'wh-secret')!.sealed;
    expect(Buffer.isBuffer(sealed)).toBe(true);
    expect(sealed.length).toBeGreaterThan(f.secret.length);
    for (const r of rows) {
      for (const secret of secrets) {
        const clear = Buffer.from(secret, 'utf8');
        expect(r.sealed.includes(clear), `${r.name}: webhook_secret bytes`).toBe(false);
        expect(r.sealed.toString('latin1').includes(clear.toString('base64').slice(0, 20)), `${r.name}: webhook_secret as base64`).toBe(false);
        // The whole row as text (bytea as hex): not the secret, nor its hex, anywhere.
        expect(r.row.includes(secret) || r.row.includes(clear.toString('hex')), `${r.name}: git_repos row`).toBe(false);
      }
    }
  });
});
