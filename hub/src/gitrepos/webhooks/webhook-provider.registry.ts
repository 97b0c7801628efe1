import { bitbucketServerProvider } from './bitbucket-server.provider.js';
import { bitbucketProvider } from './bitbucket.provider.js';
import { giteaProvider } from './gitea.provider.js';
import { githubProvider } from './github.provider.js';
import { gitlabProvider } from './gitlab.provider.js';
import { gogsProvider } from './gogs.provider.js';
import type { WebhookHeaders, WebhookProvider, WebhookProviderName } from './webhook.types.js';

/**
 * Every provider, in the order a delivery is offered to them. Gitea sends
 * X-Gogs-* and X-GitHub-* headers besides its own, and Gogs-compatible
 * servers may send X-GitHub-* ones, so the most specific comes first:
 * Gitea, then Gogs, then GitHub. (The GitHub and Gogs providers also decline
 * a delivery carrying X-Gitea-Event themselves, so the order is a second
 * guard, not the only one.) Bitbucket Cloud comes before Bitbucket Server:
 * both send X-Event-Key, only Cloud sends X-Hook-UUID / X-Request-UUID.
 */
export const WEBHOOK_PROVIDERS: readonly WebhookProvider[] = [
  giteaProvider,
  gogsProvider,
  githubProvider,
  gitlabProvider,
  bitbucketProvider,
  bitbucketServerProvider,
];

/** The header carrying each provider's signature (GitLab: the shared token). */
export const WEBHOOK_SIGNATURE_HEADERS: Readonly<Record<WebhookProviderName, string>> = {
  github: 'x-hub-signature-256',
  gitlab: 'x-gitlab-token',
  gitea: 'x-gitea-signature',
  gogs: 'x-gogs-signature',
  bitbucket: 'x-hub-signature',
  'bitbucket-server': 'x-hub-signature',
};

/** The first provider whose headers these are, or undefined. */
export function findWebhookProvider(headers: WebhookHeaders): WebhookProvider | undefined {
  return WEBHOOK_PROVIDERS.find((provider) => provider.matches(headers));
}

/** The provider of that name. */
export function webhookProvider(name: WebhookProviderName): WebhookProvider {
  const provider = WEBHOOK_PROVIDERS.find((candidate) => candidate.name === name);
  if (provider === undefined) throw new Error(`no webhook provider named ${name}`);
  return provider;
}
