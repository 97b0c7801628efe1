/**
 * Git push webhooks (`POST /api/v1/webhooks/git`): the pure part. A provider
 * recognises its deliveries by their headers, verifies them against a secret
 * and turns a push into a {@link PushEvent}; the controller finds the GitRepos
 * the push concerns (matches-gitrepo.ts) and checks the delivery against their
 * secrets. Modelled on Rancher Fleet's gitjob webhook and Argo CD's
 * util/webhook; no Nest, no database here.
 */
export type WebhookProviderName = 'github' | 'gitlab' | 'gitea' | 'gogs' | 'bitbucket' | 'bitbucket-server';

/** Lower-cased header names → value (the controller lower-cases; a repeated header is joined by ", " as Node does). */
export type WebhookHeaders = Readonly<Record<string, string | undefined>>;

export interface PushEvent {
  provider: WebhookProviderName;
  /** Every URL the payload gives for the repository (clone https, ssh, html/web), as given. */
  repoUrls: string[];
  /** Branch names pushed (without refs/heads/); tags go in `tags`. */
  branches: string[];
  tags: string[];
  /** The new head commit when the payload says (for the first branch), else undefined. */
  commit?: string;
}

export interface WebhookProvider {
  readonly name: WebhookProviderName;
  /** True when these headers are this provider's (e.g. X-GitHub-Event present). */
  matches(headers: WebhookHeaders): boolean;
  /** Constant-time check of the request against a secret (crypto.timingSafeEqual on equal-length buffers; a missing/ malformed signature header → false). */
  verify(headers: WebhookHeaders, body: Buffer, secret: string): boolean;
  /** The push this delivery announces; 'ignored' for events that are not pushes (ping, issues…); throws WebhookError('InvalidPayload', …) for a body that is not the JSON the provider sends, naming the missing field. */
  parse(headers: WebhookHeaders, body: Buffer): PushEvent | 'ignored';
}
