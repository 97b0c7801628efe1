import { header } from './webhook-support.js';
import { WebhookError } from './webhook.error.js';
import { findWebhookProvider, WEBHOOK_SIGNATURE_HEADERS } from './webhook-provider.registry.js';
import type { PushEvent, WebhookHeaders, WebhookProvider } from './webhook.types.js';

/**
 * The largest webhook body read (1 MiB). GitHub caps payloads at 25 MB, but a
 * push payload past 1 MiB means thousands of commits listed; the controller
 * limits the request body too, this is the second guard.
 */
export const WEBHOOK_BODY_LIMIT = 1024 * 1024;

export interface RecognisedWebhook {
  provider: WebhookProvider;
  event: PushEvent | 'ignored';
}

/**
 * Which provider sent this delivery and the push it announces. Throws
 * WebhookError UnknownProvider when no provider's headers are present, and
 * InvalidPayload for a body over {@link WEBHOOK_BODY_LIMIT}, not JSON, or
 * missing a field the provider always sends. Events that are not pushes are
 * 'ignored' without their body being read. Nothing is verified here: which
 * secret applies depends on the GitRepos the push matches, see
 * {@link verifyWebhook}.
 */
export function recogniseWebhook(headers: WebhookHeaders, body: Buffer): RecognisedWebhook {
  if (body.length > WEBHOOK_BODY_LIMIT) {
    throw new WebhookError('InvalidPayload', `webhook body is ${body.length} bytes, over the limit of ${WEBHOOK_BODY_LIMIT}`);
  }
  const provider = findWebhookProvider(headers);
  if (provider === undefined) {
    throw new WebhookError('UnknownProvider', 'no known webhook headers (X-GitHub-Event, X-Gitlab-Event, X-Gitea-Event, X-Gogs-Event, X-Event-Key)');
  }
  return { provider, event: provider.parse(headers, body) };
}

/** True when the delivery verifies against any of the secrets (an empty list, or only empty secrets: false). */
export function verifyWebhook(provider: WebhookProvider, headers: WebhookHeaders, body: Buffer, secrets: readonly string[]): boolean {
  return secrets.some((secret) => provider.verify(headers, body, secret));
}

/**
 * {@link verifyWebhook} as a guard: WebhookError SignatureMissing when the
 * delivery carries no signature header at all (the webhook was created
 * without a secret), SignatureInvalid when none of the secrets verifies it.
 */
export function assertWebhookVerified(provider: WebhookProvider, headers: WebhookHeaders, body: Buffer, secrets: readonly string[]): void {
  const signatureHeader = WEBHOOK_SIGNATURE_HEADERS[provider.name];
  if (header(headers, signatureHeader) === undefined) {
    throw new WebhookError('SignatureMissing', `${provider.name}: the delivery has no ${signatureHeader} header; give the webhook a secret`);
  }
  if (!verifyWebhook(provider, headers, body, secrets)) {
    throw new WebhookError('SignatureInvalid', `${provider.name}: ${signatureHeader} does not match the secret of any matching GitRepo`);
  }
}
