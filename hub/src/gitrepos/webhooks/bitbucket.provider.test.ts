import { describe, expect, it } from 'vitest';
import { bitbucketServerProvider } from './bitbucket-server.provider.js';
import { bitbucketProvider } from './bitbucket.provider.js';
import {
  AFTER,
  BEFORE,
  bitbucketDelivery,
  bitbucketPush,
  bitbucketServerDelivery,
  bitbucketServerPush,
  catchError,
  SECRET,
  without,
  ZERO_SHA,
} from './webhook.fixtures.js';
import { findWebhookProvider } from './webhook-provider.registry.js';

const TAGGED = '1e8f2a4c5b6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f';

describe('Bitbucket Cloud webhooks', () => {
  it('is told from Bitbucket Server by X-Hook-UUID / X-Request-UUID', () => {
    expect(findWebhookProvider(bitbucketDelivery(bitbucketPush()).headers)?.name).toBe('bitbucket');
    expect(findWebhookProvider({ 'x-event-key': 'repo:push', 'x-request-uuid': '{x}' })?.name).toBe('bitbucket');
    expect(bitbucketProvider.matches({ 'x-event-key': 'repo:refs_changed', 'x-request-id': 'x' })).toBe(false);
  });

  it('reads every change: branches, tags, and the commit of the first branch', () => {
    const { headers, body } = bitbucketDelivery(
      bitbucketPush([
        { new: { type: 'tag', name: 'v2.0.0', hash: TAGGED }, old: null },
        { new: { type: 'branch', name: 'main', hash: AFTER }, old: { type: 'branch', name: 'main', hash: BEFORE } },
        { new: { type: 'branch', name: 'staging', hash: TAGGED }, old: null },
      ]),
    );
    expect(bitbucketProvider.parse(headers, body)).toMatchObject({ branches: ['main', 'staging'], tags: ['v2.0.0'], commit: AFTER });
  });

  it('reads a tag-only push with the tag commit, and a deleted branch from `old`', () => {
    const tag = bitbucketDelivery(bitbucketPush([{ new: { type: 'tag', name: 'v2.0.0', hash: TAGGED }, old: null }]));
    expect(bitbucketProvider.parse(tag.headers, tag.body)).toMatchObject({ branches: [], tags: ['v2.0.0'], commit: TAGGED });
    const deleted = bitbucketDelivery(bitbucketPush([{ new: null, old: { type: 'branch', name: 'old-feature', hash: BEFORE } }]));
    const event = bitbucketProvider.parse(deleted.headers, deleted.body);
    expect(event).toMatchObject({ branches: ['old-feature'], tags: [] });
    expect(event).not.toHaveProperty('commit');
  });

  it('has no signature when the webhook has no secret: verify is false, parsing still works', () => {
    const { headers, body } = bitbucketDelivery(bitbucketPush(), { secret: null });
    expect(headers).not.toHaveProperty('x-hub-signature');
    expect(bitbucketProvider.verify(headers, body, SECRET)).toBe(false);
    expect(bitbucketProvider.parse(headers, body)).toMatchObject({ branches: ['main'] });
  });

  it('names missing push.changes and a repository without name or links', () => {
    const noChanges = bitbucketDelivery(without(bitbucketPush(), 'push'));
    expect(catchError(() => bitbucketProvider.parse(noChanges.headers, noChanges.body))).toMatchObject({ field: 'push.changes' });
    const bare = bitbucketDelivery({ ...bitbucketPush(), repository: { type: 'repository', name: 'x' } });
    expect(catchError(() => bitbucketProvider.parse(bare.headers, bare.body))).toMatchObject({ field: 'repository.full_name' });
  });

  it('ignores other events (repo:fork, pullrequest:*, issue:*)', () => {
    for (const event of ['repo:fork', 'pullrequest:created', 'issue:created', 'repo:commit_status_updated']) {
      expect(bitbucketProvider.parse(bitbucketDelivery({}, { event }).headers, Buffer.from(''))).toBe('ignored');
    }
  });
});

describe('Bitbucket Server webhooks', () => {
  it('takes X-Event-Key with X-Request-Id, including the Test connection ping, for Bitbucket Server', () => {
    const ping = bitbucketServerDelivery({ test: true }, { event: 'diagnostics:ping' });
    expect(findWebhookProvider(ping.headers)?.name).toBe('bitbucket-server');
    expect(bitbucketServerProvider.parse(ping.headers, ping.body)).toBe('ignored');
    expect(bitbucketServerProvider.matches(bitbucketDelivery(bitbucketPush()).headers)).toBe(false);
  });

  it('reads tags, several changes and deletions', () => {
    const { headers, body } = bitbucketServerDelivery(
      bitbucketServerPush([
        { id: 'refs/heads/release/1.x', displayId: 'release/1.x', type: 'BRANCH', toHash: ZERO_SHA, change: 'DELETE' },
        { id: 'refs/tags/v1.2.3', displayId: 'v1.2.3', type: 'TAG', toHash: TAGGED, change: 'ADD' },
        { id: 'refs/heads/main', displayId: 'main', type: 'BRANCH', toHash: AFTER },
      ]),
    );
    const event = bitbucketServerProvider.parse(headers, body);
    expect(event).toMatchObject({ branches: ['release/1.x', 'main'], tags: ['v1.2.3'] });
    // The first branch was deleted: no commit to report.
    expect(event).not.toHaveProperty('commit');
  });

  it('reads a change without `ref` from its refId', () => {
    const payload = bitbucketServerPush();
    const { headers, body } = bitbucketServerDelivery({ ...payload, changes: [{ refId: 'refs/tags/v9', fromHash: ZERO_SHA, toHash: TAGGED, type: 'ADD' }] });
    expect(bitbucketServerProvider.parse(headers, body)).toMatchObject({ branches: [], tags: ['v9'], commit: TAGGED });
  });

  it('names missing changes and a repository without links', () => {
    const noChanges = bitbucketServerDelivery(without(bitbucketServerPush(), 'changes'));
    expect(catchError(() => bitbucketServerProvider.parse(noChanges.headers, noChanges.body))).toMatchObject({ field: 'changes' });
    const bare = bitbucketServerDelivery({ ...bitbucketServerPush(), repository: { slug: 'x', id: 1 } });
    expect(catchError(() => bitbucketServerProvider.parse(bare.headers, bare.body))).toMatchObject({ field: 'repository.links.clone' });
  });

  it('ignores pull-request and repository events', () => {
    for (const event of ['pr:opened', 'pr:merged', 'repo:modified', 'repo:forked']) {
      expect(bitbucketServerProvider.parse(bitbucketServerDelivery({}, { event }).headers, Buffer.from(''))).toBe('ignored');
    }
  });
});
