import { describe, expect, it } from 'vitest';
import { gitlabProvider } from './gitlab.provider.js';
import { AFTER, catchError, gitlabDelivery, gitlabPush, SECRET, without, ZERO_SHA } from './webhook.fixtures.js';

describe('GitLab webhooks', () => {
  it('compares the token with the secret exactly', () => {
    const { headers, body } = gitlabDelivery(gitlabPush());
    expect(gitlabProvider.verify(headers, body, SECRET)).toBe(true);
    expect(gitlabProvider.verify(headers, body, `${SECRET}x`)).toBe(false);
    expect(gitlabProvider.verify(headers, body, SECRET.slice(1))).toBe(false);
    expect(gitlabProvider.verify(gitlabDelivery(gitlabPush(), { token: 'a much longer token than the secret is' }).headers, body, SECRET)).toBe(false);
  });

  it('reads a Tag Push Hook into tags, with the tagged commit', () => {
    const tagged = '82b3d5ae55f7080f1e6022629cdb57bfae7cccc7';
    const { headers, body } = gitlabDelivery(gitlabPush({ ref: 'refs/tags/v1.0.0', kind: 'tag_push', checkoutSha: tagged }), { event: 'Tag Push Hook' });
    expect(gitlabProvider.parse(headers, body)).toMatchObject({ provider: 'gitlab', branches: [], tags: ['v1.0.0'], commit: tagged });
  });

  it('keeps a deleted branch as a push without a commit', () => {
    const { headers, body } = gitlabDelivery(gitlabPush({ after: ZERO_SHA, checkoutSha: null }));
    const event = gitlabProvider.parse(headers, body);
    expect(event).toMatchObject({ branches: ['main'] });
    expect(event).not.toHaveProperty('commit');
  });

  it('falls back to after when checkout_sha is absent', () => {
    const { headers, body } = gitlabDelivery(without(gitlabPush(), 'checkout_sha'));
    expect(gitlabProvider.parse(headers, body)).toMatchObject({ commit: AFTER });
  });

  it('reads the URLs of repository when project is absent (older GitLab)', () => {
    const { headers, body } = gitlabDelivery(without(gitlabPush(), 'project'));
    expect(gitlabProvider.parse(headers, body)).toMatchObject({
      repoUrls: [
        'https://gitlab.example.com/platform/gitops/fleet-examples.git',
        'git@gitlab.example.com:platform/gitops/fleet-examples.git',
        'https://gitlab.example.com/platform/gitops/fleet-examples',
      ],
    });
  });

  it('names a project without URLs and a missing ref', () => {
    const bare = gitlabDelivery({ ...without(gitlabPush(), 'repository'), project: { id: 15, name: 'x' } });
    expect(catchError(() => gitlabProvider.parse(bare.headers, bare.body))).toMatchObject({ field: 'project.git_http_url' });
    const noRef = gitlabDelivery(without(gitlabPush(), 'ref'));
    expect(catchError(() => gitlabProvider.parse(noRef.headers, noRef.body))).toMatchObject({ field: 'ref' });
  });

  it('reads pushes announced by a system hook, and ignores its other events', () => {
    const push = gitlabDelivery(gitlabPush(), { event: 'System Hook' });
    expect(gitlabProvider.parse(push.headers, push.body)).toMatchObject({ branches: ['main'], commit: AFTER });
    const other = gitlabDelivery({ event_name: 'project_create', name: 'x' }, { event: 'System Hook' });
    expect(gitlabProvider.parse(other.headers, other.body)).toBe('ignored');
  });

  it('ignores other hooks without reading their body, and reads the event name in any case', () => {
    for (const event of ['Merge Request Hook', 'Pipeline Hook', 'Issue Hook', 'Job Hook']) {
      expect(gitlabProvider.parse({ 'x-gitlab-event': event }, Buffer.from('not json'))).toBe('ignored');
    }
    const { body } = gitlabDelivery(gitlabPush());
    expect(gitlabProvider.parse({ 'x-gitlab-event': 'push hook' }, body)).toMatchObject({ branches: ['main'] });
  });
});
